//! The community's rules for the impact currency, which a coordinator may
//! change: how many points an hour of volunteering earns, at most how many
//! points one volunteer's hours earn in a day, the points a new activity
//! offers per check-in unless its coordinator chooses otherwise, and whether
//! unspent points expire (see [`crate::rewards::expiry`]).
//!
//! Each change is its own signed record holding the whole set of rules from
//! then on, so every change stays, with who made it and when; the one that
//! counts is the newest a coordinator in office signed ([`current`]), the
//! same on every device. A rule is one value of an enum, so a later version
//! of Nabo can add rules (a credit limit, expiry) without breaking the
//! records written before it.
//!
//! ```
//! use nabo_shared::rewards::rules::{Rule, Rules};
//!
//! let rules = Rules::from_list(&[Rule::PerHour(12)]).unwrap();
//! assert_eq!(rules.per_hour, 12);
//! assert_eq!(rules.hours_daily_cap, None);
//! assert_eq!(Rules::from_list(&rules.to_list()), Ok(rules));
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::activities::MAX_REWARD;
use crate::crypto::MemberKey;
use crate::fields::FieldProblem;
use crate::ids::{CommunityId, RulesId};
use crate::rewards::expiry::MAX_MONTHS;
use crate::rewards::hours::{Seen, DEFAULT_PER_HOUR, MAX_PER_HOUR};
use crate::signed::Record;

/// The most points one volunteer's hours may earn in a day, as a cap.
pub const MAX_DAILY_CAP: u32 = 100_000;
/// The furthest below zero a community may let a balance go.
pub const MAX_CREDIT_LIMIT: u32 = 100_000;
/// The points a new activity offers per check-in until a coordinator sets
/// the community's own number.
pub const DEFAULT_PER_CHECKIN: u32 = 10;

/// One rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    /// Points an approved hour of volunteering earns (0 ..= [`MAX_PER_HOUR`]).
    PerHour(u32),
    /// At most this many points for one volunteer's hours on one day
    /// (1 ..= [`MAX_DAILY_CAP`]); without it, no cap.
    HoursDailyCap(u32),
    /// The points a new activity offers per check-in, unless its
    /// coordinator chooses otherwise (1 ..= [`MAX_REWARD`]).
    PerCheckIn(u32),
    /// Points not spent expire this many months after the month they were
    /// received in (1 ..= [`MAX_MONTHS`]); without it, they never expire.
    ExpiryMonths(u32),
    /// A balance may go this far below zero when its member pays
    /// (1 ..= [`MAX_CREDIT_LIMIT`]); without it, not at all.
    CreditLimit(u32),
}

/// The rules in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Points an hour earns.
    pub per_hour: u32,
    /// At most this many points a day from one volunteer's hours.
    pub hours_daily_cap: Option<u32>,
    /// Points a new activity offers per check-in.
    pub per_checkin: u32,
    /// Points not spent expire this many months after their month.
    pub expiry_months: Option<u32>,
    /// How far below zero a balance may go when its member pays (0: not
    /// at all).
    #[serde(default)]
    pub credit_limit: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            per_hour: DEFAULT_PER_HOUR,
            hours_daily_cap: None,
            per_checkin: DEFAULT_PER_CHECKIN,
            expiry_months: None,
            credit_limit: 0,
        }
    }
}

