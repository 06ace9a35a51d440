//! Activities, their check-in codes, and scanning.

use nabo_shared::activities::{
    ActivityAttendance, ArchiveActivity, CheckinQr, ListActivities, ReadQrImage, SaveActivity,
    SavePoster, SavedPoster, ScanImage, ScanText,
};
use tauri::ipc::Request;
use tauri::{AppHandle, Runtime, State};

use super::exchange::{slug, write_export};
use super::{raw_body, refusal, with_engine, AppState, Reply};
use crate::engine;

#[tauri::command]
pub async fn list_activities<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListActivities> {
    with_engine(&app, &state, |e| e.list_activities())
}

#[tauri::command]
pub async fn activity_attendance<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ActivityAttendance,
) -> Reply<ActivityAttendance> {
    with_engine(&app, &state, |e| {
        e.activity_attendance(args.activity, args.limit)
    })
}

#[tauri::command]
pub async fn archive_activity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ArchiveActivity,
) -> Reply<ArchiveActivity> {
    with_engine(&app, &state, |e| {
        e.archive_activity(args.activity, args.archived)
    })
}

#[tauri::command]
pub async fn save_activity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SaveActivity,
) -> Reply<SaveActivity> {
    with_engine(&app, &state, |e| e.save_activity(args.activity))
}

#[tauri::command]
pub async fn checkin_qr<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CheckinQr,
) -> Reply<CheckinQr> {
    with_engine(&app, &state, |e| e.checkin_qr(args.activity))
}

#[tauri::command]
pub async fn save_poster<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SavePoster,
) -> Reply<SavePoster> {
    let (pdf, title) = with_engine(&app, &state, |e| e.poster(args.activity, &args.texts))?;
    let path = write_export(
        &state.exports,
        &format!("nabo-poster-{}", slug(&title)),
        "pdf",
        &pdf,
    )?;
    Ok(SavedPoster { path })
}

#[tauri::command]
pub async fn scan_text<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ScanText,
) -> Reply<ScanText> {
    with_engine(&app, &state, |e| e.scan_text(&args.text))
}

#[tauri::command]
pub async fn scan_image<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<ScanImage> {
    // Decode the picture before taking the lock: it is the slow part.
    let text = engine::read_qr_image(&raw_body(&request)?).map_err(refusal)?;
    with_engine(&app, &state, |e| e.scan_text(&text))
}

#[tauri::command]
pub async fn read_qr_image(request: Request<'_>) -> Reply<ReadQrImage> {
    engine::read_qr_image(&raw_body(&request)?).map_err(refusal)
}
