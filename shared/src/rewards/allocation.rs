//! How much each check-in earns. An activity pays its reward once per member
//! per local day, and pays at most its daily cap across all members on one
//! local day; check-ins are taken oldest first (then by id), so every
//! coordinator's device that allocates the same check-ins issues the same
//! amounts. A check-in past the cap, or a repeat, gets an entry of zero:
//! visible, never dropped.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use nabo_shared::crypto::MemberKey;
//! use nabo_shared::ids::{ActivityId, CheckinId};
//! use nabo_shared::rewards::allocation::{allocate, Claim, Terms};
//! use nabo_shared::time::time_zone;
//!
//! let lektie = ActivityId::from_bytes([1; 16]);
//! let terms = Terms { reward: 10, daily_cap: Some(15) };
//! let at = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
//! let claim = |n: u8| Claim {
//!     checkin: CheckinId::from_bytes([n; 16]),
//!     activity: lektie,
//!     member: MemberKey([n; 32]),
//!     at,
//!     terms,
//! };
//! let awards = allocate(&[claim(1), claim(2), claim(3)], &[], time_zone("Europe/Copenhagen"));
//! let amounts: Vec<u32> = awards.iter().map(|a| a.amount).collect();
//! assert_eq!(amounts, [10, 5, 0]);
//! ```

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use crate::crypto::MemberKey;
use crate::ids::{ActivityId, CheckinId};
use crate::time::{local_day, Tz};

/// What an activity pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    /// Per check-in.
    pub reward: u32,
    /// At most this much per local day across all members (`None`: no cap).
    pub daily_cap: Option<u32>,
}

/// A check-in waiting for its reward: its code verified, its activity known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// The check-in.
    pub checkin: CheckinId,
    /// Its activity.
    pub activity: ActivityId,
    /// Who checked in.
    pub member: MemberKey,
    /// When.
    pub at: DateTime<Utc>,
    /// What the activity pays.
    pub terms: Terms,
}

/// A reward already issued, for a check-in made at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paid {
    /// The activity.
    pub activity: ActivityId,
    /// Who got it.
    pub member: MemberKey,
    /// When the check-in it rewards was made.
    pub at: DateTime<Utc>,
    /// How much (zero for a capped check-in or a repeat).
    pub amount: u32,
}

/// What one check-in earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Award {
    /// The check-in.
    pub checkin: CheckinId,
    /// How much; zero when the cap was reached or the member was already
    /// rewarded for the activity that day.
    pub amount: u32,
}

/// How much a check-in earns, given what the activity already issued on the
/// same local day. Zero means the daily cap is reached.
pub fn reward_amount(reward: u32, daily_cap: Option<u32>, issued_today: u32) -> u32 {
    match daily_cap {
        None => reward,
        Some(cap) => reward.min(cap.saturating_sub(issued_today)),
    }
}

