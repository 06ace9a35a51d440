//! The Tauri commands: each deserializes its arguments, calls the engine,
//! maps the error to [`ApiError`] and announces changed tables. Nothing else
//! lives here. Names come from [`nabo_shared::api::cmd`]; a test checks they
//! match.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use nabo_shared::api::{
    ActivityInput, ActivityView, ApiError, CreateCommunity, ExportResult, ImportResult,
    JoinCommunity, Lang, MemberView, QrView, ScanOutcome, Status, StoreChanged, WalletView,
    STORE_CHANGED,
};
use nabo_shared::ids::ActivityId;
use nabo_shared::records::Role;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::engine::{self, Engine};

/// The engine behind a lock, and where exports go.
pub struct AppState {
    engine: Mutex<Engine>,
    exports: PathBuf,
}

impl AppState {
    /// Wraps an opened engine.
    pub fn new(engine: Engine, exports: PathBuf) -> Self {
        Self {
            engine: Mutex::new(engine),
            exports,
        }
    }

    fn engine(&self) -> MutexGuard<'_, Engine> {
        // A panic while holding the lock cannot leave the store half-written
        // (SQLite rolled back), so the engine is still usable.
        self.engine.lock().unwrap_or_else(|e| e.into_inner())
    }
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
    ]
}

/// Every command name the handler serves (tests compare with `shared`).
pub const COMMANDS: [&str; 16] = [
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
];
