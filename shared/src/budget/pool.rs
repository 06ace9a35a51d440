//! The small-grants pool (*hurtigpulje*) and the neighbourhood budget's
//! account: a standing pool a small panel decides on within days, and
//! what the rounds and the pool granted, paid out and have left.
//!
//! Who writes what, and what supersedes it:
//! - [`Pool`]: coordinators; the newest `updated_at` counts. It names the
//!   panel (members, by their identity key), the pool's amount, the most
//!   one application may ask, and how many days the panel has.
//! - [`Application`]: its applicant; the newest version they signed
//!   counts until the panel decides on a version: that version stands,
//!   with its decision, whatever the applicant signs later. Panel votes
//!   name the version they were cast on, so a version changed before a
//!   decision is voted on again.
//! - [`PanelVote`]: a panel member, with their own key; the newest vote of
//!   each member of the panel in force counts. A vote of anyone not on the
//!   panel counts for nothing. More than half the panel voting yes grants
//!   an application; half or more voting no declines it.
//! - [`Payout`]: coordinators: money paid to a recipient for a round's
//!   funded proposal or a granted application. A payout is never edited or
//!   deleted: a correction is a newer version of it, cancelled, with why.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::fields::{FieldProblem, MAX_TEXT, MAX_TITLE};
use crate::ids::{ApplicationId, CommunityId, PayoutId, ProposalId, RoundId};
use crate::signed::Record;

use super::round::MAX_KRONER;

/// The most members a panel has.
pub const MAX_PANEL: usize = 15;
/// The most days a panel may be given to decide.
pub const MAX_DAYS: u32 = 90;

/// A version of the pool's settings, signed by a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    /// The community.
    pub community: CommunityId,
    /// The pool's amount, in whole kroner.
    pub amount: u64,
    /// The most one application may ask, in whole kroner.
    pub cap: u64,
    /// How many days the panel has to decide.
    pub days: u32,
    /// The panel: members' identity keys.
    pub panel: Vec<MemberKey>,
    /// When this version was signed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Pool {
    const DOMAIN: &'static str = "nabo/budget-pool/v1";
}

impl Pool {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        if !(1..=MAX_KRONER).contains(&self.amount) {
            return Err(("amount", FieldProblem::OutOfRange));
        }
        if !(1..=self.amount).contains(&self.cap) {
            return Err(("cap", FieldProblem::OutOfRange));
        }
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(("days", FieldProblem::OutOfRange));
        }
        let mut panel = self.panel.clone();
        panel.sort_unstable();
        panel.dedup();
        if panel.is_empty() {
            return Err(("panel", FieldProblem::Required));
        }
        if panel.len() != self.panel.len() || panel.len() > MAX_PANEL {
            return Err(("panel", FieldProblem::OutOfRange));
        }
        Ok(())
    }
}

/// A version of a member's application to the pool, signed by them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// Stable across versions.
    pub id: ApplicationId,
    /// The community.
    pub community: CommunityId,
    /// Who applies (and signs it).
    pub applicant: MemberKey,
    /// What it is for, e.g. "Fastelavnsfest i gården".
    pub title: String,
    /// What and why.
    pub description: String,
    /// What it asks, in whole kroner.
    pub cost: u64,
    /// The association or organisation that would receive the money.
    pub recipient: String,
    /// Taken back by the applicant.
    pub withdrawn: bool,
    /// When this version was signed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Application {
    const DOMAIN: &'static str = "nabo/pool-application/v1";
}

impl Application {
    /// The first field out of bounds, if any (the pool's cap is checked
    /// against the pool in force).
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        text("title", &self.title, MAX_TITLE)?;
        text("description", &self.description, MAX_TEXT)?;
        if !(1..=MAX_KRONER).contains(&self.cost) {
            return Err(("cost", FieldProblem::OutOfRange));
        }
        text("recipient", &self.recipient, MAX_TITLE)
    }
}

/// A required text within `max` characters.
fn text(field: &'static str, value: &str, max: usize) -> Result<(), (&'static str, FieldProblem)> {
    crate::fields::required(value, max)
        .map(drop)
        .map_err(|p| (field, p))
}

