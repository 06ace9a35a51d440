//! The Tauri commands: each deserializes its arguments (the command's own
//! type from `nabo_shared`), calls the engine, turns the error into
//! [`ApiError`] and announces the changed tables. Nothing else lives here.
//! One module per capability; [`handler`] registers them all, and
//! [`SERVED`] lists the same names from the same lines, which a test
//! compares with the shared list.

mod activities;
mod budget;
mod community;
mod exchange;
mod members;
mod pool;
mod review;
mod rewards;
mod sync;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use nabo_shared::api::{ApiError, StoreChanged, STORE_CHANGED, SYNC_PROGRESS};
use nabo_shared::command::Command;
use nabo_shared::sync::SyncTotals;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, Runtime};

use crate::engine::{self, Engine, EngineError, Refused};
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
        let hubs = self.engine().hubs().map_err(api_error)?;
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
        announce(&app, event.tables);
    })
}

/// Tells the UI which tables changed.
fn announce<R: Runtime>(app: &AppHandle<R>, tables: Vec<nabo_shared::api::Table>) {
    if tables.is_empty() {
        return;
    }
    if let Err(e) = app.emit(STORE_CHANGED, StoreChanged { tables }) {
        log::warn!("could not notify the UI: {e}");
    }
}

/// A command's answer.
type Reply<C> = nabo_shared::api::Reply<C>;

/// Runs `f` on the engine, then tells the UI which tables changed.
fn with_engine<R: Runtime, T>(
    app: &AppHandle<R>,
    state: &AppState,
    f: impl FnOnce(&mut Engine) -> engine::Result<T>,
) -> Result<T, ApiError> {
    let mut engine = state.engine();
    let result = f(&mut engine);
    let tables = engine.take_changed();
    drop(engine);
    announce(app, tables);
    result.map_err(api_error)
}

/// The file bytes a command received as its raw body.
fn raw_body(request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        // The UI always sends files raw; a JSON array of bytes works too.
        InvokeBody::Json(value) => {
            serde_json::from_value(value.clone()).map_err(|_| ApiError::ImageUnreadable)
        }
    }
}

/// The UI's words for an engine error. Refusals keep their reason; the
/// device's own failures are logged and named for what failed.
pub fn api_error(e: EngineError) -> ApiError {
    match e {
        EngineError::Refused(refused) => refusal(refused),
        EngineError::Sql(e) => {
            log::error!("database: {e}");
            ApiError::Database {
                detail: e.to_string(),
            }
        }
        e @ (EngineError::Document { .. } | EngineError::Corrupt { .. }) => {
            log::error!("{e}");
            ApiError::DamagedStore {
                detail: e.to_string(),
            }
        }
        EngineError::StoreTooNew { version } => ApiError::StoreTooNew { version },
        EngineError::Folder { path, source } => ApiError::File {
            path: path.display().to_string(),
            detail: source.to_string(),
        },
        EngineError::Random(e) => {
            log::error!("randomness: {e}");
            ApiError::NoRandomness
        }
        EngineError::Invariant { what } => {
            log::error!("internal check failed: {what}");
            ApiError::Internal { detail: what }
        }
    }
}