impl Rules {
    /// The rules a list sets (the defaults for those it leaves out), or the
    /// field whose value is out of range, or given twice.
    pub fn from_list(list: &[Rule]) -> Result<Self, (&'static str, FieldProblem)> {
        let mut rules = Rules::default();
        let (mut hour, mut cap, mut checkin, mut expiry) = (false, false, false, false);
        let mut credit = false;
        for rule in list {
            match *rule {
                Rule::PerHour(n) => {
                    if hour || n > MAX_PER_HOUR {
                        return Err(("per_hour", FieldProblem::OutOfRange));
                    }
                    hour = true;
                    rules.per_hour = n;
                }
                Rule::HoursDailyCap(n) => {
                    if cap || !(1..=MAX_DAILY_CAP).contains(&n) {
                        return Err(("hours_daily_cap", FieldProblem::OutOfRange));
                    }
                    cap = true;
                    rules.hours_daily_cap = Some(n);
                }
                Rule::PerCheckIn(n) => {
                    if checkin || !(1..=MAX_REWARD).contains(&n) {
                        return Err(("per_checkin", FieldProblem::OutOfRange));
                    }
                    checkin = true;
                    rules.per_checkin = n;
                }
                Rule::ExpiryMonths(n) => {
                    if expiry || !(1..=MAX_MONTHS).contains(&n) {
                        return Err(("expiry_months", FieldProblem::OutOfRange));
                    }
                    expiry = true;
                    rules.expiry_months = Some(n);
                }
                Rule::CreditLimit(n) => {
                    if credit || !(1..=MAX_CREDIT_LIMIT).contains(&n) {
                        return Err(("credit_limit", FieldProblem::OutOfRange));
                    }
                    credit = true;
                    rules.credit_limit = n;
                }
            }
        }
        Ok(rules)
    }

    /// The rules as a list, for a record.
    pub fn to_list(&self) -> Vec<Rule> {
        let mut list = vec![
            Rule::PerHour(self.per_hour),
            Rule::PerCheckIn(self.per_checkin),
        ];
        if let Some(cap) = self.hours_daily_cap {
            list.push(Rule::HoursDailyCap(cap));
        }
        if let Some(months) = self.expiry_months {
            list.push(Rule::ExpiryMonths(months));
        }
        if self.credit_limit > 0 {
            list.push(Rule::CreditLimit(self.credit_limit));
        }
        list
    }

    /// The points `wanted` for one volunteer's hours on a day where their
    /// hours already earned `earned`: what the daily cap leaves.
    pub fn within_cap(&self, earned: u64, wanted: u64) -> u64 {
        match self.hours_daily_cap {
            Some(cap) => wanted.min(u64::from(cap).saturating_sub(earned)),
            None => wanted,
        }
    }
}

/// A coordinator's change of the rules: the whole set from then on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RulesChange {
    /// Stable id.
    pub id: RulesId,
    /// The community.
    pub community: CommunityId,
    /// Every rule from now on.
    pub rules: Vec<Rule>,
    /// When the coordinator signed it.
    pub changed_at: DateTime<Utc>,
}

impl Record for RulesChange {
    const DOMAIN: &'static str = "nabo/rules/v1";
}

/// The changes that count, newest first: those a coordinator in office at
/// their time signed, with rules that check; ties go to the smaller
/// signature.
pub fn history(
    changes: &[Seen<RulesChange>],
    in_office: impl Fn(&MemberKey, DateTime<Utc>) -> bool,
) -> Vec<&Seen<RulesChange>> {
    let mut valid: Vec<&Seen<RulesChange>> = changes
        .iter()
        .filter(|c| in_office(&c.signer, c.value.changed_at))
        .filter(|c| Rules::from_list(&c.value.rules).is_ok())
        .collect();
    valid.sort_by(|a, b| {
        (b.value.changed_at, &a.sig, &a.value).cmp(&(a.value.changed_at, &b.sig, &b.value))
    });
    valid.dedup_by(|a, b| a.sig == b.sig);
    valid
}

/// The rules in force: the newest change that counts, or the defaults.
pub fn current(
    changes: &[Seen<RulesChange>],
    in_office: impl Fn(&MemberKey, DateTime<Utc>) -> bool,
) -> Rules {
    history(changes, in_office)
        .first()
        .and_then(|c| Rules::from_list(&c.value.rules).ok())
        .unwrap_or_default()
}

/// One change as the settings screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesChangeView {
    /// When.
    pub at: DateTime<Utc>,
    /// Who, by name (or device fingerprint).
    pub by: String,
    /// The rules from then on.
    pub rules: Rules,
}

/// The rules in force and every change, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesView {
    /// In force.
    pub rules: Rules,
    /// Every change that counts, newest first (empty: the defaults).
    pub history: Vec<RulesChangeView>,
}

