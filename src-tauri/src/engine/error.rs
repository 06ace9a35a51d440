//! The engine's errors. A [`Refused`] request broke a rule and the user can
//! do something about it; every other [`EngineError`] is a failure of this
//! device (its database, its files, its stored data). The command layer
//! turns both into the UI's `ApiError`, keeping them apart.

use std::path::PathBuf;

use nabo_shared::activities::CheckinRejection;
use nabo_shared::api::Missing;
use nabo_shared::codes::CodeError;
use nabo_shared::community::InviteProblem;
use nabo_shared::exchange::SyncFileProblem;
use nabo_shared::fields::FieldProblem;
use nabo_shared::sync::SyncProblem;

/// Everything that can go wrong inside the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The SQLite store failed; the transaction was rolled back.
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// An Automerge document could not be read or changed.
    #[error("document {doc}: {source}")]
    Document {
        /// Which document.
        doc: String,
        /// What Automerge said (boxed: it is large and rare).
        #[source]
        source: Box<automerge::AutomergeError>,
    },
    /// Something stored on this device is unreadable (a bug or disk damage).
    #[error("stored data is unreadable: {what} {value:?}")]
    Corrupt {
        /// What could not be read.
        what: &'static str,
        /// The stored value, as far as it can be shown.
        value: String,
    },
    /// The store was written by a newer version of Nabo.
    #[error("the database was written by a newer Nabo (schema {version})")]
    StoreTooNew {
        /// Its schema version.
        version: i64,
    },
    /// The folder for the store could not be created.
    #[error("cannot create {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The operating system's random number generator failed.
    #[error("no randomness available: {0}")]
    Random(getrandom::Error),
    /// Something this device made itself did not come out as it must (a
    /// record it just signed did not project, a code it drew did not fit):
    /// a bug, never bad input.
    #[error("internal check failed: {what}")]
    Invariant {
        /// What failed.
        what: String,
    },
    /// The request breaks a rule: the UI shows why.
    #[error(transparent)]
    Refused(#[from] Refused),
}

/// A request the engine refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The device has not created or joined a community yet.
    #[error("this device has not joined a neighbourhood")]
    NotSetUp,
    /// The device already belongs to a community.
    #[error("this device already belongs to a neighbourhood")]
    AlreadySetUp,
    /// Only a coordinator may do this.
    #[error("only a coordinator can do this")]
    NotCoordinator,
    /// The activity is archived: bring it back first.
    #[error("the activity is archived")]
    ActivityArchived,
    /// A coordinator cannot remove their own access: another one must.
    #[error("another coordinator must remove this access")]
    OwnAccess,
    /// A coordinator's phone is not replaced as a member's.
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
    #[error("card: {0}")]
    Card(nabo_shared::members::cards::CardProblem),
    /// A payment request or payment that cannot be used.
    #[error("payment: {0}")]
    Payment(nabo_shared::rewards::payments::PaymentProblem),
    /// A proposal, ballot or count a budget round does not take.
    #[error("budget round: {0}")]
    Ballot(nabo_shared::budget::round::BallotProblem),
    /// An application, panel vote or payout the pool does not take.
    #[error("small-grants pool: {0}")]
    Pool(nabo_shared::budget::pool::PoolProblem),
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(Missing),
    /// A form field is wrong.
    #[error("{field} {problem}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// The scanned text is not a readable Nabo code.
    #[error("unreadable code: {0}")]
    UnreadableCode(CodeError),
    /// A readable code of the wrong kind here.
    #[error("this is not the kind of code expected here")]
    WrongKindOfCode(nabo_shared::codes::CodeKind),
    /// A check-in was refused.
    #[error("check-in refused: {0}")]
    Checkin(CheckinRejection),
    /// An invite was refused.
    #[error("invite refused: {0}")]
    Invite(InviteProblem),
    /// An image could not be read as a picture.
    #[error("the file is not a picture this app can read")]
    ImageUnreadable,
    /// The picture holds no QR code that could be found.
    #[error("no QR code found in the picture")]
    NoQrInImage,
    /// A sync file cannot be used.
    #[error("the sync file cannot be used: {0}")]
    SyncFile(SyncFileProblem),
    /// A pairing code is for another neighbourhood's hub.
    #[error("this hub belongs to another neighbourhood")]
    HubOfOtherCommunity,
    /// The pairing code is this device's own.
    #[error("this is this device's own code")]
    OwnHub,
    /// Text typed as a hub's short code is not one.
    #[error("not a hub code")]
    BadShortCode,
    /// The other device of a live sync sent something this one refuses.
    #[error("sync: {0}")]
    Sync(SyncProblem),
}

impl EngineError {
    pub(crate) fn doc(doc: impl std::fmt::Display, source: automerge::AutomergeError) -> Self {
        EngineError::Document {
            doc: doc.to_string(),
            source: Box::new(source),
        }
    }

    pub(crate) fn corrupt(what: &'static str, value: impl std::fmt::Display) -> Self {
        EngineError::Corrupt {
            what,
            value: value.to_string(),
        }
    }
}

/// Shorthand for results inside the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
