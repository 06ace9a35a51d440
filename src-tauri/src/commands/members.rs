//! The members list, removing access and giving it back, a member's new
//! phone.

use nabo_shared::members::devices::ReplaceDevice;
use nabo_shared::members::{ApproveJoin, ListMembers, ReinstateMember, RevokeMember};
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

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
