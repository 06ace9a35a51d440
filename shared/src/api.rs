//! The boundary between the UI and the engine, above every capability: all
//! their commands, the tables `store-changed` names, the events, and
//! [`ApiError`], serialized
//! with a `kind` tag so the UI can match on it and show a translated message.
//!
//! Each capability declares its own commands (see
//! [`commands!`](crate::commands!)) next to its records and views;
//! [`all_commands`] lists them all, and the engine's test checks that its
//! handler serves exactly these.
//!
//! ```
//! use nabo_shared::api::all_commands;
//! use nabo_shared::command::Command;
//! use nabo_shared::activities::ListActivities;
//!
//! assert_eq!(ListActivities::NAME, "list_activities");
//! assert!(all_commands().any(|name| name == "save_activity"));
//! ```

use serde::{Deserialize, Serialize};

use crate::activities::CheckinRejection;
use crate::codes::CodeError;
use crate::command::Command;
use crate::community::InviteProblem;
use crate::exchange::SyncFileProblem;
use crate::fields::FieldProblem;
use crate::sync::SyncProblem;

/// Every command of every capability.
pub fn all_commands() -> impl Iterator<Item = &'static str> {
    [
        crate::community::COMMANDS,
        crate::members::COMMANDS,
        crate::members::devices::COMMANDS,
        crate::members::cards::COMMANDS,
        crate::activities::COMMANDS,
        crate::rewards::COMMANDS,
        crate::rewards::hours::COMMANDS,
        crate::rewards::payments::COMMANDS,
        crate::rewards::offers::COMMANDS,
        crate::rewards::rules::COMMANDS,
        crate::exchange::COMMANDS,
        crate::sync::COMMANDS,
        crate::review::COMMANDS,
        crate::budget::report::COMMANDS,
        crate::budget::round::COMMANDS,
        crate::budget::together::COMMANDS,
        crate::budget::pool::COMMANDS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// A command's reply, or the error the UI shows.
pub type Reply<C> = Result<<C as Command>::Reply, ApiError>;

/// The event the engine emits after every committed change, naming the
/// tables that changed so only the views that read them refetch.
pub const STORE_CHANGED: &str = "store-changed";

/// The event the UI sends once its first screen is drawn (the start-up
/// benchmark times the app to it).
pub const UI_READY: &str = "ui-ready";

/// The event a live sync emits as it goes, with a
/// [`SyncProgress`](crate::sync::SyncProgress).
pub const SYNC_PROGRESS: &str = "sync-progress";

/// The tables views read, as [`STORE_CHANGED`] names them. Each projection
/// table belongs to one record kind of the engine, which declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// Genesis records.
    Communities,
    /// Memberships.
    Members,
    /// Revocations of membership.
    Revocations,
    /// Reinstatements of membership.
    Reinstatements,
    /// Links of new devices to members.
    DeviceLinks,
    /// Retirements of lost devices.
    DeviceRetirements,
    /// Invites marked for a member's new device.
    Replacements,
    /// Coordinators' word that a key is a printed member card.
    Cards,
    /// Join requests.
    JoinRequests,
    /// Withdrawals of invites.
    InviteWithdrawals,
    /// The invites this device issued (kept on this device only).
    Invites,
    /// Activities.
    Activities,
    /// Check-ins.
    Checkins,
    /// Ledger entries.
    Ledger,
    /// Movements of currency between accounts (coordinators' corrections).
    Movements,
    /// Payments to partners and the community house.
    Payments,
    /// Versions of partners' offers.
    Offers,
    /// Partners' returns of points to the community.
    Returns,
    /// Coordinators' acceptances of flagged spendings.
    OverspendDecisions,
    /// Coordinators' statements of members' balances.
    Statements,
    /// Payees' refusals of payments they were shown.
    PaymentRefusals,
    /// Payees' closures of their payment requests (paid, or expired).
    PaymentClosures,
    /// Versions of volunteers' hour claims.
    HourClaims,
    /// Coordinators' decisions on hour claims.
    HourDecisions,
    /// Changes of the community's rules.
    Rules,
    /// Versions of neighbourhood budget rounds.
    BudgetRounds,
    /// Versions of proposals to budget rounds.
    Proposals,
    /// Coordinators' reviews of proposals.
    ProposalReviews,
    /// Members' ballots in budget rounds.
    Ballots,
    /// Paper ballots coordinators entered.
    PaperBallots,
    /// Coordinators' counts of budget rounds.
    Tallies,
    /// Proposals' photos.
    ProposalPhotos,
    /// One-time census codes printed on paper ballots.
    CensusCodes,
    /// Paper ballots entered by their census codes.
    CensusBallots,
    /// Versions of the small-grants pool's settings.
    Pools,
    /// Versions of applications to the small-grants pool.
    Applications,
    /// Panel members' votes on applications.
    PanelVotes,
    /// Versions of payouts from the neighbourhood budget.
    Payouts,
    /// Who may edit proposals' descriptions.
    ProposalHelpers,
    /// Edits of proposals' descriptions.
    ProposalEdits,
    /// Proposals' descriptions as coordinators reviewed them.
    ReviewedTexts,
    /// Values the projection refused (the review queue reads them).
    Rejected,
    /// Device settings (language, which community).
    Settings,
    /// The coordinator's own decisions in the review queue (late check-ins
    /// seen and approved).
    Review,
    /// The sync screen's data: peers, paired hubs, this device's hub.
    Sync,
}

