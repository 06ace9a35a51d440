//! The Tauri commands: each deserializes its arguments, calls the engine,
//! maps the error to [`ApiError`] and announces changed tables. Nothing else
//! lives here. Names come from [`nabo_shared::api::cmd`]; a test checks they
//! match.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use nabo_shared::api::{
    ActivityInput, ActivityView, ApiError, CreateCommunity, ExportResult, HubView, ImportResult,
    JoinCommunity, KnownHub, Lang, MemberView, QrView, ScanOutcome, Status, StoreChanged,
    SyncStatus, SyncTotals, WalletView, STORE_CHANGED, SYNC_PROGRESS,
};
use nabo_shared::ids::ActivityId;
use nabo_shared::records::Role;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::engine::{self, Engine};
use crate::net::sync::{self as live, Events, Hub, SharedEngine, SyncEvent};

/// The engine behind a lock (shared with the network), where exports go,
/// and this device's hub while it runs.
pub struct AppState {
    engine: SharedEngine,
    exports: PathBuf,
    hub: tokio::sync::Mutex<Option<Hub>>,
    hub_port: u16,
    /// One outgoing sync at a time.
    dialing: tokio::sync::Mutex<()>,
}

impl AppState {
    /// Wraps an opened engine. The hub listens on `NABO_HUB_PORT` when set,
    /// else on [`live::DEFAULT_PORT`].
    pub fn new(engine: Engine, exports: PathBuf) -> Self {
        let hub_port = std::env::var("NABO_HUB_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(live::DEFAULT_PORT);
        Self {
            engine: Arc::new(Mutex::new(engine)),
            exports,
            hub: tokio::sync::Mutex::new(None),
            hub_port,
            dialing: tokio::sync::Mutex::new(()),
        }
    }

    fn engine(&self) -> MutexGuard<'_, Engine> {
        live::lock(&self.engine)
    }

    /// The engine, for the network tasks.
    pub fn shared(&self) -> SharedEngine {
        self.engine.clone()
    }

    /// Whether any hub is paired.
    pub fn has_hubs(&self) -> bool {
        self.engine().hubs().is_ok_and(|h| !h.is_empty())
    }

    /// Syncs with every paired hub, one after the other.
    pub async fn sync_hubs(&self, events: &Events) -> Result<SyncTotals, ApiError> {
        let _one = self.dialing.lock().await;
        let hubs = self.engine().hubs().map_err(ApiError::from)?;
        if hubs.is_empty() {
            return Err(ApiError::NoHub);
        }
        let mut totals = SyncTotals::default();
        let mut failure = None;
        let mut reached = false;
        for (code, _) in hubs {
            match live::sync_with_hub(&self.engine, &code, events).await {
                Ok(t) => {
                    totals.add(&t);
                    reached = true;
                }
                Err(problem) => failure = failure.or(Some(problem)),
            }
        }
        match (reached, failure) {
            (false, Some(problem)) => Err(ApiError::SyncFailed { problem }),
            _ => Ok(totals),
        }
    }
}

/// Sync events go to the UI as `sync-progress`, and changed tables as
/// `store-changed`.
pub fn ui_events<R: Runtime>(app: &AppHandle<R>) -> Events {
    let app = app.clone();
    Arc::new(move |event: SyncEvent| {
        if let Err(e) = app.emit(SYNC_PROGRESS, &event.progress) {
            log::warn!("could not notify the UI: {e}");
        }
        if !event.tables.is_empty() {
            let changed = StoreChanged {
                tables: event.tables,
            };
            if let Err(e) = app.emit(STORE_CHANGED, changed) {
                log::warn!("could not notify the UI: {e}");
            }
        }
    })
}

type Reply<T> = Result<T, ApiError>;

/// Runs `f` on the engine, then tells the UI which tables changed.
fn with_engine<R: Runtime, T>(
    app: &AppHandle<R>,
    state: &AppState,
    f: impl FnOnce(&mut Engine) -> engine::Result<T>,
) -> Reply<T> {
    let mut engine = state.engine();
    let result = f(&mut engine);
    let tables = engine.take_changed();
    drop(engine);
    if !tables.is_empty() {
        if let Err(e) = app.emit(STORE_CHANGED, StoreChanged { tables }) {
            log::warn!("could not notify the UI: {e}");
        }
    }
    result.map_err(ApiError::from)
}

fn raw_body(request: &Request<'_>) -> Reply<Vec<u8>> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        // The UI always sends files raw; a JSON array of bytes works too.
        InvokeBody::Json(value) => {
            serde_json::from_value(value.clone()).map_err(|_| ApiError::ImageUnreadable)
        }
    }
}

#[tauri::command]
async fn status<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<Status> {
    with_engine(&app, &state, |e| e.status())
}

#[tauri::command]
async fn create_community<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: CreateCommunity,
) -> Reply<Status> {
    with_engine(&app, &state, |e| e.create_community(req))
}

#[tauri::command]
async fn join_community<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: JoinCommunity,
) -> Reply<Status> {
    with_engine(&app, &state, |e| e.join_community(req))
}

#[tauri::command]
async fn start_demo<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<Status> {
    with_engine(&app, &state, |e| e.start_demo())
}

#[tauri::command]
async fn set_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    lang: Lang,
) -> Reply<()> {
    with_engine(&app, &state, |e| e.set_language(lang))
}

#[tauri::command]
async fn list_activities<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<Vec<ActivityView>> {
    with_engine(&app, &state, |e| e.list_activities())
}

