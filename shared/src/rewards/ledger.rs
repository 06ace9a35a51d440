//! The double-entry ledger of the impact currency.
//!
//! Every movement of currency is one signed, immutable [`Movement`]: an
//! amount from one [`Account`] to another, with a [`Reason`]. Balances are
//! derived, never stored. The community's own account issues: it is
//! negative by exactly what circulates, and the sum over all accounts is
//! always zero. A correction never edits or deletes; it is a new movement
//! that says why.
//!
//! Who may sign what ([`authorize`]):
//!
//! | Reason | From → to | Signed by |
//! |---|---|---|
//! | check-in reward, approved hours | community → member | a coordinator |
//! | payment | member → partner | the payer |
//! | return | partner → community | the partner |
//! | correction | community ↔ member | a coordinator, with a note |
//! | expiry | member → community | a coordinator |
//!
//! Two places can spend one balance without seeing each other (a restored
//! backup, a card and a phone). After a sync every device orders an
//! account's movements the same way (by the time they claim, then by id:
//! [`Ledger::overspends`]) and flags each payment or return that takes the
//! account below its credit limit. The flags depend only on the set of
//! movements, never on the order they arrived in; a coordinator resolves
//! each by a signed decision.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use nabo_shared::crypto::MemberKey;
//! use nabo_shared::ids::{CommunityId, EntryId};
//! use nabo_shared::rewards::ledger::{Account, Ledger, Movement, Posted, Reason};
//!
//! let community = CommunityId::from_bytes([1; 16]);
//! let coordinator = MemberKey([1; 32]);
//! let resident = MemberKey([2; 32]);
//! let cafe = MemberKey([3; 32]);
//! let at = |h| Utc.with_ymd_and_hms(2026, 12, 5, h, 0, 0).unwrap();
//! let post = |n: u8, from, to, amount, reason, signer, h| Posted {
//!     movement: Movement { id: EntryId::from_bytes([n; 16]), community, from, to, amount, reason, at: at(h) },
//!     signer,
//!     sig: [n; 64],
//! };
//! let mut ledger = Ledger::default();
//! ledger.insert(post(1, Account::Community, Account::Member(resident), 30,
//!     Reason::Correction { note: "Sommerfest".into(), corrects: None }, coordinator, 10));
//! ledger.insert(post(2, Account::Member(resident), Account::Member(cafe), 20,
//!     Reason::Payment { reference: [7; 16], what: "Kaffe".into() }, resident, 11));
//! ledger.insert(post(3, Account::Member(resident), Account::Member(cafe), 20,
//!     Reason::Payment { reference: [8; 16], what: "Kaffe".into() }, resident, 12));
//! assert_eq!(ledger.balance(&Account::Member(resident)), -10);
//! assert_eq!(ledger.balance(&Account::Community), -30);
//! // The second coffee overdrew the account: it is flagged, on every device.
//! let flags = ledger.overspends(0);
//! assert_eq!(flags.len(), 1);
//! assert_eq!(flags[0].entry, EntryId::from_bytes([3; 16]));
//! ```

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::ids::{ActivityId, CheckinId, CommunityId, EntryId};
use crate::signed::Record;

/// The largest amount one movement may move. Sums over a community's whole
/// history stay far inside `i64`.
pub const MAX_AMOUNT: u64 = 1_000_000;

/// Where currency is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Account {
    /// The community's issuing account: it pays rewards and takes currency
    /// back (returns, expiry); its balance is minus what circulates.
    Community,
    /// A member's account (a resident's, a volunteer's, a partner's).
    Member(MemberKey),
}

