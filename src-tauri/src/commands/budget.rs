//! The neighbourhood budget: the outcomes of a pabulib file.

use nabo_shared::api::ApiError;
use nabo_shared::budget::report::{self, ComputeBudget, ReportError};
use tauri::ipc::Request;

use super::{raw_body, Reply};

/// Computes both outcomes of the file sent as the body, off the async
/// runtime's threads (Warszawa's 61,668 ballots take seconds).
#[tauri::command]
pub async fn compute_budget(request: Request<'_>) -> Reply<ComputeBudget> {
    let bytes = raw_body(&request)?;
    let computed = tauri::async_runtime::spawn_blocking(move || report::report_file(&bytes))
        .await
        .map_err(|e| ApiError::Internal {
            detail: e.to_string(),
        })?;
    computed.map_err(|e| match e {
        ReportError::File { line, problem } => ApiError::BudgetFile { line, problem },
        ReportError::Ballots(kind) => ApiError::BudgetBallots {
            vote_type: kind.to_owned(),
        },
    })
}
