//! The neighbourhood budget: rounds in the app, and the outcomes of a
//! pabulib file.

use nabo_shared::api::ApiError;
use nabo_shared::budget::report::{self, ComputeBudget, ReportError};
use nabo_shared::budget::round::{
    CastBallot, CloseVoting, EnterPaperBallot, ExportRound, GetRound, ListRounds,
    PrintCensusBallots, PrintedBallots, ReviewProposal, SaveProposal, SaveRound, SavedRound,
    WithdrawProposal,
};
use nabo_shared::budget::round::{GetProposalPhoto, RemoveProposalPhoto, SetProposalPhoto};
use nabo_shared::budget::together::{EditProposalText, ListHelperChoices, SetProposalHelpers};
use nabo_shared::ids::ProposalId;
use tauri::ipc::Request;
use tauri::{AppHandle, Runtime, State};

use super::exchange::{slug, write_export};
use super::{raw_body, with_engine, AppState, Reply};

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

#[tauri::command]
pub async fn list_rounds<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListRounds> {
    with_engine(&app, &state, |e| e.rounds())
}

#[tauri::command]
pub async fn get_round<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: GetRound,
) -> Reply<GetRound> {
    with_engine(&app, &state, |e| e.round_detail(args.id))
}

#[tauri::command]
pub async fn save_round<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SaveRound,
) -> Reply<SaveRound> {
    with_engine(&app, &state, |e| e.save_round(args.round))
}

#[tauri::command]
pub async fn save_proposal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SaveProposal,
) -> Reply<SaveProposal> {
    with_engine(&app, &state, |e| e.save_proposal(args))
}

#[tauri::command]
pub async fn withdraw_proposal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: WithdrawProposal,
) -> Reply<WithdrawProposal> {
    with_engine(&app, &state, |e| e.withdraw_proposal(args.id))
}

#[tauri::command]
pub async fn review_proposal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ReviewProposal,
) -> Reply<ReviewProposal> {
    with_engine(&app, &state, |e| {
        e.review_proposal(args.id, args.feasible, &args.reason, args.cost)
    })
}

#[tauri::command]
pub async fn cast_ballot<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CastBallot,
) -> Reply<CastBallot> {
    with_engine(&app, &state, |e| e.cast_ballot(args.round, args.approves))
}

#[tauri::command]
pub async fn close_voting<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CloseVoting,
) -> Reply<CloseVoting> {
    with_engine(&app, &state, |e| e.close_voting(args.round))
}

#[tauri::command]
pub async fn export_round<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ExportRound,
) -> Reply<ExportRound> {
    let (file, title) = with_engine(&app, &state, |e| {
        Ok((
            e.export_round(args.round)?,
            e.round_detail(args.round)?.round.title,
        ))
    })?;
    let path = write_export(
        &state.exports,
        &format!("nabo-budget-{}", slug(&title)),
        "pb",
        file.as_bytes(),
    )?;
    Ok(SavedRound { path })
}

#[tauri::command]
pub async fn enter_paper_ballot<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: EnterPaperBallot,
) -> Reply<EnterPaperBallot> {
    with_engine(&app, &state, |e| {
        e.enter_paper_ballot(args.round, &args.voter, args.approves, args.replace)
    })
}

#[tauri::command]
pub async fn print_census_ballots<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: PrintCensusBallots,
) -> Reply<PrintCensusBallots> {
    let ((pdf, codes), title) = with_engine(&app, &state, |e| {
        Ok((
            e.print_census_ballots(args.round, args.count, &args.texts)?,
            e.round_detail(args.round)?.round.title,
        ))
    })?;
    let path = write_export(
        &state.exports,
        &format!("nabo-ballots-{}", slug(&title)),
        "pdf",
        &pdf,
    )?;
    Ok(PrintedBallots { path, codes })
}

/// A photo for one of this member's proposals: the body is the proposal's
/// id (16 bytes), then the picture.
#[tauri::command]
pub async fn set_proposal_photo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<SetProposalPhoto> {
    let body = raw_body(&request)?;
    let Some((id, picture)) = body.split_first_chunk::<16>() else {
        return Err(ApiError::ImageUnreadable);
    };
    let id = ProposalId::from_bytes(*id);
    with_engine(&app, &state, |e| e.set_proposal_photo(id, Some(picture)))
}

#[tauri::command]
pub async fn remove_proposal_photo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: RemoveProposalPhoto,
) -> Reply<RemoveProposalPhoto> {
    with_engine(&app, &state, |e| e.set_proposal_photo(args.id, None))
}

#[tauri::command]
pub async fn get_proposal_photo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: GetProposalPhoto,
) -> Reply<GetProposalPhoto> {
    with_engine(&app, &state, |e| e.proposal_photo(args.id))
}

#[tauri::command]
pub async fn set_proposal_helpers<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SetProposalHelpers,
) -> Reply<SetProposalHelpers> {
    with_engine(&app, &state, |e| {
        e.set_proposal_helpers(args.id, &args.helpers)
    })
}

#[tauri::command]
pub async fn edit_proposal_text<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: EditProposalText,
) -> Reply<EditProposalText> {
    with_engine(&app, &state, |e| {
        e.edit_proposal_text(args.id, &args.base, &args.text)
    })
}

#[tauri::command]
pub async fn list_helper_choices<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    _args: ListHelperChoices,
) -> Reply<ListHelperChoices> {
    with_engine(&app, &state, |e| e.helper_choices())
}