fn refusal(refused: Refused) -> ApiError {
    match refused {
        Refused::NotSetUp => ApiError::NotSetUp,
        Refused::AlreadySetUp => ApiError::AlreadySetUp,
        Refused::NotCoordinator => ApiError::NotCoordinator,
        Refused::OwnAccess => ApiError::OwnAccess,
        Refused::CoordinatorDevice => ApiError::CoordinatorDevice,
        Refused::OwnPoints => ApiError::OwnPoints,
        Refused::OwnHours => ApiError::OwnHours,
        Refused::HoursDecided => ApiError::HoursDecided,
        Refused::NotEnoughPoints { balance } => ApiError::NotEnoughPoints { balance },
        Refused::Payment(problem) => ApiError::PaymentRefused { problem },
        Refused::Card(problem) => ApiError::CardRefused { problem },
        Refused::Ballot(problem) => ApiError::Ballot { problem },
        Refused::Pool(problem) => ApiError::Pool { problem },
        Refused::ActivityArchived => ApiError::ActivityArchived,
        Refused::NotFound(what) => ApiError::NotFound { what },
        Refused::InvalidField { field, problem } => ApiError::InvalidField {
            field: field.to_owned(),
            problem,
        },
        Refused::UnreadableCode(problem) => ApiError::UnreadableCode { problem },
        Refused::WrongKindOfCode(found) => ApiError::WrongKindOfCode { found },
        Refused::Checkin(reason) => ApiError::CheckinRefused { reason },
        Refused::Invite(reason) => ApiError::InviteRefused { reason },
        Refused::ImageUnreadable => ApiError::ImageUnreadable,
        Refused::NoQrInImage => ApiError::NoQrInImage,
        Refused::SyncFile(problem) => ApiError::BadSyncFile { problem },
        Refused::HubOfOtherCommunity => ApiError::HubOfOtherCommunity,
        Refused::BadShortCode => ApiError::BadShortCode,
        Refused::OwnHub => ApiError::OwnHub,
        Refused::Sync(problem) => ApiError::SyncFailed { problem },
    }
}

/// Whether two names are the same, at compile time.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Registers each command once: its handler, the shared command it serves
/// (the compiler checks they have the same name), and [`SERVED`].
macro_rules! serve {
    ($($module:ident :: $handler:ident => $command:ty,)+) => {
        /// The invoke handler with every command.
        pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$handler),+]
        }

        /// The name of every command [`handler`] serves, from the same list.
        pub const SERVED: &[&str] = &[$(stringify!($handler)),+];

        $(const _: () = assert!(
            same(<$command as Command>::NAME, stringify!($handler)),
            concat!("the handler ", stringify!($handler), " is not named as its command")
        );)+
    };
}