/// Why currency moved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Reason {
    /// A reward for a check-in.
    CheckInReward {
        /// The check-in.
        checkin: CheckinId,
        /// Its activity.
        activity: ActivityId,
    },
    /// Volunteer hours a coordinator approved.
    ApprovedHours {
        /// The hour claim (its own id).
        claim: EntryId,
        /// Quarter hours approved.
        quarters: u32,
    },
    /// A payment to a partner, for a reward or an amount.
    Payment {
        /// The partner's one-time reference of the payment request.
        reference: [u8; 16],
        /// What was bought, in the partner's words.
        what: String,
    },
    /// A partner hands currency back to the community account.
    Return {
        /// Why, in the partner's words.
        note: String,
    },
    /// A coordinator's correction: adds what was missing or takes back what
    /// was wrong, never editing the entry it corrects.
    Correction {
        /// Why (required).
        note: String,
        /// The entry it corrects, if it corrects one.
        corrects: Option<EntryId>,
    },
    /// Points not spent within the community's expiry period: what was
    /// left of one month's points.
    Expiry {
        /// The month whose points expired.
        month: crate::rewards::expiry::Month,
    },
}

impl Reason {
    /// The reason's stable name (storage, translations).
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::CheckInReward { .. } => "check_in_reward",
            Reason::ApprovedHours { .. } => "approved_hours",
            Reason::Payment { .. } => "payment",
            Reason::Return { .. } => "return",
            Reason::Correction { .. } => "correction",
            Reason::Expiry { .. } => "expiry",
        }
    }
}

/// One signed, immutable movement of currency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Movement {
    /// Stable id.
    pub id: EntryId,
    /// The community.
    pub community: CommunityId,
    /// The account it leaves.
    pub from: Account,
    /// The account it reaches.
    pub to: Account,
    /// How much (1 ..= [`MAX_AMOUNT`]).
    pub amount: u64,
    /// Why.
    pub reason: Reason,
    /// When, by the signer's clock (a claim: see the module docs).
    pub at: DateTime<Utc>,
}

impl Record for Movement {
    const DOMAIN: &'static str = "nabo/movement/v1";
}

/// What a reader knows about the signer of a movement, at the time it
/// claims (from the verified membership records).
pub trait Standing {
    /// The key held coordinator office at `at`.
    fn is_coordinator(&self, key: &MemberKey, at: DateTime<Utc>) -> bool;
    /// The key is a confirmed partner.
    fn is_partner(&self, key: &MemberKey) -> bool;
    /// The key is a confirmed member (any role), not revoked at `at`.
    fn is_member(&self, key: &MemberKey, at: DateTime<Utc>) -> bool;
}

/// Why a movement counts for nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Zero, or above [`MAX_AMOUNT`].
    #[error("the amount is zero or too large")]
    Amount,
    /// From an account to itself.
    #[error("the movement goes from an account to itself")]
    SameAccount,
    /// The accounts do not fit the reason (a reward paid to the community,
    /// a payment from the community account).
    #[error("the accounts do not fit the reason")]
    Accounts,
    /// The signer may not sign this reason.
    #[error("the signer may not move currency for this reason")]
    Signer,
    /// A payment to someone who is not a partner.
    #[error("the receiver is not a partner")]
    NotAPartner,
    /// A member account that is not a confirmed member.
    #[error("the account is not a member's")]
    NotAMember,
    /// A correction without a note.
    #[error("a correction needs a note")]
    NoNote,
}

