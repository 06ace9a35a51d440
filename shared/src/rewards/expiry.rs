//! Expiry of unspent points, when the community's rules ask for it: points
//! received in a calendar month and not spent expire `after` months after
//! that month ends (March's points, with six months, on 1 October).
//! Spending uses the oldest points first.
//!
//! Each month's expiry is one movement per member whose id follows from the
//! member and the month ([`crate::ids::EntryId::expiry_of`]): two coordinator
//! devices that expire the same month without having synced write the same
//! id, and only one of them counts. A month is expired once.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use nabo_shared::rewards::expiry::{due, Flow, Month};
//!
//! let tz = chrono_tz::Europe::Copenhagen;
//! let at = |m, d| Utc.with_ymd_and_hms(2026, m, d, 12, 0, 0).unwrap();
//! let flows = [
//!     Flow::In { at: at(3, 10), amount: 30 },
//!     Flow::In { at: at(5, 2), amount: 20 },
//!     Flow::Out { at: at(6, 1), amount: 10, expires: None },
//! ];
//! // On 1 October, what is left of March (30 − 10 spent) expires; May's
//! // points are still good.
//! assert_eq!(due(&flows, 6, at(10, 1), tz), vec![(Month { year: 2026, month: 3 }, 20)]);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The most months a community may keep points before they expire.
pub const MAX_MONTHS: u32 = 120;

/// A calendar month in the community's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl Month {
    /// The month `at` falls in, in `tz`.
    pub fn of(at: DateTime<Utc>, tz: Tz) -> Self {
        let local = at.with_timezone(&tz);
        Self {
            year: local.year(),
            month: local.month(),
        }
    }

    /// When this month's points expire with `after` months: the start of
    /// the month `after + 1` months later, in `tz`.
    pub fn expires_at(self, after: u32, tz: Tz) -> Option<DateTime<Utc>> {
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1)?;
        let day = first.checked_add_months(Months::new(after.checked_add(1)?))?;
        tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// Points reaching or leaving a member's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Points received (a reward, approved hours, a correction that gives).
    In {
        /// When they were credited.
        at: DateTime<Utc>,
        /// How many.
        amount: u64,
    },
    /// Points leaving (a correction that takes back, a payment, an expiry).
    Out {
        /// When.
        at: DateTime<Utc>,
        /// How many.
        amount: u64,
        /// The month an expiry expired (`None`: spending).
        expires: Option<Month>,
    },
}

/// What is left unspent of each month's points, after every flow: spending
/// takes the oldest points first; an expiry takes the month it names.
pub fn unspent_by_month(flows: &[Flow], tz: Tz) -> BTreeMap<Month, u64> {
    let mut sorted: Vec<&Flow> = flows.iter().collect();
    // By time; at the same moment received before spent, and expiries
    // before spending: the same order whatever order the flows came in.
    sorted.sort_by_key(|f| match **f {
        Flow::In { at, amount } => (at, 0, None, amount),
        Flow::Out {
            at,
            amount,
            expires: Some(m),
        } => (at, 1, Some(m), amount),
        Flow::Out {
            at,
            amount,
            expires: None,
        } => (at, 2, None, amount),
    });
    let mut lots: BTreeMap<Month, u64> = BTreeMap::new();
    // Spending beyond every lot is owed: later income pays it first.
    let mut owed = 0u64;
    for flow in sorted {
        match *flow {
            Flow::In { at, amount } => {
                let back = amount.min(owed);
                owed -= back;
                if amount > back {
                    *lots.entry(Month::of(at, tz)).or_insert(0) += amount - back;
                }
            }
            Flow::Out {
                amount, expires, ..
            } => {
                let mut left = amount;
                if let Some(month) = expires {
                    if let Some(lot) = lots.get_mut(&month) {
                        let used = left.min(*lot);
                        *lot -= used;
                        left -= used;
                    }
                }
                while left > 0 {
                    let Some((_, oldest)) = lots.iter_mut().find(|(_, v)| **v > 0) else {
                        owed += left;
                        break;
                    };
                    let used = left.min(*oldest);
                    *oldest -= used;
                    left -= used;
                }
            }
        }
    }
    lots.retain(|_, v| *v > 0);
    lots
}