impl Table {
    /// Every table, in a fixed order.
    pub const ALL: [Table; 45] = [
        Table::Communities,
        Table::Members,
        Table::Revocations,
        Table::Reinstatements,
        Table::DeviceLinks,
        Table::DeviceRetirements,
        Table::Replacements,
        Table::Cards,
        Table::JoinRequests,
        Table::InviteWithdrawals,
        Table::Invites,
        Table::Activities,
        Table::Checkins,
        Table::Ledger,
        Table::Movements,
        Table::Payments,
        Table::Offers,
        Table::Returns,
        Table::OverspendDecisions,
        Table::Statements,
        Table::PaymentRefusals,
        Table::PaymentClosures,
        Table::HourClaims,
        Table::HourDecisions,
        Table::Rules,
        Table::BudgetRounds,
        Table::Proposals,
        Table::ProposalReviews,
        Table::Ballots,
        Table::PaperBallots,
        Table::Tallies,
        Table::ProposalPhotos,
        Table::CensusCodes,
        Table::CensusBallots,
        Table::Pools,
        Table::Applications,
        Table::PanelVotes,
        Table::Payouts,
        Table::ProposalHelpers,
        Table::ProposalEdits,
        Table::ReviewedTexts,
        Table::Rejected,
        Table::Settings,
        Table::Review,
        Table::Sync,
    ];

