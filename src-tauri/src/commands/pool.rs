//! The small-grants pool and the neighbourhood budget's account.

use nabo_shared::budget::pool::{
    CancelPayout, GetAccount, GetPool, RecordPayout, SaveApplication, SavePool, VoteOnApplication,
    WithdrawApplication,
};
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

#[tauri::command]
pub async fn get_pool<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<GetPool> {
    with_engine(&app, &state, |e| e.pool())
}

#[tauri::command]
pub async fn save_pool<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SavePool,
) -> Reply<SavePool> {
    with_engine(&app, &state, |e| e.save_pool(args))
}

#[tauri::command]
pub async fn save_application<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SaveApplication,
) -> Reply<SaveApplication> {
    with_engine(&app, &state, |e| e.save_application(args))
}

#[tauri::command]
pub async fn withdraw_application<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: WithdrawApplication,
) -> Reply<WithdrawApplication> {
    with_engine(&app, &state, |e| e.withdraw_application(args.id))
}

#[tauri::command]
pub async fn vote_on_application<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: VoteOnApplication,
) -> Reply<VoteOnApplication> {
    with_engine(&app, &state, |e| {
        e.vote_on_application(args.id, args.yes, &args.note)
    })
}

#[tauri::command]
pub async fn get_account<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<GetAccount> {
    with_engine(&app, &state, |e| e.account())
}

#[tauri::command]
pub async fn record_payout<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: RecordPayout,
) -> Reply<RecordPayout> {
    with_engine(&app, &state, |e| e.record_payout(args))
}

#[tauri::command]
pub async fn cancel_payout<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CancelPayout,
) -> Reply<CancelPayout> {
    with_engine(&app, &state, |e| e.cancel_payout(args.id, &args.reason))
}