/// Checks who may sign `movement` (see the table in the module docs).
pub fn authorize(
    movement: &Movement,
    signer: &MemberKey,
    standing: &impl Standing,
) -> Result<(), Refusal> {
    let at = movement.at;
    if movement.amount == 0 || movement.amount > MAX_AMOUNT {
        return Err(Refusal::Amount);
    }
    if movement.from == movement.to {
        return Err(Refusal::SameAccount);
    }
    let coordinator = || {
        if standing.is_coordinator(signer, at) {
            Ok(())
        } else {
            Err(Refusal::Signer)
        }
    };
    let member = |key: &MemberKey| {
        if standing.is_member(key, at) {
            Ok(())
        } else {
            Err(Refusal::NotAMember)
        }
    };
    match (&movement.reason, movement.from, movement.to) {
        (
            Reason::CheckInReward { .. } | Reason::ApprovedHours { .. },
            Account::Community,
            Account::Member(to),
        ) => {
            coordinator()?;
            member(&to)
        }
        (Reason::Payment { .. }, Account::Member(payer), Account::Member(partner)) => {
            if *signer != payer {
                return Err(Refusal::Signer);
            }
            member(&payer)?;
            if !standing.is_partner(&partner) || !standing.is_member(&partner, at) {
                return Err(Refusal::NotAPartner);
            }
            Ok(())
        }
        (Reason::Return { .. }, Account::Member(partner), Account::Community) => {
            if *signer != partner {
                return Err(Refusal::Signer);
            }
            if !standing.is_partner(&partner) {
                return Err(Refusal::NotAPartner);
            }
            member(&partner)
        }
        (Reason::Correction { note, .. }, Account::Community, Account::Member(m))
        | (Reason::Correction { note, .. }, Account::Member(m), Account::Community) => {
            coordinator()?;
            if note.trim().is_empty() {
                return Err(Refusal::NoNote);
            }
            // A correction may concern a member whose access was removed
            // since (their balance still exists): only the key's existence
            // as a member account matters, which the coordinator vouches for.
            let _ = m;
            Ok(())
        }
        (Reason::Expiry { .. }, Account::Member(_), Account::Community) => coordinator(),
        _ => Err(Refusal::Accounts),
    }
}

/// A movement with its signature, as a device verified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    /// The movement.
    pub movement: Movement,
    /// Who signed it.
    pub signer: MemberKey,
    /// The signature (a stable tie-breaker).
    pub sig: [u8; 64],
}

impl Posted {
    /// The order of an account's movements on every device: by the time
    /// they claim, then by id.
    fn order_key(&self) -> (DateTime<Utc>, EntryId) {
        (self.movement.at, self.movement.id)
    }

    /// Which of two movements under one id counts: the smaller signature,
    /// then (should two ever be equal) the smaller signer and movement.
    fn rank(&self) -> (&[u8; 64], &MemberKey, &Movement) {
        (&self.sig, &self.signer, &self.movement)
    }
}

/// What [`Ledger::insert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// A movement not seen before.
    New,
    /// The same movement again (a sync brought it twice): nothing changes.
    Again,
    /// Another movement under an id already taken. The one with the
    /// smaller signature counts, on every device, whichever came first;
    /// the other is reported.
    Conflict,
}

/// A payment or return that took its account below the credit limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overspend {
    /// The movement flagged.
    pub entry: EntryId,
    /// The account it overdrew.
    pub account: MemberKey,
    /// The account's balance right after it, in the shared order.
    pub balance_after: i64,
}

/// Every verified, authorized movement a device has seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    entries: BTreeMap<EntryId, Posted>,
}

impl Ledger {
    /// Adds a movement (already verified and authorized). Idempotent;
    /// whatever order movements arrive in, the ledger ends the same.
    pub fn insert(&mut self, posted: Posted) -> Inserted {
        match self.entries.get_mut(&posted.movement.id) {
            None => {
                self.entries.insert(posted.movement.id, posted);
                Inserted::New
            }
            Some(held) if *held == posted => Inserted::Again,
            Some(held) => {
                if posted.rank() < held.rank() {
                    *held = posted;
                }
                Inserted::Conflict
            }
        }
    }

    /// How many movements it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every movement, by id.
    pub fn movements(&self) -> impl Iterator<Item = &Posted> {
        self.entries.values()
    }

    /// An account's balance: what reached it minus what left it.
    pub fn balance(&self, account: &Account) -> i64 {
        self.entries
            .values()
            .map(|p| signed_amount(&p.movement, account))
            .sum()
    }

