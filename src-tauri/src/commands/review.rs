//! The coordinator's review queue.

use nabo_shared::review::ListReview;
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

#[tauri::command]
pub async fn list_review<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListReview> {
    with_engine(&app, &state, |e| e.review())
}