serve! {
    community::status => nabo_shared::community::GetStatus,
    community::create_community => nabo_shared::community::CreateCommunity,
    community::join_community => nabo_shared::community::JoinCommunity,
    community::start_demo => nabo_shared::community::StartDemo,
    activities::archive_activity => nabo_shared::activities::ArchiveActivity,
    activities::activity_attendance => nabo_shared::activities::ActivityAttendance,
    rewards::member_history => nabo_shared::rewards::MemberHistory,
    community::leave_community => nabo_shared::community::LeaveCommunity,
    community::set_my_name => nabo_shared::community::SetMyName,
    community::set_text_size => nabo_shared::community::SetTextSize,
    community::set_language => nabo_shared::community::SetLanguage,
    community::create_invite => nabo_shared::community::CreateInvite,
    community::list_invites => nabo_shared::community::ListInvites,
    community::withdraw_invite => nabo_shared::community::WithdrawInvite,
    members::list_members => nabo_shared::members::ListMembers,
    members::revoke_member => nabo_shared::members::RevokeMember,
    members::reinstate_member => nabo_shared::members::ReinstateMember,
    members::approve_join => nabo_shared::members::ApproveJoin,
    members::replace_device => nabo_shared::members::devices::ReplaceDevice,
    members::enrol_card => nabo_shared::members::cards::EnrolCard,
    members::new_card => nabo_shared::members::cards::NewCard,
    members::check_in_card => nabo_shared::members::cards::CheckInCard,
    members::pay_by_card => nabo_shared::members::cards::PayByCard,
    activities::list_activities => nabo_shared::activities::ListActivities,
    activities::save_activity => nabo_shared::activities::SaveActivity,
    activities::checkin_qr => nabo_shared::activities::CheckinQr,
    activities::save_poster => nabo_shared::activities::SavePoster,
    activities::scan_text => nabo_shared::activities::ScanText,
    activities::scan_image => nabo_shared::activities::ScanImage,
    activities::read_qr_image => nabo_shared::activities::ReadQrImage,
    rewards::wallet => nabo_shared::rewards::GetWallet,
    rewards::currency => nabo_shared::rewards::GetCurrency,
    rewards::approve_checkins => nabo_shared::rewards::ApproveCheckins,
    rewards::decline_checkins => nabo_shared::rewards::DeclineCheckins,
    rewards::correct_points => nabo_shared::rewards::CorrectPoints,
    rewards::log_hours => nabo_shared::rewards::hours::LogHours,
    rewards::withdraw_hours => nabo_shared::rewards::hours::WithdrawHours,
    rewards::list_hours => nabo_shared::rewards::hours::ListHours,
    rewards::member_hours => nabo_shared::rewards::hours::MemberHours,
    rewards::decide_hours => nabo_shared::rewards::hours::DecideHours,
    rewards::get_rules => nabo_shared::rewards::rules::GetRules,
    rewards::set_rules => nabo_shared::rewards::rules::SetRules,
    rewards::request_payment => nabo_shared::rewards::payments::RequestPayment,
    rewards::pay => nabo_shared::rewards::payments::Pay,
    rewards::return_points => nabo_shared::rewards::payments::ReturnPoints,
    rewards::accept_overspend => nabo_shared::rewards::payments::AcceptOverspend,
    rewards::reverse_overspend => nabo_shared::rewards::payments::ReverseOverspend,
    rewards::list_offers => nabo_shared::rewards::offers::ListOffers,
    rewards::save_offer => nabo_shared::rewards::offers::SaveOffer,
    rewards::withdraw_offer => nabo_shared::rewards::offers::WithdrawOffer,
    exchange::export_sync_file => nabo_shared::exchange::ExportSyncFile,
    exchange::import_sync_file => nabo_shared::exchange::ImportSyncFile,
    sync::sync_status => nabo_shared::sync::GetSyncStatus,
    sync::set_hub => nabo_shared::sync::SetHub,
    sync::pair_hub => nabo_shared::sync::PairHub,
    sync::forget_hub => nabo_shared::sync::ForgetHub,
    sync::sync_now => nabo_shared::sync::SyncNow,
    review::list_review => nabo_shared::review::ListReview,
    budget::compute_budget => nabo_shared::budget::report::ComputeBudget,
    budget::list_rounds => nabo_shared::budget::round::ListRounds,
    budget::get_round => nabo_shared::budget::round::GetRound,
    budget::save_round => nabo_shared::budget::round::SaveRound,
    budget::save_proposal => nabo_shared::budget::round::SaveProposal,
    budget::withdraw_proposal => nabo_shared::budget::round::WithdrawProposal,
    budget::review_proposal => nabo_shared::budget::round::ReviewProposal,
    budget::cast_ballot => nabo_shared::budget::round::CastBallot,
    budget::enter_paper_ballot => nabo_shared::budget::round::EnterPaperBallot,
    budget::close_voting => nabo_shared::budget::round::CloseVoting,
    budget::export_round => nabo_shared::budget::round::ExportRound,
    budget::print_census_ballots => nabo_shared::budget::round::PrintCensusBallots,
    budget::set_proposal_photo => nabo_shared::budget::round::SetProposalPhoto,
    budget::remove_proposal_photo => nabo_shared::budget::round::RemoveProposalPhoto,
    budget::get_proposal_photo => nabo_shared::budget::round::GetProposalPhoto,
    budget::list_helper_choices => nabo_shared::budget::together::ListHelperChoices,
    budget::set_proposal_helpers => nabo_shared::budget::together::SetProposalHelpers,
    budget::edit_proposal_text => nabo_shared::budget::together::EditProposalText,
    pool::get_pool => nabo_shared::budget::pool::GetPool,
    pool::save_pool => nabo_shared::budget::pool::SavePool,
    pool::save_application => nabo_shared::budget::pool::SaveApplication,
    pool::withdraw_application => nabo_shared::budget::pool::WithdrawApplication,
    pool::vote_on_application => nabo_shared::budget::pool::VoteOnApplication,
    pool::get_account => nabo_shared::budget::pool::GetAccount,
    pool::record_payout => nabo_shared::budget::pool::RecordPayout,
    pool::cancel_payout => nabo_shared::budget::pool::CancelPayout,
}
