//! The coordinator's review queue ("Til gennemsyn"): what needs a human.
//! Each [`ReviewItem`] says what it is about, why it is here, who signed
//! it and which device it came from. The queue is a list of reasons, so
//! later capabilities (hours to approve, overspends, paper ballots) add
//! their own [`ReviewReason`] without a screen of their own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fields::FieldProblem;

/// The kinds of signed record, as the review queue names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A community's founding record.
    Genesis,
    /// A membership.
    Membership,
    /// A revocation of a membership.
    Revocation,
    /// A reinstatement of a membership.
    Reinstatement,
    /// A link of a new device to a member.
    DeviceLink,
    /// A retirement of a lost device.
    DeviceRetirement,
    /// An invite marked for a member's new device.
    Replacement,
    /// A coordinator's word that a key is a printed member card.
    Card,
    /// A join request.
    JoinRequest,
    /// A withdrawal of an invite.
    InviteWithdrawal,
    /// An activity.
    Activity,
    /// A check-in.
    CheckIn,
    /// A ledger entry.
    LedgerEntry,
    /// A movement of currency (a coordinator's correction).
    Movement,
    /// A payment to a partner or the community house.
    Payment,
    /// A version of a partner's offer.
    Offer,
    /// A partner's return of points to the community.
    Return,
    /// A coordinator's acceptance of a flagged spending as a debt.
    OverspendAccepted,
    /// A coordinator's device's statement of a member's balance.
    BalanceStatement,
    /// A payee's refusal of a payment it was shown.
    PaymentRefused,
    /// A payee's word on how one of its payment requests ended.
    PaymentClosed,
    /// A version of a volunteer's hour claim.
    HourClaim,
    /// A coordinator's decision on an hour claim.
    HourDecision,
    /// A change of the community's rules.
    Rules,
    /// A version of a budget round.
    BudgetRound,
    /// A version of a proposal to a budget round.
    Proposal,
    /// A coordinator's review of a proposal.
    ProposalReview,
    /// A member's ballot in a budget round.
    Ballot,
    /// A paper ballot a coordinator entered.
    PaperBallot,
    /// A coordinator's count of a budget round.
    Tally,
    /// A proposal's photo.
    ProposalPhoto,
    /// One-time census codes printed on paper ballots.
    CensusCodes,
    /// A paper ballot entered by its census code.
    CensusBallot,
    /// A version of the small-grants pool's settings.
    Pool,
    /// A version of an application to the small-grants pool.
    Application,
    /// A panel member's vote on an application.
    PanelVote,
    /// A version of a payout from the neighbourhood budget.
    Payout,
    /// The members who may edit a proposal's description.
    ProposalHelpers,
    /// An edit of a proposal's description.
    ProposalEdit,
    /// A proposal's description as a coordinator reviewed it.
    ReviewedText,
}

/// Who may write a kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Writer {
    /// The community's founding key.
    Founder,
    /// A coordinator.
    Coordinator,
    /// The member the record is about, with their own key.
    Subject,
}

/// Why the projection refused a value it found in a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordProblem {
    /// A key Nabo never writes in this kind of document.
    #[error("a key Nabo does not write here")]
    UnknownKey,
    /// The value is not a signed record at all.
    #[error("not a signed record")]
    NotSigned,
    /// The record cannot be read.
    #[error("the record is unreadable")]
    Unreadable,
    /// The signature does not verify: forged or altered.
    #[error("the signature does not verify")]
    BadSignature,
    /// The record names another community, member, id or document than the
    /// place it is stored in.
    #[error("the record does not match where it is stored")]
    Misplaced,
    /// A community's id does not belong to the key that founded it.
    #[error("the community id does not belong to the founding key")]
    NotSelfCertifying,
    /// A field is out of bounds.
    #[error("{field} {problem}")]
    InvalidField {
        /// The field.
        field: String,
        /// What is wrong.
        problem: FieldProblem,
    },
}