    /// Every account's balance (accounts never touched are absent).
    pub fn balances(&self) -> BTreeMap<Account, i64> {
        let mut out = BTreeMap::new();
        for p in self.entries.values() {
            let m = &p.movement;
            let amount = m.amount as i64;
            *out.entry(m.from).or_insert(0) -= amount;
            *out.entry(m.to).or_insert(0) += amount;
        }
        out
    }

    /// An account's movements in the shared order.
    pub fn history(&self, account: &Account) -> Vec<&Posted> {
        let mut out: Vec<&Posted> = self
            .entries
            .values()
            .filter(|p| p.movement.from == *account || p.movement.to == *account)
            .collect();
        out.sort_by_key(|p| p.order_key());
        out
    }

    /// The payments and returns that took their account below
    /// `-credit_limit`, in the shared order (see the module docs).
    /// Corrections and expiry are a coordinator's decisions: they move the
    /// balance but are never flagged themselves.
    pub fn overspends(&self, credit_limit: u64) -> Vec<Overspend> {
        let floor = -(credit_limit as i64);
        let mut by_account: BTreeMap<MemberKey, Vec<&Posted>> = BTreeMap::new();
        for p in self.entries.values() {
            for account in [p.movement.from, p.movement.to] {
                if let Account::Member(key) = account {
                    by_account.entry(key).or_default().push(p);
                }
            }
        }
        let mut flags = Vec::new();
        for (key, mut movements) in by_account {
            movements.sort_by_key(|p| p.order_key());
            let account = Account::Member(key);
            let mut balance = 0i64;
            for p in movements {
                balance += signed_amount(&p.movement, &account);
                let spent_by_holder = p.movement.from == account
                    && matches!(
                        p.movement.reason,
                        Reason::Payment { .. } | Reason::Return { .. }
                    );
                if spent_by_holder && balance < floor {
                    flags.push(Overspend {
                        entry: p.movement.id,
                        account: key,
                        balance_after: balance,
                    });
                }
            }
        }
        flags.sort_by_key(|f| (f.account, f.entry));
        flags
    }

    /// How much of a member's balance has expired at `now`: currency that
    /// reached the account more than `months` months before `now` and was
    /// not spent since. Spending (and earlier expiry) uses the oldest
    /// currency first. An expiry movement of this amount brings it to 0.
    pub fn expired(&self, member: &MemberKey, months: u32, now: DateTime<Utc>) -> u64 {
        let Some(cutoff) = now.checked_sub_months(Months::new(months)) else {
            return 0;
        };
        let account = Account::Member(*member);
        // Lots of currency received, oldest first: (when, amount left).
        let mut lots: VecDeque<(DateTime<Utc>, u64)> = VecDeque::new();
        // Spending beyond every lot (an overdraft) is owed: later income
        // pays it back first.
        let mut owed = 0u64;
        for p in self.history(&account) {
            let m = &p.movement;
            if m.to == account {
                let paid_back = m.amount.min(owed);
                owed -= paid_back;
                if m.amount > paid_back {
                    lots.push_back((m.at, m.amount - paid_back));
                }
            } else {
                let mut left = m.amount;
                while left > 0 {
                    let Some(oldest) = lots.front_mut() else {
                        owed += left;
                        break;
                    };
                    let used = left.min(oldest.1);
                    oldest.1 -= used;
                    left -= used;
                    if oldest.1 == 0 {
                        lots.pop_front();
                    }
                }
            }
        }
        lots.iter()
            .filter(|(when, _)| *when < cutoff)
            .map(|(_, amount)| amount)
            .sum()
    }
}

/// What `movement` does to `account`: plus what reaches it, minus what
/// leaves it.
fn signed_amount(movement: &Movement, account: &Account) -> i64 {
    let amount = movement.amount as i64;
    if movement.to == *account {
        amount
    } else if movement.from == *account {
        -amount
    } else {
        0
    }
}

#[cfg(test)]
mod tests;