/// The awards for `claims`, given what was already `paid` for check-ins on
/// the same days, in the order the claims are taken (oldest first, then by
/// check-in id).
pub fn allocate(claims: &[Claim], paid: &[Paid], tz: Tz) -> Vec<Award> {
    let mut issued: HashMap<(ActivityId, NaiveDate), u32> = HashMap::new();
    let mut rewarded: BTreeSet<(MemberKey, ActivityId, NaiveDate)> = BTreeSet::new();
    for p in paid {
        let day = local_day(p.at, tz);
        let total = issued.entry((p.activity, day)).or_default();
        *total = total.saturating_add(p.amount);
        rewarded.insert((p.member, p.activity, day));
    }
    let mut order: Vec<&Claim> = claims.iter().collect();
    order.sort_by_key(|c| (c.at, c.checkin));
    order
        .into_iter()
        .map(|c| {
            let day = local_day(c.at, tz);
            let total = issued.entry((c.activity, day)).or_default();
            let first = rewarded.insert((c.member, c.activity, day));
            let amount = if first {
                reward_amount(c.terms.reward, c.terms.daily_cap, *total)
            } else {
                0
            };
            *total = total.saturating_add(amount);
            Award {
                checkin: c.checkin,
                amount,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::time_zone;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn tz() -> Tz {
        time_zone("Europe/Copenhagen")
    }

    fn activity(i: u8) -> ActivityId {
        ActivityId::from_bytes([i; 16])
    }

    fn terms(i: u8) -> Terms {
        match i {
            0 => Terms {
                reward: 10,
                daily_cap: Some(25),
            },
            1 => Terms {
                reward: 7,
                daily_cap: None,
            },
            _ => Terms {
                reward: 5,
                daily_cap: Some(5),
            },
        }
    }

    /// Claims spread over three days around Copenhagen's midnight, with
    /// repeats, on three activities.
    fn claims() -> impl Strategy<Value = Vec<Claim>> {
        proptest::collection::vec((0u8..3, 0u8..4, 0i64..(3 * 24 * 4), any::<u8>()), 0..30)
            .prop_map(|raw| {
                let start = Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap();
                raw.into_iter()
                    .enumerate()
                    .map(|(i, (a, m, quarter, salt))| Claim {
                        checkin: CheckinId::from_bytes([
                            salt, i as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                        ]),
                        activity: activity(a),
                        member: MemberKey([m; 32]),
                        at: start + Duration::minutes(15 * quarter),
                        terms: terms(a),
                    })
                    .collect()
            })
    }

    fn paid_from(claims: &[Claim], awards: &[Award]) -> Vec<Paid> {
        awards
            .iter()
            .map(|a| {
                let c = claims
                    .iter()
                    .find(|c| c.checkin == a.checkin)
                    .expect("claimed");
                Paid {
                    activity: c.activity,
                    member: c.member,
                    at: c.at,
                    amount: a.amount,
                }
            })
            .collect()
    }

    #[test]
    fn the_cap_limits_what_one_day_earns() {
        assert_eq!(reward_amount(10, None, 500), 10);
        assert_eq!(reward_amount(10, Some(20), 0), 10);
        assert_eq!(reward_amount(10, Some(20), 15), 5);
        assert_eq!(reward_amount(10, Some(20), 20), 0);
        assert_eq!(reward_amount(10, Some(20), 99), 0);
    }

    #[test]
    fn a_second_checkin_the_same_day_earns_nothing_but_the_next_day_does() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
        let claim = |n: u8, at| Claim {
            checkin: CheckinId::from_bytes([n; 16]),
            activity: activity(0),
            member: MemberKey([1; 32]),
            at,
            terms: terms(0),
        };
        let awards = allocate(
            &[
                claim(1, at),
                claim(2, at + Duration::hours(1)),
                claim(3, at + Duration::days(1)),
            ],
            &[],
            tz(),
        );
        let amounts: Vec<u32> = awards.iter().map(|a| a.amount).collect();
        assert_eq!(amounts, [10, 0, 10]);
    }

    proptest! {
        #[test]
        fn a_day_never_pays_past_the_cap_nor_a_member_twice(claims in claims()) {
            let awards = allocate(&claims, &[], tz());
            prop_assert_eq!(awards.len(), claims.len());
            let mut per_day: HashMap<(ActivityId, NaiveDate), u32> = HashMap::new();
            let mut paid_once = BTreeSet::new();
            for a in &awards {
                let c = claims.iter().find(|c| c.checkin == a.checkin).unwrap();
                let day = local_day(c.at, tz());
                *per_day.entry((c.activity, day)).or_default() += a.amount;
                if a.amount > 0 {
                    prop_assert!(paid_once.insert((c.member, c.activity, day)), "paid twice");
                    prop_assert!(a.amount <= c.terms.reward);
                }
            }
            for ((activity, _), total) in per_day {
                let cap = claims.iter().find(|c| c.activity == activity).unwrap().terms.daily_cap;
                prop_assert!(cap.is_none_or(|cap| total <= cap));
            }
        }

        #[test]
        fn the_order_claims_arrive_in_does_not_matter(claims in claims()) {
            let mut reversed = claims.clone();
            reversed.reverse();
            let mut a = allocate(&claims, &[], tz());
            let mut b = allocate(&reversed, &[], tz());
            a.sort_by_key(|a| a.checkin);
            b.sort_by_key(|a| a.checkin);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn allocating_in_two_passes_gives_what_one_pass_gives(claims in claims(), split in 0usize..30) {
            // A coordinator rewards what arrived, then later what arrives
            // after: the same as rewarding everything at once, as long as
            // the later check-ins are also later in time.
            let mut sorted = claims.clone();
            sorted.sort_by_key(|c| (c.at, c.checkin));
            let split = split.min(sorted.len());
            let (first, second) = sorted.split_at(split);
            let mut awards = allocate(first, &[], tz());
            awards.extend(allocate(second, &paid_from(first, &awards), tz()));
            prop_assert_eq!(awards, allocate(&claims, &[], tz()));
        }

        #[test]
        fn without_caps_and_repeats_everyone_earns_the_reward(n in 1u8..20) {
            let at = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
            let claims: Vec<Claim> = (0..n).map(|i| Claim {
                checkin: CheckinId::from_bytes([i; 16]),
                activity: activity(1),
                member: MemberKey([i; 32]),
                at,
                terms: terms(1),
            }).collect();
            prop_assert!(allocate(&claims, &[], tz()).iter().all(|a| a.amount == 7));
        }
    }
}