/// Why something is in the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ReviewReason {
    /// A value in a document was refused; it counts for nothing.
    Refused {
        /// Why.
        problem: RecordProblem,
    },
    /// A record signed by someone without the right to write it; it counts
    /// for nothing.
    NotEntitled {
        /// Who may write it.
        needs: Writer,
    },
    /// A join request made from an invite that no coordinator issued or
    /// that does not verify; nobody will confirm it.
    BadInvite,
    /// A join request a coordinator must approve by hand.
    AwaitingApproval {
        /// Why it is not confirmed on its own.
        why: ApprovalNeeded,
    },
    /// A check-in that claims a time before its phone's previous sync with
    /// this device, or after this device's now: a clock set back or forward.
    /// It is rewarded only when a coordinator approves it.
    LateCheckin {
        /// The activity's title.
        activity: String,
        /// The time the check-in claims.
        at: DateTime<Utc>,
    },
    /// A check-in made with an activity's poster (a code anyone can
    /// photograph): it is rewarded only when a coordinator approves it.
    PosterCheckin {
        /// The activity's title.
        activity: String,
        /// The time the check-in claims.
        at: DateTime<Utc>,
    },
    /// Volunteer hours waiting for a coordinator's yes or no.
    Hours {
        /// The activity's title, or the volunteer's words for other work.
        activity: String,
        /// The day worked.
        date: chrono::NaiveDate,
        /// Quarter hours claimed.
        quarters: u32,
        /// Points an approval pays at today's rate.
        points: u64,
        /// The volunteer's note.
        note: String,
    },
    /// A payment or return that took the payer's account below zero, in the
    /// order every device gives the account's movements (by the time each
    /// claims, then by id): two places spent one balance (a restored
    /// backup, a modified phone).
    Overspend {
        /// Who was paid (a partner's name, or the community's).
        payee: String,
        /// How many points.
        amount: u64,
        /// What for.
        what: String,
        /// When the payer's device says it paid.
        at: DateTime<Utc>,
        /// The account's balance right after it.
        balance_after: i64,
    },
    /// A member voted both on paper (entered by a coordinator) and by
    /// phone in a budget round: the paper ballot counts.
    DoubleVote {
        /// The round's title.
        round: String,
    },
    /// A census code was entered for more than one paper ballot (the
    /// newest entered counts).
    CodeUsedTwice {
        /// The round's title.
        round: String,
    },
    /// A device deleted a record. Signed records only grow: it still counts.
    Erased,
    /// A device put an earlier version of a record back. It changes
    /// nothing: the newest version still counts.
    PutBack,
}

/// Why a join request waits for a coordinator instead of being confirmed
/// when it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalNeeded {
    /// The invite makes a coordinator: never confirmed without a human.
    CoordinatorRole,
    /// The invite had expired, by the confirming device's clock, when the
    /// request arrived.
    InviteExpired,
    /// The invite already admitted as many devices as it may.
    InviteUsedUp,
    /// A coordinator withdrew the invite.
    InviteWithdrawn,
    /// The invite is of an earlier format, without a use limit.
    OldInvite,
}

/// A device or member, as the queue names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The device key's fingerprint (or, for a device this one does not
    /// know, the first bytes of the key it wrote under).
    pub device: String,
    /// The member's name, when known.
    pub name: Option<String>,
}

/// One thing for a coordinator to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Why it is here.
    pub reason: ReviewReason,
    /// What kind of record it is, when that could be told.
    pub record: Option<RecordKind>,
    /// Who signed it, when it is signed.
    pub signer: Option<Party>,
    /// The device that wrote it into the document.
    pub from: Option<Party>,
    /// Where it is stored (document and key), for support.
    pub location: String,
    /// What a coordinator's approval applies to, when the item can be
    /// approved: the asking device's fingerprint for a join, the check-in's
    /// id for a late or poster check-in.
    pub subject: Option<String>,
}

/// → `Vec<`[`ReviewItem`]`>`: everything that needs a coordinator
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListReview;

crate::commands! {
    ListReview => "list_review" -> Vec<ReviewItem>;
}
