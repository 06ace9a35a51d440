//! The rules every device evaluates the same way: is a check-in code
//! acceptable, what counts as "the same day", how much a check-in earns under
//! the daily cap, and whether an activity's fields make sense.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
pub use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::codes::{window_of, CheckinCode};
use crate::crypto::MemberKey;
use crate::ids::CommunityId;
use crate::records::{Activity, Repeat, Schedule};

/// The time zone used when a community names none that this build knows.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Copenhagen";

/// Why a scanned check-in code is refused. Each has its own message in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckinRejection {
    /// The code belongs to another community.
    #[error("the code is for another neighbourhood")]
    ForeignCommunity,
    /// No coordinator this device knows has that key.
    #[error("the code was not made by a coordinator")]
    UnknownSigner,
    /// The key is known but the signature does not match: forged or altered.
    #[error("the code is forged or altered")]
    BadSignature,
    /// The code's window has passed.
    #[error("the code has expired")]
    Expired,
    /// The code is from the future: one of the clocks is wrong.
    #[error("the code is not valid yet")]
    NotYetValid,
    /// This member already checked in to this activity today.
    #[error("already checked in today")]
    AlreadyCheckedIn,
    /// The activity is not known on this device.
    #[error("unknown activity")]
    UnknownActivity,
}

/// What a device knows when it checks a code.
#[derive(Debug, Clone, Copy)]
pub struct CodeContext<'a> {
    /// The device's community.
    pub community: CommunityId,
    /// The keys of every current coordinator this device knows.
    pub coordinators: &'a [MemberKey],
    /// The moment of the scan.
    pub now: DateTime<Utc>,
}

/// How many windows late a code may be scanned: the one just replaced is
/// still accepted, so a code that rotates while the phone focuses still works.
pub const GRACE_WINDOWS: u32 = 1;

/// Checks a scanned code: community, signer, signature, then time. Returns
/// the coordinator who signed it.
pub fn verify_checkin_code(
    code: &CheckinCode,
    ctx: &CodeContext<'_>,
) -> Result<MemberKey, CheckinRejection> {
    if code.community != ctx.community {
        return Err(CheckinRejection::ForeignCommunity);
    }
    let signer = ctx
        .coordinators
        .iter()
        .find(|k| k.key_id() == code.key_id)
        .ok_or(CheckinRejection::UnknownSigner)?;
    if !code.signed_by(signer) {
        return Err(CheckinRejection::BadSignature);
    }
    let now = window_of(ctx.now);
    if code.window.saturating_add(GRACE_WINDOWS) < now {
        return Err(CheckinRejection::Expired);
    }
    // A phone whose clock is a window behind the coordinator's still works.
    if code.window > now.saturating_add(GRACE_WINDOWS) {
        return Err(CheckinRejection::NotYetValid);
    }
    Ok(*signer)
}

/// The community's time zone, falling back to [`DEFAULT_TIME_ZONE`].
pub fn time_zone(name: &str) -> Tz {
    name.parse()
        .unwrap_or_else(|_| DEFAULT_TIME_ZONE.parse().expect("default zone exists"))
}

/// The local calendar day a moment falls on: what "per day" means for caps
/// and repeated check-ins.
pub fn local_day(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// How much a check-in earns, given what the activity already issued on the
/// same local day. Zero means the daily cap is reached. Check-ins are
/// rewarded in a fixed order (time, then id), so every device that applies
/// this over the same check-ins issues the same amounts.
pub fn reward_amount(reward: u32, daily_cap: Option<u32>, issued_today: u32) -> u32 {
    match daily_cap {
        None => reward,
        Some(cap) => reward.min(cap.saturating_sub(issued_today)),
    }
}

/// A field of a form the engine refuses, with what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    /// Left empty.
    #[error("is required")]
    Required,
    /// Longer than allowed.
    #[error("is too long")]
    TooLong,
    /// A number outside the allowed range.
    #[error("is out of range")]
    OutOfRange,
    /// Ends before it starts.
    #[error("ends before it starts")]
    EndsBeforeStart,
    /// Smaller than the reward it must hold.
    #[error("is smaller than the reward")]
    BelowReward,
}

/// Longest title accepted.
pub const MAX_TITLE: usize = 80;
/// Longest description or place accepted.
pub const MAX_TEXT: usize = 2000;
/// Largest reward per check-in.
pub const MAX_REWARD: u32 = 1000;

/// Checks an activity's fields; returns the first bad field's name and problem.
pub fn validate_activity(a: &Activity) -> Result<(), (&'static str, FieldProblem)> {
    let title = a.title.trim();
    if title.is_empty() {
        return Err(("title", FieldProblem::Required));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(("title", FieldProblem::TooLong));
    }
    if a.description.chars().count() > MAX_TEXT {
        return Err(("description", FieldProblem::TooLong));
    }
    if a.place.chars().count() > MAX_TEXT {
        return Err(("place", FieldProblem::TooLong));
    }
    if a.schedule.end <= a.schedule.start {
        return Err(("end", FieldProblem::EndsBeforeStart));
    }
    if a.reward == 0 || a.reward > MAX_REWARD {
        return Err(("reward", FieldProblem::OutOfRange));
    }
    if let Some(cap) = a.daily_cap {
        if cap < a.reward {
            return Err(("daily_cap", FieldProblem::BelowReward));
        }
    }
    Ok(())
}

