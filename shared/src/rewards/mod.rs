//! The impact currency's ledger: the entries coordinators issue, a
//! member's wallet, [`allocation`]: how much each check-in earns under
//! the daily caps, [`ledger`]: the double-entry rules that payments,
//! hours and corrections will move currency by, and [`hours`]: volunteers'
//! claims and coordinators' decisions (these two not used by the app yet).

pub mod allocation;
pub mod hours;
pub mod ledger;

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
}

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
}

/// A member's wallet: a derived balance and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletView {
    /// Sum of the currency issued to this member.
    pub balance: u64,
    /// Sum of rewards still waiting for a coordinator.
    pub pending: u64,
    /// Newest first.
    pub history: Vec<WalletLine>,
}

/// → [`WalletView`]: this device's member's wallet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetWallet;

/// → `()`: rewards a late check-in that waits in the review queue
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApproveCheckin {
    /// The check-in.
    pub checkin: CheckinId,
}

/// → [`WalletView`]: a member's points and history, as they see it
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberHistory {
    /// The member's device key fingerprint.
    pub device: String,
}

crate::commands! {
    GetWallet => "wallet" -> WalletView;
    MemberHistory => "member_history" -> WalletView;
    ApproveCheckin => "approve_checkin" -> ();
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