/// The expiries due at `now` with `after` months: each month whose points
/// have expired, is not expired yet, and has points left, with how many.
pub fn due(flows: &[Flow], after: u32, now: DateTime<Utc>, tz: Tz) -> Vec<(Month, u64)> {
    let done: Vec<Month> = flows
        .iter()
        .filter_map(|f| match *f {
            Flow::Out {
                expires: Some(m), ..
            } => Some(m),
            _ => None,
        })
        .collect();
    unspent_by_month(flows, tz)
        .into_iter()
        .filter(|(m, _)| !done.contains(m))
        .filter(|(m, _)| m.expires_at(after, tz).is_some_and(|t| t <= now))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use proptest::prelude::*;

    use super::*;

    const TZ: Tz = chrono_tz::Europe::Copenhagen;

    fn at(m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, 12, 0, 0).unwrap()
    }

    fn month(m: u32) -> Month {
        Month {
            year: 2026,
            month: m,
        }
    }

    #[test]
    fn a_month_expires_at_the_start_of_the_month_after_its_period_in_local_time() {
        let t = month(3).expires_at(6, TZ).unwrap();
        // 1 October 00:00 in Copenhagen is 30 September 22:00 UTC.
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 9, 30, 22, 0, 0).unwrap());
        assert_eq!(
            month(12).expires_at(1, TZ).unwrap(),
            Utc.with_ymd_and_hms(2027, 1, 31, 23, 0, 0).unwrap()
        );
    }

    #[test]
    fn spending_uses_the_oldest_points_first_and_each_month_expires_once() {
        let mut flows = vec![
            Flow::In {
                at: at(3, 10),
                amount: 30,
            },
            Flow::In {
                at: at(4, 10),
                amount: 20,
            },
            Flow::Out {
                at: at(4, 20),
                amount: 35,
                expires: None,
            },
        ];
        assert_eq!(
            unspent_by_month(&flows, TZ),
            BTreeMap::from([(month(4), 15)])
        );
        assert!(due(&flows, 6, at(10, 2), TZ).is_empty(), "March was spent");
        assert_eq!(due(&flows, 6, at(11, 2), TZ), vec![(month(4), 15)]);
        flows.push(Flow::Out {
            at: at(11, 2),
            amount: 15,
            expires: Some(month(4)),
        });
        assert!(due(&flows, 6, at(12, 2), TZ).is_empty());
        assert!(unspent_by_month(&flows, TZ).is_empty());
    }

    #[test]
    fn a_second_expiry_of_the_same_month_is_never_due() {
        // Another device expired April for less than this one would.
        let flows = [
            Flow::In {
                at: at(4, 10),
                amount: 20,
            },
            Flow::Out {
                at: at(11, 2),
                amount: 5,
                expires: Some(month(4)),
            },
        ];
        assert!(due(&flows, 6, at(12, 2), TZ).is_empty());
    }

    #[test]
    fn an_overdraft_is_paid_back_before_new_points_count() {
        let flows = [
            Flow::Out {
                at: at(3, 1),
                amount: 10,
                expires: None,
            },
            Flow::In {
                at: at(3, 5),
                amount: 25,
            },
        ];
        assert_eq!(
            unspent_by_month(&flows, TZ),
            BTreeMap::from([(month(3), 15)])
        );
    }

    proptest! {
        #[test]
        fn expiry_never_takes_more_than_the_balance_and_leaves_nothing_due(
            ops in proptest::collection::vec((any::<bool>(), 1u64..100, 0i64..400), 0..30),
            after in 1u32..8,
            days in 0i64..700,
        ) {
            let start = at(1, 1);
            let mut flows: Vec<Flow> = ops
                .iter()
                .map(|&(inn, amount, d)| {
                    let at = start + Duration::days(d);
                    if inn { Flow::In { at, amount } } else { Flow::Out { at, amount, expires: None } }
                })
                .collect();
            let now = start + Duration::days(days);
            let balance: i64 = flows.iter().map(|f| match *f {
                Flow::In { amount, .. } => amount as i64,
                Flow::Out { amount, .. } => -(amount as i64),
            }).sum();
            let expiring = due(&flows, after, now, TZ);
            let total: u64 = expiring.iter().map(|(_, a)| a).sum();
            prop_assert!(total as i64 <= balance.max(0));
            for (m, amount) in &expiring {
                flows.push(Flow::Out { at: now, amount: *amount, expires: Some(*m) });
            }
            prop_assert!(due(&flows, after, now, TZ).is_empty());
            // The same answer in any order.
            let mut reversed = flows.clone();
            reversed.reverse();
            prop_assert_eq!(unspent_by_month(&flows, TZ), unspent_by_month(&reversed, TZ));
        }
    }
}
