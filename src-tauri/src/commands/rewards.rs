//! The wallet.

use nabo_shared::rewards::GetWallet;
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

#[tauri::command]
pub async fn wallet<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<GetWallet> {
    with_engine(&app, &state, |e| e.wallet())
}