    /// The table's name (the SQLite table of a projection table).
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Communities => "communities",
            Table::Members => "members",
            Table::Revocations => "revocations",
            Table::Reinstatements => "reinstatements",
            Table::DeviceLinks => "device_links",
            Table::DeviceRetirements => "device_retirements",
            Table::Replacements => "replacements",
            Table::Cards => "cards",
            Table::JoinRequests => "join_requests",
            Table::InviteWithdrawals => "invite_withdrawals",
            Table::Invites => "invites",
            Table::Activities => "activities",
            Table::Checkins => "checkins",
            Table::Ledger => "ledger",
            Table::Movements => "movements",
            Table::Payments => "payments",
            Table::Offers => "offers",
            Table::Returns => "returns",
            Table::OverspendDecisions => "overspend_decisions",
            Table::Statements => "statements",
            Table::PaymentRefusals => "payment_refusals",
            Table::PaymentClosures => "payment_closures",
            Table::HourClaims => "hour_claims",
            Table::HourDecisions => "hour_decisions",
            Table::Rules => "rules",
            Table::BudgetRounds => "budget_rounds",
            Table::Proposals => "proposals",
            Table::ProposalReviews => "proposal_reviews",
            Table::Ballots => "ballots",
            Table::PaperBallots => "paper_ballots",
            Table::Tallies => "tallies",
            Table::ProposalPhotos => "proposal_photos",
            Table::CensusCodes => "census_codes",
            Table::CensusBallots => "census_ballots",
            Table::Pools => "pools",
            Table::Applications => "applications",
            Table::PanelVotes => "panel_votes",
            Table::Payouts => "payouts",
            Table::ProposalHelpers => "proposal_helpers",
            Table::ProposalEdits => "proposal_edits",
            Table::ReviewedTexts => "reviewed_texts",
            Table::Rejected => "rejected",
            Table::Settings => "settings",
            Table::Review => "review",
            Table::Sync => "sync",
        }
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Payload of [`STORE_CHANGED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreChanged {
    /// Tables that changed, e.g. `["activities"]`.
    pub tables: Vec<Table>,
}

/// What an [`ApiError::NotFound`] was looking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// An activity.
    Activity,
    /// A member.
    Member,
    /// A check-in.
    CheckIn,
    /// An invite.
    Invite,
    /// A volunteer's hour claim.
    Hours,
    /// A partner's offer.
    Offer,
    /// A flagged payment or return.
    Overspend,
    /// A budget round.
    Round,
    /// A proposal to a budget round.
    Proposal,
    /// An application to the small-grants pool.
    Application,
    /// A payout from the neighbourhood budget.
    Payout,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Missing::Activity => "activity",
            Missing::Member => "member",
            Missing::CheckIn => "check-in",
            Missing::Invite => "invite",
            Missing::Hours => "hours",
            Missing::Offer => "offer",
            Missing::Overspend => "overspend",
            Missing::Round => "budget round",
            Missing::Proposal => "proposal",
            Missing::Application => "application",
            Missing::Payout => "payout",
        })
    }
}

/// Which form field an [`ApiError::InvalidField`] is about.
pub type FieldName = String;

/// Every error the UI can get back, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApiError {
    /// A budget file cannot be read: where (its line; 0 for the file as a
    /// whole) and why.
    #[error("the budget file cannot be read (line {line}): {problem}")]
    BudgetFile {
        /// The line.
        line: u64,
        /// Why.
        problem: crate::budget::pabulib::PbProblem,
    },
    /// A budget file's ballots are not approval ballots.
    #[error("the budget file has {vote_type} ballots; only approval ballots are counted")]
    BudgetBallots {
        /// The kind of ballots it has.
        vote_type: String,
    },
    /// A proposal, ballot or count a budget round does not take.
    #[error("budget round: {problem}")]
    Ballot {
        /// Why.
        problem: crate::budget::round::BallotProblem,
    },
    /// An application, panel vote or payout the small-grants pool does
    /// not take.
    #[error("small-grants pool: {problem}")]
    Pool {
        /// Why.
        problem: crate::budget::pool::PoolProblem,
    },
    /// The device has not created or joined a community yet.
    #[error("this device has not joined a neighbourhood")]
    NotSetUp,
    /// The device already belongs to a community.
    #[error("this device already belongs to a neighbourhood")]
    AlreadySetUp,
    /// Only a coordinator may do this.
    #[error("only a coordinator can do this")]
    NotCoordinator,
    /// A coordinator cannot remove their own access: another one must.
    #[error("another coordinator must remove this access")]
    OwnAccess,
    /// A coordinator's phone is not replaced as a member's: another
    /// coordinator removes it and invites the new one as a coordinator.
    #[error("a coordinator's phone is replaced with a coordinator invite")]
    CoordinatorDevice,
    /// A coordinator cannot correct their own points: another one must.
    #[error("another coordinator must correct these points")]
    OwnPoints,
    /// A coordinator cannot decide on their own hours: another one must.
    #[error("another coordinator must decide on these hours")]
    OwnHours,
    /// A coordinator already decided on these hours: they are locked.
    #[error("these hours are already decided")]
    HoursDecided,
    /// The balance is lower than the amount asked.
    #[error("not enough points: the balance is {balance}")]
    NotEnoughPoints {
        /// The balance.
        balance: i64,
    },
    /// A member card that cannot be used.
    #[error("card: {problem}")]
    CardRefused {
        /// Why.
        problem: crate::members::cards::CardProblem,
    },
    /// A payment request or payment that cannot be used.
    #[error("payment: {problem}")]
    PaymentRefused {
        /// Why.
        problem: crate::rewards::payments::PaymentProblem,
    },
    /// The activity is archived: bring it back first.
    #[error("the activity is archived")]
    ActivityArchived,
    /// The thing asked for does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for.
        what: Missing,
    },
    /// A form field is wrong.
    #[error("{field} {problem}")]
    InvalidField {
        /// The field.
        field: FieldName,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// The scanned text is not a readable Nabo code.
    #[error("unreadable code: {problem}")]
    UnreadableCode {
        /// Why.
        problem: CodeError,
    },
    /// A readable code of the wrong kind here (an invite on the check-in screen...).
    #[error("this is not the kind of code expected here")]
    WrongKindOfCode {
        /// What it is, so the message can say where it belongs.
        found: crate::codes::CodeKind,
    },
    /// The check-in code was refused.
    #[error("check-in refused: {reason}")]
    CheckinRefused {
        /// Why.
        reason: CheckinRejection,
    },
    /// The invite was refused.
    #[error("invite refused: {reason}")]
    InviteRefused {
        /// Why.
        reason: InviteProblem,
    },
    /// An image could not be read as a picture.
    #[error("the file is not a picture this app can read")]
    ImageUnreadable,
    /// The picture holds no QR code that could be found.
    #[error("no QR code found in the picture")]
    NoQrInImage,
    /// A sync file is broken or not a Nabo sync file.
    #[error("the sync file cannot be used: {problem}")]
    BadSyncFile {
        /// Why.
        problem: SyncFileProblem,
    },
    /// Reading or writing a file or folder failed.
    #[error("file error at {path}: {detail}")]
    File {
        /// The file.
        path: String,
        /// The operating system's words.
        detail: String,
    },
    /// The local database failed. Nothing was changed.
    #[error("the database failed: {detail}")]
    Database {
        /// The database's words.
        detail: String,
    },
    /// Something stored on this device is unreadable (disk damage or a bug).
    /// Nothing was changed.
    #[error("stored data is unreadable: {detail}")]
    DamagedStore {
        /// What could not be read.
        detail: String,
    },
    /// The store was written by a newer version of Nabo.
    #[error("the data was written by a newer Nabo (schema {version})")]
    StoreTooNew {
        /// The store's schema version.
        version: i64,
    },
    /// The operating system gave no randomness for a new key or id.
    #[error("the system could not provide randomness")]
    NoRandomness,
    /// A pairing code is for another neighbourhood's hub.
    #[error("this hub belongs to another neighbourhood")]
    HubOfOtherCommunity,
    /// The pairing code is this device's own.
    #[error("this is this device's own code")]
    OwnHub,
    /// Text typed as a hub's short code is not one.
    #[error("not a hub code: expected address:port/fingerprint")]
    BadShortCode,
    /// No hub is paired yet.
    #[error("no hub is paired yet")]
    NoHub,
    /// The hub could not be started (the port is taken, no network).
    #[error("the hub could not start: {detail}")]
    HubFailed {
        /// The operating system's words.
        detail: String,
    },
    /// A live sync failed.
    #[error("sync failed: {problem}")]
    SyncFailed {
        /// Why.
        problem: SyncProblem,
    },
    /// A check inside the app failed (a bug). Nothing was lost.
    #[error("internal error: {detail}")]
    Internal {
        /// What failed.
        detail: String,
    },
    /// The UI could not reach the engine or read its answer (a bug, or a
    /// UI and engine from different builds).
    #[error("the app's engine did not answer as expected: {detail}")]
    Ipc {
        /// What went wrong.
        detail: String,
    },
}

impl ApiError {
    /// A form field's error, as the UI says it before asking the engine.
    pub fn invalid(field: &str, problem: FieldProblem) -> Self {
        ApiError::InvalidField {
            field: field.into(),
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_a_kind_tag_for_the_ui() {
        let e = ApiError::CheckinRefused {
            reason: CheckinRejection::Expired,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "checkin_refused");
        assert_eq!(json["reason"]["kind"], "expired");
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), e);
    }

    #[test]
    fn field_errors_name_the_field() {
        let e = ApiError::InvalidField {
            field: "title".into(),
            problem: FieldProblem::Required,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind":"invalid_field","field":"title","problem":"required"})
        );
    }

    #[test]
    fn every_table_is_named_as_its_wire_form() {
        for table in Table::ALL {
            assert_eq!(serde_json::to_value(table).unwrap(), table.as_str());
        }
        let mut names: Vec<_> = Table::ALL.iter().map(|t| t.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Table::ALL.len());
    }

    #[test]
    fn command_names_are_unique() {
        let mut names: Vec<_> = all_commands().collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "a command name is declared twice");
    }
}