/// A panel member's vote on one version of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelVote {
    /// The application.
    pub application: ApplicationId,
    /// Its applicant (an application is its id and its applicant).
    pub applicant: MemberKey,
    /// The community.
    pub community: CommunityId,
    /// The `updated_at` of the version voted on.
    pub version: DateTime<Utc>,
    /// For, or against.
    pub yes: bool,
    /// A word to the applicant; required with a no.
    pub note: String,
    /// When the panel member's device signed it.
    pub voted_at: DateTime<Utc>,
}

impl Record for PanelVote {
    const DOMAIN: &'static str = "nabo/pool-vote/v1";
}

impl PanelVote {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        if self.yes {
            if self.note.chars().count() > MAX_TEXT {
                return Err(("note", FieldProblem::TooLong));
            }
            Ok(())
        } else {
            text("note", &self.note, MAX_TEXT)
        }
    }
}

/// What a payout pays for.
///
/// Stored in signed records (postcard), so not internally tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaidFor {
    /// A proposal a counted round funds.
    Project {
        /// The round.
        round: RoundId,
        /// The proposal.
        proposal: ProposalId,
    },
    /// A granted application to the pool.
    Grant {
        /// The application.
        application: ApplicationId,
    },
}

/// A version of a payout, signed by a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    /// Stable across versions.
    pub id: PayoutId,
    /// The community.
    pub community: CommunityId,
    /// What it pays for.
    pub paid_for: PaidFor,
    /// Who received the money.
    pub recipient: String,
    /// How much, in whole kroner.
    pub amount: u64,
    /// The day it was paid.
    pub paid_on: NaiveDate,
    /// A word on it (an invoice number); why, when cancelled.
    pub note: String,
    /// A correction: this payout did not happen.
    pub cancelled: bool,
    /// When this version was signed.
    pub recorded_at: DateTime<Utc>,
}

impl Record for Payout {
    const DOMAIN: &'static str = "nabo/budget-payout/v1";
}

impl Payout {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        if !(1..=MAX_KRONER).contains(&self.amount) {
            return Err(("amount", FieldProblem::OutOfRange));
        }
        text("recipient", &self.recipient, MAX_TITLE)?;
        if self.cancelled {
            text("note", &self.note, MAX_TEXT)
        } else if self.note.chars().count() > MAX_TEXT {
            Err(("note", FieldProblem::TooLong))
        } else {
            Ok(())
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The panel has not decided yet.
    Pending,
    /// More than half the panel voted yes.
    Granted,
    /// Half the panel or more voted no: it cannot get a majority.
    Declined,
    /// The applicant took it back.
    Withdrawn,
}

impl Decision {
    /// The decision of `panel` members of whom `yes` voted for and `no`
    /// against.
    pub fn of(panel: usize, yes: usize, no: usize) -> Decision {
        if yes * 2 > panel {
            Decision::Granted
        } else if panel > 0 && no * 2 >= panel {
            Decision::Declined
        } else {
            Decision::Pending
        }
    }
}

/// Why the pool refused something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum PoolProblem {
    /// No coordinator has set up the pool yet.
    #[error("the pool is not set up")]
    NoPool,
    /// Only members of the panel vote.
    #[error("only the panel votes")]
    NotOnPanel,
    /// An application asks more than the pool's cap.
    #[error("an application asks at most {cap}")]
    OverCap {
        /// The cap.
        cap: u64,
    },
    /// The panel has voted on it: it is no longer changed (a new
    /// application can be made).
    #[error("the panel has voted on it")]
    Voted,
    /// It is decided (or withdrawn): votes no longer change it.
    #[error("it is decided")]
    Decided,
    /// A payout is for a proposal a counted round funds, or a granted
    /// application.
    #[error("it is not granted")]
    NotGranted,
    /// A payout would pay more than was granted.
    #[error("at most {left} is left to pay")]
    OverGranted {
        /// What is left to pay.
        left: u64,
    },
    /// A panel member does not vote on their own application.
    #[error("a panel member does not vote on their own application")]
    OwnApplication,
    /// The payout is already cancelled.
    #[error("the payout is already cancelled")]
    Cancelled,
}

/// A panel member as the pool shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelMember {
    /// Their name.
    pub name: String,
    /// Their device fingerprint (as the member list names them).
    pub device: String,
    /// Whether they are a coordinator.
    pub coordinator: bool,
}

