//! Live sync: the sync screen, this device's hub, pairing, syncing now.

use nabo_shared::api::{ApiError, Table};
use nabo_shared::sync::{ForgetHub, GetSyncStatus, HubView, PairHub, SetHub, SyncNow, SyncStatus};
use tauri::{AppHandle, Runtime, State};

use super::{announce, api_error, ui_events, with_engine, AppState, Reply};
use crate::engine;
use crate::net::sync::{self as live, Hub};

async fn sync_view(state: &AppState) -> Result<SyncStatus, ApiError> {
    let hub = state.hub.lock().await;
    let engine = state.engine();
    let mut status = engine.sync_status().map_err(api_error)?;
    if let Some(hub) = hub.as_ref() {
        let code = engine
            .pairing_code(live::local_addresses(), hub.address().port())
            .map_err(api_error)?;
        status.hub = Some(HubView {
            port: hub.address().port(),
            qr: engine.pairing_qr(&code).map_err(api_error)?,
            short_code: engine::short_code(&code)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            connected: hub.connected(),
        });
    }
    Ok(status)
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Reply<GetSyncStatus> {
    sync_view(&state).await
}

#[tauri::command]
pub async fn set_hub<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SetHub,
) -> Reply<SetHub> {
    {
        let mut hub = state.hub.lock().await;
        match (args.on, hub.is_some()) {
            (true, false) => {
                let bind = std::net::SocketAddr::from(([0, 0, 0, 0], state.hub_port));
                let started = Hub::start(state.shared(), bind, ui_events(&app))
                    .await
                    .map_err(|e| ApiError::HubFailed {
                        detail: e.to_string(),
                    })?;
                *hub = Some(started);
            }
            (false, true) => {
                if let Some(running) = hub.take() {
                    running.stop();
                }
            }
            _ => {}
        }
    }
    announce(&app, vec![Table::Sync]);
    sync_view(&state).await
}

#[tauri::command]
pub async fn pair_hub<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: PairHub,
) -> Reply<PairHub> {
    with_engine(&app, &state, |e| e.pair_hub(&args.code))
}

#[tauri::command]
pub async fn forget_hub<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ForgetHub,
) -> Reply<ForgetHub> {
    with_engine(&app, &state, |e| e.forget_hub(&args.hub))
}

#[tauri::command]
pub async fn sync_now<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<SyncNow> {
    let before = state.engine().sync_snapshot().map_err(api_error)?;
    let totals = state.sync_hubs(&ui_events(&app)).await?;
    let summary = state.engine().sync_summary(&before, totals);
    summary.map_err(api_error)
}