#[tauri::command]
async fn save_activity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: ActivityInput,
) -> Reply<ActivityView> {
    with_engine(&app, &state, |e| e.save_activity(input))
}

#[tauri::command]
async fn checkin_qr<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    activity: ActivityId,
) -> Reply<QrView> {
    with_engine(&app, &state, |e| e.checkin_qr(activity))
}

#[tauri::command]
async fn scan_text<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    text: String,
) -> Reply<ScanOutcome> {
    with_engine(&app, &state, |e| e.scan_text(&text))
}

#[tauri::command]
async fn scan_image<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<ScanOutcome> {
    // Decode the picture before taking the lock: it is the slow part.
    let text = engine::read_qr_image(&raw_body(&request)?)?;
    with_engine(&app, &state, |e| e.scan_text(&text))
}

#[tauri::command]
async fn read_qr_image(request: Request<'_>) -> Reply<String> {
    engine::read_qr_image(&raw_body(&request)?)
}

#[tauri::command]
async fn wallet<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<WalletView> {
    with_engine(&app, &state, |e| e.wallet())
}

#[tauri::command]
async fn list_members<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<Vec<MemberView>> {
    with_engine(&app, &state, |e| e.members())
}

#[tauri::command]
async fn invite_qr<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    role: Role,
) -> Reply<QrView> {
    with_engine(&app, &state, |e| e.invite_qr(role))
}

#[tauri::command]
async fn export_sync_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ExportResult> {
    let dir = state.exports.clone();
    let (file, name) = with_engine(&app, &state, |e| {
        let file = e.export_sync()?;
        let name = e
            .status()?
            .profile
            .map(|p| p.community_name)
            .unwrap_or_default();
        Ok((file, name))
    })?;
    let bytes = file.encode();
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let path = dir.join(format!("nabo-{}-{stamp}.nabo", slug(&name)));
    let io = |e: std::io::Error| ApiError::File {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    std::fs::write(&path, &bytes).map_err(io)?;
    Ok(ExportResult {
        path: path.display().to_string(),
        documents: file.docs.len() as u32,
        bytes: bytes.len() as u64,
    })
}

#[tauri::command]
async fn import_sync_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<ImportResult> {
    let bytes = raw_body(&request)?;
    with_engine(&app, &state, |e| e.import_sync(&bytes))
}

async fn sync_view(state: &AppState) -> Reply<SyncStatus> {
    let hub = state.hub.lock().await;
    let engine = state.engine();
    let mut status = engine.sync_status()?;
    if let Some(hub) = hub.as_ref() {
        let code = engine.pairing_code(live::local_addresses(), hub.address().port())?;
        status.hub = Some(HubView {
            port: hub.address().port(),
            qr: engine.pairing_qr(&code)?,
            short_code: engine::short_code(&code)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            connected: hub.connected(),
        });
    }
    Ok(status)
}

#[tauri::command]
async fn sync_status(state: State<'_, AppState>) -> Reply<SyncStatus> {
    sync_view(&state).await
}

#[tauri::command]
async fn set_hub<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on: bool,
) -> Reply<SyncStatus> {
    {
        let mut hub = state.hub.lock().await;
        match (on, hub.is_some()) {
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
    let changed = StoreChanged {
        tables: vec![nabo_shared::api::SYNC_TABLE.into()],
    };
    if let Err(e) = app.emit(STORE_CHANGED, changed) {
        log::warn!("could not notify the UI: {e}");
    }
    sync_view(&state).await
}

#[tauri::command]
async fn pair_hub<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    code: String,
) -> Reply<KnownHub> {
    with_engine(&app, &state, |e| e.pair_hub(&code))
}

#[tauri::command]
async fn forget_hub<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    hub: String,
) -> Reply<()> {
    with_engine(&app, &state, |e| e.forget_hub(&hub))
}

#[tauri::command]
async fn revoke_member<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    device: String,
) -> Reply<()> {
    with_engine(&app, &state, |e| e.revoke_member(&device))
}

#[tauri::command]
async fn reinstate_member<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    device: String,
) -> Reply<()> {
    with_engine(&app, &state, |e| e.reinstate_member(&device))
}

#[tauri::command]
async fn sync_now<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<SyncTotals> {
    state.sync_hubs(&ui_events(&app)).await
}

/// A file-name-safe version of a community name.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() {
        "nabo".into()
    } else {
        s
    }
}

/// The invoke handler with every command.
pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        status,
        create_community,
        join_community,
        start_demo,
        set_language,
        list_activities,
        save_activity,
        checkin_qr,
        scan_text,
        scan_image,
        read_qr_image,
        wallet,
        list_members,
        invite_qr,
        export_sync_file,
        import_sync_file,
        sync_status,
        set_hub,
        pair_hub,
        forget_hub,
        sync_now,
        revoke_member,
        reinstate_member,
    ]
}

/// Every command name the handler serves (tests compare with `shared`).
pub const COMMANDS: [&str; 23] = [
    "status",
    "create_community",
    "join_community",
    "start_demo",
    "set_language",
    "list_activities",
    "save_activity",
    "checkin_qr",
    "scan_text",
    "scan_image",
    "read_qr_image",
    "wallet",
    "list_members",
    "invite_qr",
    "export_sync_file",
    "import_sync_file",
    "sync_status",
    "set_hub",
    "pair_hub",
    "forget_hub",
    "sync_now",
    "revoke_member",
    "reinstate_member",
];