/// → [`RulesView`]: the community's rules and their history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetRules;

/// → `()`: changes the community's rules (coordinators only): a new signed
/// record, the old ones stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetRules {
    /// The rules from now on.
    pub rules: Rules,
}

crate::commands! {
    GetRules => "get_rules" -> RulesView;
    SetRules => "set_rules" -> ();
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    use super::*;

    const SARA: MemberKey = MemberKey([1; 32]);
    const OLE: MemberKey = MemberKey([2; 32]);
    const AMINA: MemberKey = MemberKey([3; 32]);

    fn change(by: MemberKey, hour: i64, per_hour: u32, sig: u8) -> Seen<RulesChange> {
        Seen {
            value: RulesChange {
                id: RulesId::from_bytes([sig; 16]),
                community: CommunityId::from_bytes([7; 16]),
                rules: vec![Rule::PerHour(per_hour)],
                changed_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()
                    + Duration::hours(hour),
            },
            signer: by,
            sig: [sig; 64],
        }
    }

    fn coordinators(key: &MemberKey, _: DateTime<Utc>) -> bool {
        *key == SARA || *key == OLE
    }

    #[test]
    fn without_a_change_the_defaults_hold() {
        assert_eq!(current(&[], coordinators), Rules::default());
        assert_eq!(Rules::default().per_hour, DEFAULT_PER_HOUR);
    }

    #[test]
    fn the_newest_change_by_a_coordinator_counts_and_a_members_counts_for_nothing() {
        let changes = [
            change(SARA, 1, 12, 1),
            change(OLE, 3, 15, 2),
            change(AMINA, 5, 1000, 3),
        ];
        assert_eq!(current(&changes, coordinators).per_hour, 15);
        let kept: Vec<u32> = history(&changes, coordinators)
            .iter()
            .map(|c| Rules::from_list(&c.value.rules).unwrap().per_hour)
            .collect();
        assert_eq!(kept, vec![15, 12]);
    }

    #[test]
    fn rules_out_of_range_or_twice_are_refused() {
        assert!(Rules::from_list(&[Rule::PerHour(MAX_PER_HOUR + 1)]).is_err());
        assert!(Rules::from_list(&[Rule::HoursDailyCap(0)]).is_err());
        assert!(Rules::from_list(&[Rule::PerHour(5), Rule::PerHour(6)]).is_err());
        let bad = Seen {
            value: RulesChange {
                rules: vec![Rule::PerHour(MAX_PER_HOUR + 1)],
                ..change(SARA, 9, 1, 9).value
            },
            ..change(SARA, 9, 1, 9)
        };
        assert_eq!(
            current(&[change(SARA, 1, 12, 1), bad], coordinators).per_hour,
            12
        );
    }

    #[test]
    fn the_daily_cap_leaves_what_is_left() {
        let rules = Rules {
            per_hour: 10,
            hours_daily_cap: Some(30),
            ..Rules::default()
        };
        assert_eq!(rules.within_cap(0, 20), 20);
        assert_eq!(rules.within_cap(20, 20), 10);
        assert_eq!(rules.within_cap(40, 20), 0);
        assert_eq!(Rules::default().within_cap(1_000, 20), 20);
    }

    proptest! {
        #[test]
        fn every_device_finds_the_same_rules_in_any_order(
            picks in proptest::collection::vec((0u8..3, 0i64..4, 0u32..50), 0..8),
            seed in any::<u64>(),
        ) {
            let keys = [SARA, OLE, AMINA];
            let changes: Vec<_> = picks
                .iter()
                .enumerate()
                .map(|(i, &(k, h, p))| change(keys[usize::from(k)], h, p, i as u8))
                .collect();
            let mut shuffled = changes.clone();
            let n = shuffled.len().max(1);
            shuffled.rotate_left((seed as usize) % n);
            shuffled.reverse();
            prop_assert_eq!(current(&changes, coordinators), current(&shuffled, coordinators));
        }

        #[test]
        fn arbitrary_bytes_never_open_as_a_change(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = crate::signed::Signed::<RulesChange>::open_bytes(&bytes);
        }
    }
}