/// The pool's settings as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSettings {
    /// The pool's amount.
    pub amount: u64,
    /// The most one application asks.
    pub cap: u64,
    /// Days the panel has.
    pub days: u32,
    /// The panel.
    pub panel: Vec<PanelMember>,
}

/// A panel vote as the application shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteView {
    /// The panel member's name.
    pub by: String,
    /// For or against.
    pub yes: bool,
    /// Their word.
    pub note: String,
}

/// An application as the pool shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    /// The application.
    pub id: ApplicationId,
    /// What it is for.
    pub title: String,
    /// What and why.
    pub description: String,
    /// What it asks.
    pub cost: u64,
    /// Who would receive the money.
    pub recipient: String,
    /// The applicant's name.
    pub applicant: String,
    /// This device's member applied.
    pub mine: bool,
    /// The day its newest version was made (the applicant's date).
    pub sent_on: NaiveDate,
    /// The day the panel should have decided by.
    pub due: NaiveDate,
    /// Where it stands.
    pub decision: Decision,
    /// The votes that count.
    pub votes: Vec<VoteView>,
    /// This device's member's vote, if on the panel and voted.
    pub my_vote: Option<bool>,
    /// Paid out for it so far.
    pub paid: u64,
}

/// The pool: its settings, the applications, and its account line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolView {
    /// The settings, once a coordinator set the pool up.
    pub settings: Option<PoolSettings>,
    /// This device's member is on the panel.
    pub on_panel: bool,
    /// Pending first, then the newest first.
    pub applications: Vec<ApplicationView>,
    /// The pool's amount less what it granted.
    pub left: i64,
}

/// One line of the account: a round, or the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    /// The round, or `None` for the pool.
    pub round: Option<RoundId>,
    /// The round's title (empty for the pool).
    pub title: String,
    /// Its budget.
    pub budget: u64,
    /// Granted: proposals the count funds by the published rule, or
    /// granted applications.
    pub granted: u64,
    /// Paid out.
    pub paid: u64,
    /// The budget less what was granted (negative when more was granted).
    pub left: i64,
}

/// Something granted, with what is left to pay for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owed {
    /// What it is.
    pub paid_for: PaidFor,
    /// Its title.
    pub title: String,
    /// Who receives the money.
    pub recipient: String,
    /// What was granted.
    pub granted: u64,
    /// What is paid so far.
    pub paid: u64,
}

/// A payout as the account lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutView {
    /// The payout.
    pub id: PayoutId,
    /// What it paid for: the proposal's or the application's title.
    pub title: String,
    /// Who received it.
    pub recipient: String,
    /// How much.
    pub amount: u64,
    /// The day it was paid.
    pub paid_on: NaiveDate,
    /// Its note (why, when cancelled).
    pub note: String,
    /// Cancelled by a correction.
    pub cancelled: bool,
    /// The coordinator who recorded it.
    pub by: String,
}

/// The neighbourhood budget's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Each round, newest first, then the pool (if set up).
    pub lines: Vec<AccountLine>,
    /// Everything granted, with what is left to pay.
    pub owed: Vec<Owed>,
    /// Every payout, the newest first (cancelled ones too, marked).
    pub payouts: Vec<PayoutView>,
}

/// → [`PoolView`]: the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetPool;

/// → `()`: sets up the pool or changes it (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavePool {
    /// The pool's amount.
    pub amount: u64,
    /// The most one application asks.
    pub cap: u64,
    /// Days the panel has.
    pub days: u32,
    /// The panel, by device fingerprint (as the member list names them).
    pub panel: Vec<String>,
}

/// → [`ApplicationId`]: a new application of this device's member, or a
/// new version of one (until the panel votes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveApplication {
    /// The application to change; `None` for a new one.
    pub id: Option<ApplicationId>,
    /// What it is for.
    pub title: String,
    /// What and why.
    pub description: String,
    /// What it asks.
    pub cost: u64,
    /// Who would receive the money.
    pub recipient: String,
}

/// → `()`: takes back one of this member's applications (until decided).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawApplication {
    /// The application.
    pub id: ApplicationId,
}

/// → `()`: this panel member's vote (replacing an earlier one, until
/// decided).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteOnApplication {
    /// The application.
    pub id: ApplicationId,
    /// For or against.
    pub yes: bool,
    /// A word to the applicant; required with a no.
    pub note: String,
}