/// The date of the next session on or after `today` (local), if any.
pub fn next_session(schedule: &Schedule, today: NaiveDate) -> Option<NaiveDate> {
    match schedule.repeat {
        Repeat::Once => (schedule.date >= today).then_some(schedule.date),
        Repeat::Weekly => {
            if schedule.date >= today {
                return Some(schedule.date);
            }
            let behind = (today - schedule.date).num_days();
            let weeks = (behind + 6) / 7;
            let next = schedule.date + Duration::weeks(weeks);
            debug_assert_eq!(next.weekday(), schedule.date.weekday());
            Some(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SigningKey;
    use crate::ids::ActivityId;
    use chrono::{NaiveTime, TimeZone};
    use proptest::prelude::*;

    fn coordinator() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn community() -> CommunityId {
        CommunityId::from_bytes([1; 16])
    }

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, h, m, s).unwrap()
    }

    fn code_at(t: DateTime<Utc>) -> CheckinCode {
        CheckinCode::issue(
            &coordinator(),
            community(),
            ActivityId::from_bytes([2; 16]),
            t,
        )
    }

    fn check(code: &CheckinCode, now: DateTime<Utc>) -> Result<MemberKey, CheckinRejection> {
        let keys = [MemberKey::of(&coordinator())];
        verify_checkin_code(
            code,
            &CodeContext {
                community: community(),
                coordinators: &keys,
                now,
            },
        )
    }

    #[test]
    fn a_fresh_code_from_a_coordinator_is_accepted() {
        assert_eq!(
            check(&code_at(at(18, 0, 0)), at(18, 0, 10)),
            Ok(MemberKey::of(&coordinator()))
        );
    }

    #[test]
    fn the_previous_window_is_still_accepted_but_not_older() {
        let code = code_at(at(18, 0, 0));
        assert!(check(&code, at(18, 0, 45)).is_ok());
        assert_eq!(check(&code, at(18, 1, 0)), Err(CheckinRejection::Expired));
        assert_eq!(check(&code, at(19, 0, 0)), Err(CheckinRejection::Expired));
    }

    #[test]
    fn a_code_from_the_future_is_refused() {
        assert_eq!(
            check(&code_at(at(18, 5, 0)), at(18, 0, 0)),
            Err(CheckinRejection::NotYetValid)
        );
    }

    #[test]
    fn a_code_from_another_community_is_foreign() {
        let code = CheckinCode::issue(
            &coordinator(),
            CommunityId::from_bytes([9; 16]),
            ActivityId::from_bytes([2; 16]),
            at(18, 0, 0),
        );
        assert_eq!(
            check(&code, at(18, 0, 1)),
            Err(CheckinRejection::ForeignCommunity)
        );
    }

    #[test]
    fn a_code_signed_by_a_stranger_is_refused() {
        let stranger = SigningKey::from_bytes(&[8; 32]);
        let code = CheckinCode::issue(
            &stranger,
            community(),
            ActivityId::from_bytes([2; 16]),
            at(18, 0, 0),
        );
        assert_eq!(
            check(&code, at(18, 0, 1)),
            Err(CheckinRejection::UnknownSigner)
        );
    }

    #[test]
    fn a_forged_code_with_a_coordinators_key_id_is_refused() {
        let mut code = code_at(at(18, 0, 0));
        code.activity = ActivityId::from_bytes([3; 16]);
        assert_eq!(
            check(&code, at(18, 0, 1)),
            Err(CheckinRejection::BadSignature)
        );
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
    fn a_day_is_the_communitys_local_day() {
        let tz = time_zone("Europe/Copenhagen");
        // 23:30 UTC on the 22nd is 00:30 on the 23rd in Copenhagen.
        assert_eq!(
            local_day(at(23, 30, 0), tz),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(time_zone("Not/AZone"), tz);
    }

    #[test]
    fn a_weekly_activity_repeats_on_its_weekday() {
        let s = Schedule {
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            start: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            next_session(&s, today),
            NaiveDate::from_ymd_opt(2026, 11, 23)
        );
        let once = Schedule {
            repeat: Repeat::Once,
            ..s
        };
        assert_eq!(next_session(&once, today), None);
    }

    proptest! {
        #[test]
        fn a_day_never_issues_more_than_the_cap(reward in 1u32..100, cap in 1u32..500, scans in 1usize..40) {
            prop_assume!(cap >= reward);
            let mut earned = 0;
            for _ in 0..scans {
                earned += reward_amount(reward, Some(cap), earned);
            }
            prop_assert!(earned <= cap);
            prop_assert_eq!(earned, (reward * scans as u32).min(cap));
        }

        #[test]
        fn codes_are_accepted_exactly_within_their_grace(offset in -200i64..200) {
            let issued = at(18, 0, 0);
            let code = code_at(issued);
            let now = issued + Duration::seconds(offset);
            let result = check(&code, now);
            let delta = i64::from(window_of(now)) - i64::from(code.window);
            if (-1..=1).contains(&delta) {
                prop_assert!(result.is_ok());
            } else if delta > 1 {
                prop_assert_eq!(result, Err(CheckinRejection::Expired));
            } else {
                prop_assert_eq!(result, Err(CheckinRejection::NotYetValid));
            }
        }
    }
}
