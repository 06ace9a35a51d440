//! Activities residents check in to, and the check-ins themselves: the
//! records, the rules for an activity's fields and schedule, the rotating
//! check-in code ([`code`]), and the commands of the activities and
//! check-in screens.

pub mod code;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

pub use code::{verify_checkin_code, CheckinCode, CheckinRejection, CodeContext};

use crate::codes::QrView;
use crate::crypto::MemberKey;
use crate::fields::{FieldProblem, MAX_TEXT, MAX_TITLE};
use crate::ids::{ActivityId, CheckinId, CommunityId};
use crate::signed::Record;
use crate::sync::KnownHub;

/// How often an activity happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Once, on the first date.
    Once,
    /// Every week on the first date's weekday.
    Weekly,
}

/// When an activity happens, in the community's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schedule {
    /// The first (or only) date.
    pub date: NaiveDate,
    /// Local start time.
    pub start: NaiveTime,
    /// Local end time (after start).
    pub end: NaiveTime,
    /// Once or weekly.
    pub repeat: Repeat,
}

/// An activity residents can check in to. Coordinators edit it by signing a
/// new version under the same key; the newest valid version wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Stable id.
    pub id: ActivityId,
    /// The community.
    pub community: CommunityId,
    /// Short title, e.g. "Lektiecafé".
    pub title: String,
    /// What happens there.
    pub description: String,
    /// Where.
    pub place: String,
    /// When.
    pub schedule: Schedule,
    /// Currency earned per check-in.
    pub reward: u32,
    /// Most currency this activity issues in one local day, across all
    /// members: the coordinator's budget for it. Check-ins past it are
    /// recorded with a reward of zero, visibly, never dropped.
    pub daily_cap: Option<u32>,
    /// When this version was signed (newest wins).
    pub updated_at: DateTime<Utc>,
}

impl Record for Activity {
    const DOMAIN: &'static str = "nabo/activity/v1";
}

/// A resident's check-in, signed by their own device. The scanned code is kept
/// as evidence: whoever rewards it re-checks the code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    /// Stable id.
    pub id: CheckinId,
    /// The community.
    pub community: CommunityId,
    /// The activity.
    pub activity: ActivityId,
    /// The resident's device key (also the signer).
    pub member: MemberKey,
    /// When the resident scanned.
    pub at: DateTime<Utc>,
    /// The code they scanned.
    pub code: CheckinCode,
}

impl Record for CheckIn {
    const DOMAIN: &'static str = "nabo/checkin/v1";
}

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

/// An activity as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    /// Id.
    pub id: ActivityId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Place.
    pub place: String,
    /// Schedule (local time).
    pub schedule: Schedule,
    /// The next session's date, if any.
    pub next_session: Option<NaiveDate>,
    /// Reward per check-in.
    pub reward: u32,
    /// Most currency issued per day, across all members.
    pub daily_cap: Option<u32>,
    /// Check-ins today (local day).
    pub checkins_today: u32,
}

/// An activity form. `id: None` creates; `Some` edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityInput {
    /// The activity to edit, or none to create one.
    pub id: Option<ActivityId>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Place.
    pub place: String,
    /// Schedule.
    pub schedule: Schedule,
    /// Reward per check-in.
    pub reward: u32,
    /// Most currency issued per day across all members (`None`: no cap).
    pub daily_cap: Option<u32>,
}

/// What a successful scan did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScanOutcome {
    /// Checked in; the reward is pending until a coordinator's device issues it.
    CheckedIn {
        /// The new check-in.
        checkin: CheckinId,
        /// The activity's title.
        activity: String,
        /// The reward the activity promises.
        reward: u32,
    },
    /// A hub's pairing code: the hub is remembered for syncing.
    HubPaired {
        /// The hub.
        hub: KnownHub,
    },
}

/// → `Vec<`[`ActivityView`]`>`: the community's activities, by title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListActivities;

/// → [`ActivityView`]: creates or edits an activity (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveActivity {
    /// The form.
    pub activity: ActivityInput,
}

/// → [`QrView`]: the check-in code for an activity, for the current
/// window (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckinQr {
    /// The activity.
    pub activity: ActivityId,
}

/// → [`ScanOutcome`]: scanned or pasted text on the check-in screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanText {
    /// The text.
    pub text: String,
}

/// → [`ScanOutcome`]: a picture of a QR code on the check-in screen (the
/// picture's bytes are the raw request body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanImage;

/// → `String`: the text of the QR code in a picture (the picture's bytes
/// are the raw request body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadQrImage;

crate::commands! {
    ListActivities => "list_activities" -> Vec<ActivityView>;
    SaveActivity => "save_activity" -> ActivityView;
    CheckinQr => "checkin_qr" -> QrView;
    ScanText => "scan_text" -> ScanOutcome;
    ScanImage => "scan_image", raw -> ScanOutcome;
    ReadQrImage => "read_qr_image", raw -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

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

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_open_as_a_checkin(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = crate::signed::Signed::<CheckIn>::open_bytes(&bytes);
        }
    }
}
