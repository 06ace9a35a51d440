//! Sync files: writing one to the exports folder, merging one.

use nabo_shared::api::ApiError;
use nabo_shared::exchange::{ExportResult, ExportSyncFile, ImportSyncFile, Recipient};
use tauri::ipc::Request;
use tauri::{AppHandle, Runtime, State};

use super::{raw_body, with_engine, AppState, Reply};

#[tauri::command]
pub async fn export_sync_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ExportSyncFile,
) -> Reply<ExportSyncFile> {
    let dir = state.exports.clone();
    let (file, name) = with_engine(&app, &state, |e| {
        let to = match &args.to {
            None => Recipient::Coordinators,
            Some(device) => Recipient::Member(e.member_by_device(device)?),
        };
        let file = e.export_sync(to)?;
        let name = e
            .status()?
            .profile
            .map(|p| p.community_name)
            .unwrap_or_default();
        Ok((file, name))
    })?;
    let bytes = file.bytes;
    let path = write_export(&dir, &format!("nabo-{}", slug(&name)), "nabo", &bytes)?;
    Ok(ExportResult {
        path,
        documents: file.documents,
        bytes: bytes.len() as u64,
    })
}

/// Writes a file to the exports folder as `<stem>-<time>.<extension>` and
/// returns its path.
pub(super) fn write_export(
    dir: &std::path::Path,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> Result<String, ApiError> {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let path = dir.join(format!("{stem}-{stamp}.{extension}"));
    let io = |e: std::io::Error| ApiError::File {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(&path, bytes).map_err(io)?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn import_sync_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<ImportSyncFile> {
    let bytes = raw_body(&request)?;
    with_engine(&app, &state, |e| e.import_sync(&bytes))
}

/// A file-name-safe version of a community name.
pub(super) fn slug(name: &str) -> String {
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
