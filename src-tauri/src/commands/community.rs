//! Founding, joining, invites and this device's status.

use nabo_shared::community::{
    CreateCommunity, CreateInvite, GetStatus, JoinCommunity, LeaveCommunity, ListInvites,
    SetLanguage, SetMyName, SetTextSize, StartDemo, WithdrawInvite,
};
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

#[tauri::command]
pub async fn status<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<GetStatus> {
    with_engine(&app, &state, |e| e.status())
}

#[tauri::command]
pub async fn create_community<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CreateCommunity,
) -> Reply<CreateCommunity> {
    with_engine(&app, &state, |e| e.create_community(args))
}

#[tauri::command]
pub async fn join_community<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: JoinCommunity,
) -> Reply<JoinCommunity> {
    with_engine(&app, &state, |e| e.join_community(args))
}

#[tauri::command]
pub async fn start_demo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<StartDemo> {
    with_engine(&app, &state, |e| e.start_demo())
}

#[tauri::command]
pub async fn leave_community<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<LeaveCommunity> {
    // Nothing may serve or fetch the old community's data any more.
    if let Some(running) = state.hub.lock().await.take() {
        running.stop();
    }
    let _no_sync = state.dialing.lock().await;
    with_engine(&app, &state, |e| e.leave_community())
}

#[tauri::command]
pub async fn set_my_name<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SetMyName,
) -> Reply<SetMyName> {
    with_engine(&app, &state, |e| e.set_my_name(&args.name))
}

#[tauri::command]
pub async fn set_text_size<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SetTextSize,
) -> Reply<SetTextSize> {
    with_engine(&app, &state, |e| e.set_text_size(args.percent))
}

#[tauri::command]
pub async fn set_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SetLanguage,
) -> Reply<SetLanguage> {
    with_engine(&app, &state, |e| e.set_language(args.lang))
}

#[tauri::command]
pub async fn create_invite<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CreateInvite,
) -> Reply<CreateInvite> {
    with_engine(&app, &state, |e| e.create_invite(args.role, args.uses))
}

#[tauri::command]
pub async fn list_invites<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListInvites> {
    with_engine(&app, &state, |e| e.list_invites())
}

#[tauri::command]
pub async fn withdraw_invite<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: WithdrawInvite,
) -> Reply<WithdrawInvite> {
    with_engine(&app, &state, |e| e.withdraw_invite(args.id))
}
