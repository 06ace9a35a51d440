//! The wallet.

use nabo_shared::rewards::{ApproveCheckin, GetWallet, MemberHistory};
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

#[tauri::command]
pub async fn wallet<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<GetWallet> {
    with_engine(&app, &state, |e| e.wallet())
}

#[tauri::command]
pub async fn approve_checkin<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ApproveCheckin,
) -> Reply<ApproveCheckin> {
    with_engine(&app, &state, |e| e.approve_checkin(args.checkin))
}

#[tauri::command]
pub async fn member_history<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: MemberHistory,
) -> Reply<MemberHistory> {
    with_engine(&app, &state, |e| e.member_history(&args.device))
}
