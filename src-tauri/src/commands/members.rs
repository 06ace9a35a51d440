//! The members list, removing access and giving it back, a member's new
//! phone.

use nabo_shared::api::ApiError;
use nabo_shared::members::cards::{CheckInCard, EnrolCard, NewCard, PayByCard, PrintedCard};
use nabo_shared::members::devices::ReplaceDevice;
use nabo_shared::members::{ApproveJoin, ListMembers, ReinstateMember, RevokeMember};
use tauri::{AppHandle, Runtime, State};

use super::exchange::{slug, write_export};
use super::{with_engine, AppState, Reply};
use crate::engine::Printed;

#[tauri::command]
pub async fn list_members<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListMembers> {
    with_engine(&app, &state, |e| e.members())
}

#[tauri::command]
pub async fn revoke_member<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: RevokeMember,
) -> Reply<RevokeMember> {
    with_engine(&app, &state, |e| e.revoke_member(&args.device))
}

#[tauri::command]
pub async fn reinstate_member<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ReinstateMember,
) -> Reply<ReinstateMember> {
    with_engine(&app, &state, |e| e.reinstate_member(&args.device))
}

#[tauri::command]
pub async fn approve_join<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ApproveJoin,
) -> Reply<ApproveJoin> {
    with_engine(&app, &state, |e| e.approve_join(&args.device))
}

#[tauri::command]
pub async fn replace_device<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ReplaceDevice,
) -> Reply<ReplaceDevice> {
    with_engine(&app, &state, |e| {
        e.replace_device(&args.member, args.retire)
    })
}

#[tauri::command]
pub async fn enrol_card<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: EnrolCard,
) -> Reply<EnrolCard> {
    let card = with_engine(&app, &state, |e| {
        e.enrol_card(&args.name, &args.pin, &args.texts)
    })?;
    saved_card(&state, card)
}

#[tauri::command]
pub async fn new_card<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: NewCard,
) -> Reply<NewCard> {
    let card = with_engine(&app, &state, |e| {
        e.new_card(&args.member, &args.pin, &args.texts)
    })?;
    saved_card(&state, card)
}

/// Writes a printed card to the downloads folder.
fn saved_card(state: &AppState, card: Printed) -> Result<PrintedCard, ApiError> {
    let path = write_export(
        &state.exports,
        &format!("nabo-card-{}", slug(&card.holder)),
        "pdf",
        &card.pdf,
    )?;
    Ok(PrintedCard {
        path,
        member: card.member.key_id().to_string(),
        code: card.code,
    })
}

#[tauri::command]
pub async fn check_in_card<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CheckInCard,
) -> Reply<CheckInCard> {
    with_engine(&app, &state, |e| e.check_in_card(&args.card, args.activity))
}

#[tauri::command]
pub async fn pay_by_card<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: PayByCard,
) -> Reply<PayByCard> {
    with_engine(&app, &state, |e| {
        e.pay_by_card(&args.request, &args.card, &args.pin)
    })
}