/// → [`AccountView`]: the account of the rounds and the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetAccount;

/// → `()`: a payout for something granted (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordPayout {
    /// What it pays for.
    pub paid_for: PaidFor,
    /// How much.
    pub amount: u64,
    /// The day it was paid.
    pub paid_on: NaiveDate,
    /// A word on it.
    pub note: String,
}

/// → `()`: cancels a payout recorded in error (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CancelPayout {
    /// The payout.
    pub id: PayoutId,
    /// Why.
    pub reason: String,
}

crate::commands! {
    GetPool => "get_pool" -> PoolView;
    SavePool => "save_pool" -> ();
    SaveApplication => "save_application" -> ApplicationId;
    WithdrawApplication => "withdraw_application" -> ();
    VoteOnApplication => "vote_on_application" -> ();
    GetAccount => "get_account" -> AccountView;
    RecordPayout => "record_payout" -> ();
    CancelPayout => "cancel_payout" -> ();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_half_the_panel_grants_and_half_or_more_declines() {
        assert_eq!(Decision::of(3, 2, 0), Decision::Granted);
        assert_eq!(Decision::of(3, 1, 1), Decision::Pending);
        assert_eq!(Decision::of(3, 1, 2), Decision::Declined);
        // An even panel split in two cannot grant.
        assert_eq!(Decision::of(4, 2, 1), Decision::Pending);
        assert_eq!(Decision::of(4, 2, 2), Decision::Declined);
        assert_eq!(Decision::of(4, 3, 1), Decision::Granted);
        assert_eq!(Decision::of(1, 1, 0), Decision::Granted);
        assert_eq!(Decision::of(1, 0, 1), Decision::Declined);
        assert_eq!(Decision::of(0, 0, 0), Decision::Pending);
    }

    #[test]
    fn a_pool_names_a_panel_once_and_a_cap_within_its_amount() {
        let key = |b: u8| MemberKey([b; 32]);
        let pool = Pool {
            community: CommunityId::from_bytes([1; 16]),
            amount: 20_000,
            cap: 5_000,
            days: 14,
            panel: vec![key(1), key(2), key(3)],
            updated_at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(pool.check(), Ok(()));
        let mut bad = pool.clone();
        bad.cap = 20_001;
        assert_eq!(bad.check(), Err(("cap", FieldProblem::OutOfRange)));
        let mut bad = pool.clone();
        bad.panel = vec![key(1), key(1)];
        assert_eq!(bad.check(), Err(("panel", FieldProblem::OutOfRange)));
        let mut bad = pool.clone();
        bad.panel.clear();
        assert_eq!(bad.check(), Err(("panel", FieldProblem::Required)));
        let mut bad = pool;
        bad.days = 0;
        assert_eq!(bad.check(), Err(("days", FieldProblem::OutOfRange)));
    }

    #[test]
    fn a_no_and_a_cancellation_say_why() {
        let vote = PanelVote {
            application: ApplicationId::from_bytes([1; 16]),
            applicant: MemberKey([2; 32]),
            community: CommunityId::from_bytes([3; 16]),
            version: DateTime::UNIX_EPOCH,
            yes: false,
            note: " ".into(),
            voted_at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(vote.check(), Err(("note", FieldProblem::Required)));
        assert_eq!(
            PanelVote {
                yes: true,
                ..vote.clone()
            }
            .check(),
            Ok(())
        );
        let payout = Payout {
            id: PayoutId::from_bytes([4; 16]),
            community: CommunityId::from_bytes([3; 16]),
            paid_for: PaidFor::Grant {
                application: ApplicationId::from_bytes([1; 16]),
            },
            recipient: "Beboerforeningen".into(),
            amount: 1_500,
            paid_on: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            note: String::new(),
            cancelled: false,
            recorded_at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(payout.check(), Ok(()));
        // Signed records are postcard: what it pays for reads back.
        let bytes = postcard::to_allocvec(&payout).unwrap();
        assert_eq!(postcard::from_bytes::<Payout>(&bytes).unwrap(), payout);
        let cancelled = Payout {
            cancelled: true,
            ..payout
        };
        assert_eq!(cancelled.check(), Err(("note", FieldProblem::Required)));
    }
}
