//! The impact currency's ledger: the entries coordinators issue, a
//! member's wallet, [`allocation`]: how much each check-in earns under
//! the daily caps, [`ledger`]: the double-entry rules that corrections,
//! expiry and (not used by the app yet) payments and returns move currency
//! by, [`hours`]: volunteers' claims and coordinators' decisions,
//! [`rules`]: the community's rules (points an hour, a daily cap on hours,
//! points per check-in, expiry), and [`expiry`]: which month's points
//! expire when.

pub mod allocation;
pub mod expiry;
pub mod hours;
pub mod ledger;
pub mod offers;
pub mod payments;
pub mod rules;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::ids::{ActivityId, CheckinId, CommunityId, EntryId};
use crate::signed::Record;

/// Why currency moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryReason {
    /// A reward for a check-in.
    CheckIn {
        /// The check-in rewarded.
        checkin: CheckinId,
        /// Its activity.
        activity: ActivityId,
    },
    /// A coordinator's no to a check-in that waited for one (made with a
    /// poster, or late): it moves nothing (the amount is 0), and since it
    /// has the id a reward for the check-in would have, whichever of the
    /// two was issued first counts.
    Declined {
        /// The check-in declined.
        checkin: CheckinId,
        /// Its activity.
        activity: ActivityId,
        /// Why, in the coordinator's words (the member sees it).
        reason: String,
    },
}

impl EntryReason {
    /// The check-in the entry answers.
    pub fn checkin(&self) -> CheckinId {
        match self {
            EntryReason::CheckIn { checkin, .. } | EntryReason::Declined { checkin, .. } => {
                *checkin
            }
        }
    }

    /// Its activity.
    pub fn activity(&self) -> ActivityId {
        match self {
            EntryReason::CheckIn { activity, .. } | EntryReason::Declined { activity, .. } => {
                *activity
            }
        }
    }
}

/// The longest reason a coordinator gives for declining.
pub const MAX_REASON: usize = 300;

/// An immutable ledger entry issued by a coordinator. Balances are sums of
/// these, never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Stable id (see [`EntryId::reward_for`]).
    pub id: EntryId,
    /// The community.
    pub community: CommunityId,
    /// Who receives the currency.
    pub to: MemberKey,
    /// How much.
    pub amount: u32,
    /// Why.
    pub reason: EntryReason,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

impl Record for LedgerEntry {
    const DOMAIN: &'static str = "nabo/ledger-entry/v1";
}

/// How a wallet line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// A check-in not yet rewarded.
    Pending,
    /// Currency issued.
    Issued,
    /// Recorded with no currency: the activity's daily cap was reached, or
    /// the member was already rewarded for it that day.
    Capped,
    /// Made with a poster's code (or late): waiting for a coordinator's yes.
    AwaitingApproval,
    /// A coordinator said no (the reason is the line's note).
    Declined,
    /// A coordinator's correction: points given, or taken back when the
    /// line is a debit (the note says why).
    Corrected,
    /// Volunteer hours a coordinator approved (the title says what for).
    Hours,
    /// Points not spent in time expired (the note names their month,
    /// `2026-03`); a debit.
    Expired,
    /// Paid to a partner or the community house (the note names whom); a
    /// debit.
    Paid,
    /// Received from a member, as a partner (the note names whom).
    Received,
    /// Handed back to the community by a partner (the note says why); a
    /// debit.
    Returned,
    /// A payment its payee refused at the counter, or never took: it moved
    /// nothing (the note names the payee).
    PaymentRefused,
    /// A payment its payee has not yet been heard to take (the note names
    /// the payee): a debit, held back from what can be spent until a
    /// coordinator's device brings the payee's word.
    PaymentWaiting,
}

/// One line of a wallet's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletLine {
    /// When.
    pub at: DateTime<Utc>,
    /// The activity's title.
    pub title: String,
    /// The amount (issued, or expected while pending).
    pub amount: u32,
    /// Pending or issued.
    pub status: LineStatus,
    /// Why it was declined or corrected.
    #[serde(default)]
    pub note: Option<String>,
    /// The amount left the account (a correction that takes points back).
    #[serde(default)]
    pub debit: bool,
}

/// A member's wallet: a derived balance and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletView {
    /// What the member holds: the currency issued to them, with
    /// coordinators' corrections (negative only if more was taken back
    /// than was there, which two devices can do without seeing each other),
    /// less what they paid, including payments still waiting for their
    /// payee's word: what they can spend.
    pub balance: i64,
    /// Sum of rewards still waiting for a coordinator.
    pub pending: u64,
    /// Newest first.
    pub history: Vec<WalletLine>,
}

/// → [`WalletView`]: this device's member's wallet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetWallet;

/// → the number approved: rewards check-ins that wait in the review queue
/// (made with a poster, or late), one or a whole activity's day at once
/// (coordinators only). Those no longer waiting are passed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApproveCheckins {
    /// The check-ins.
    pub checkins: Vec<CheckinId>,
}

/// → `()`: gives a member points, or takes points back, with a note that
/// says why: a new movement, never an edit (coordinators only). At most
/// the member's balance can be taken back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectPoints {
    /// The member's device key fingerprint.
    pub device: String,
    /// Points given (positive) or taken back (negative); not zero.
    pub amount: i64,
    /// Why (1 to [`MAX_REASON`] characters); the member sees it.
    pub note: String,
}

/// The most points one correction may move.
pub const MAX_CORRECTION: i64 = 100_000;

/// → the number declined: declines check-ins that wait in the review
/// queue, one or a whole activity's day at once, with a reason their
/// members see (coordinators only). Those no longer waiting are passed
/// over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclineCheckins {
    /// The check-ins.
    pub checkins: Vec<CheckinId>,
    /// Why (1 to [`MAX_REASON`] characters).
    pub reason: String,
}

/// → [`WalletView`]: a member's points and history, as they see it
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberHistory {
    /// The member's device key fingerprint.
    pub device: String,
}

/// The community's currency as a whole, for coordinators: what circulates
/// and where it came from. The community's own account issues every point,
/// so it stands at minus what circulates, and every account together sums
/// to zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyView {
    /// Points members hold, together.
    pub circulating: i64,
    /// The community's issuing account: `-circulating`.
    pub community_account: i64,
    /// Issued for check-ins.
    pub from_checkins: u64,
    /// Issued for approved volunteer hours.
    pub from_hours: u64,
    /// Given by coordinators' corrections.
    pub corrections_given: u64,
    /// Taken back by coordinators' corrections.
    pub corrections_taken: u64,
    /// Expired, not spent in time.
    pub expired: u64,
    /// Members who hold points.
    pub holders: u32,
}

/// → [`CurrencyView`]: the community's points as a whole (coordinators
/// only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetCurrency;

crate::commands! {
    GetCurrency => "currency" -> CurrencyView;
    GetWallet => "wallet" -> WalletView;
    MemberHistory => "member_history" -> WalletView;
    ApproveCheckins => "approve_checkins" -> u32;
    DeclineCheckins => "decline_checkins" -> u32;
    CorrectPoints => "correct_points" -> ();
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_open_as_an_entry(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = crate::signed::Signed::<LedgerEntry>::open_bytes(&bytes);
        }
    }
}
