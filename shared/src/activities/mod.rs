//! Activities residents check in to, and the check-ins themselves: the
//! records, the rules for an activity's fields and schedule, the rotating
//! check-in code ([`code`]), and the commands of the activities and
//! check-in screens.

pub mod code;
pub mod legacy;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

pub use code::{verify_checkin_code, CheckinCode, CheckinQrCode, CheckinRejection, CodeContext};

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
    /// Every week, on the chosen weekdays.
    Weekly,
    /// Every other week (counted from the first date's week), on the
    /// chosen weekdays.
    EveryOtherWeek,
    /// Every month on the first date's day of the month (the month's last
    /// day when it is shorter).
    Monthly,
}

/// A set of weekdays (bit 0 Monday … bit 6 Sunday).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Weekdays(pub u8);

impl Weekdays {
    /// The set of these days.
    pub fn of(days: &[Weekday]) -> Self {
        Self(
            days.iter()
                .fold(0, |set, d| set | 1 << d.num_days_from_monday()),
        )
    }

    /// Whether `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 & 0x7f == 0
    }

    /// The set with `day` added or taken out.
    pub fn toggled(self, day: Weekday) -> Self {
        Self(self.0 ^ (1 << day.num_days_from_monday()))
    }

    /// The days in the set, Monday first.
    pub fn days(self) -> impl Iterator<Item = Weekday> {
        (0..7u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .filter_map(|i| Weekday::try_from(i).ok())
    }
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
    /// How often.
    pub repeat: Repeat,
    /// For weekly and every-other-week activities: the weekdays (none: the
    /// first date's weekday).
    #[serde(default)]
    pub days: Weekdays,
}

impl Schedule {
    /// The weekdays a weekly activity meets on.
    pub fn weekdays(&self) -> Weekdays {
        if self.days.is_empty() {
            Weekdays::of(&[self.date.weekday()])
        } else {
            Weekdays(self.days.0 & 0x7f)
        }
    }

    /// Whether a session falls on `day`.
    pub fn occurs_on(&self, day: NaiveDate) -> bool {
        if day < self.date {
            return false;
        }
        match self.repeat {
            Repeat::Once => day == self.date,
            Repeat::Weekly => self.weekdays().contains(day.weekday()),
            Repeat::EveryOtherWeek => {
                let monday = |d: NaiveDate| {
                    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
                };
                let weeks = (monday(day) - monday(self.date)).num_weeks();
                weeks % 2 == 0 && self.weekdays().contains(day.weekday())
            }
            Repeat::Monthly => day == monthly_in(self.date.day(), day.year(), day.month()),
        }
    }
}

/// The `day`th of a month, or its last day when the month is shorter.
fn monthly_in(day: u32, year: i32, month: u32) -> NaiveDate {
    (1..=day)
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .unwrap_or(NaiveDate::MIN)
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
    /// Put away by a coordinator: not listed for residents, no check-in
    /// code is shown for it. Its history stays.
    pub archived: bool,
    /// When this version was signed (newest wins).
    pub updated_at: DateTime<Utc>,
}

impl Record for Activity {
    const DOMAIN: &'static str = "nabo/activity/v2";
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
    let from = today.max(schedule.date);
    match schedule.repeat {
        Repeat::Once => (schedule.date >= today).then_some(schedule.date),
        // Within two weeks every weekly rhythm has met once.
        Repeat::Weekly | Repeat::EveryOtherWeek => (0..14)
            .map(|i| from + Duration::days(i))
            .find(|d| schedule.occurs_on(*d)),
        Repeat::Monthly => {
            let this = monthly_in(schedule.date.day(), from.year(), from.month());
            if this >= from {
                return Some(this);
            }
            let (y, m) = if from.month() == 12 {
                (from.year() + 1, 1)
            } else {
                (from.year(), from.month() + 1)
            };
            Some(monthly_in(schedule.date.day(), y, m))
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
    /// Put away by a coordinator.
    pub archived: bool,
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
        /// The activity's title (from the code's label when this device has
        /// not synced the activity yet; empty if neither says).
        activity: String,
        /// The reward the activity promises, when known.
        reward: Option<u32>,
        /// Made with a poster's standing code: it earns only once a
        /// coordinator approves it.
        #[serde(default)]
        needs_approval: bool,
    },
    /// This member already checked in to this activity today: nothing new
    /// is recorded (points come once a day per activity).
    AlreadyCheckedIn {
        /// The activity's title, when known.
        activity: String,
    },
    /// A hub's pairing code: the hub is remembered for syncing.
    HubPaired {
        /// The hub.
        hub: KnownHub,
    },
    /// A payment request: what it asks, for the payer to say yes to
    /// (nothing is recorded yet).
    PaymentAsked(crate::rewards::payments::PaymentAsk),
    /// A payment this device (the payee) took.
    PaymentReceived(crate::rewards::payments::PaymentReceipt),
    /// A member card, scanned on a coordinator's or partner's device: whom
    /// it is for, to check them in or take their payment next.
    Card(crate::members::cards::CardScanned),
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

/// Someone who checked in to an activity, as the attendance list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    /// Their name, when this device knows it.
    pub name: Option<String>,
    /// Their device key's fingerprint.
    pub device: String,
    /// When they checked in.
    pub at: DateTime<Utc>,
    /// Whether their points were issued, wait, or were held back by the cap.
    pub status: crate::rewards::LineStatus,
    /// The points issued (or promised, while pending).
    pub amount: u32,
}

/// → [`AttendanceList`]: who checked in to an activity, newest first, at
/// most `limit` of them (coordinators only). A weekly activity gathers
/// thousands of check-ins over the years: the screen asks for a page more
/// at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityAttendance {
    /// The activity.
    pub activity: ActivityId,
    /// At most this many check-ins, the newest.
    pub limit: u32,
}

/// An activity's attendance: how many check-ins and people in all, and the
/// newest check-ins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttendanceList {
    /// Check-ins in all.
    pub checkins: u32,
    /// Members who checked in at least once (a member's phones are one).
    pub people: u32,
    /// The newest check-ins, newest first.
    pub rows: Vec<Attendee>,
}

/// → `()`: puts an activity away (or brings it back), as a new version
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchiveActivity {
    /// The activity.
    pub activity: ActivityId,
    /// `true` to put it away, `false` to bring it back.
    pub archived: bool,
}

/// → [`QrView`]: the check-in code for an activity, for the current
/// window (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckinQr {
    /// The activity.
    pub activity: ActivityId,
}

/// What a poster says besides the activity's title, in the coordinator's
/// language (the UI holds the translations; the engine lays them out).
/// Each text is cut to [`MAX_POSTER_TEXT`] characters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PosterTexts {
    /// The neighbourhood's name.
    pub community: String,
    /// The call to action over the code ("Tjek ind her").
    pub heading: String,
    /// When the activity meets, in words.
    pub when: String,
    /// Where.
    pub place: String,
    /// What a check-in earns, in words.
    pub points: String,
    /// How to check in with the code.
    pub how: String,
    /// That poster check-ins wait for a coordinator.
    pub note: String,
}

/// The longest text a poster prints, per line of [`PosterTexts`].
pub const MAX_POSTER_TEXT: usize = 200;

/// → [`SavedPoster`]: writes a poster for an activity (a PDF with its
/// title, time, place, points and standing check-in code) to the exports
/// folder (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavePoster {
    /// The activity.
    pub activity: ActivityId,
    /// The poster's words.
    pub texts: PosterTexts,
}

/// Where a poster was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPoster {
    /// The file.
    pub path: String,
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
    ArchiveActivity => "archive_activity" -> ();
    ActivityAttendance => "activity_attendance" -> AttendanceList;
    CheckinQr => "checkin_qr" -> QrView;
    SavePoster => "save_poster" -> SavedPoster;
    ScanText => "scan_text" -> ScanOutcome;
    ScanImage => "scan_image", raw -> ScanOutcome;
    ReadQrImage => "read_qr_image", raw -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rhythms_meet_on_their_days() {
        // Monday 2 November 2026.
        let base = Schedule {
            date: date(2026, 11, 2),
            start: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
            days: Weekdays::of(&[Weekday::Tue, Weekday::Thu]),
        };
        // Sunday 22 November: next Tuesday.
        assert_eq!(
            next_session(&base, date(2026, 11, 22)),
            Some(date(2026, 11, 24))
        );
        let biweekly = Schedule {
            repeat: Repeat::EveryOtherWeek,
            ..base
        };
        // The week of 2 November meets, that of 9 November not, that of
        // 16 November does, that of 23 November not.
        assert_eq!(
            next_session(&biweekly, date(2026, 11, 9)),
            Some(date(2026, 11, 17))
        );
        assert_eq!(
            next_session(&biweekly, date(2026, 11, 20)),
            Some(date(2026, 12, 1))
        );
        // Monthly on the 31st: the last day of shorter months.
        let monthly = Schedule {
            repeat: Repeat::Monthly,
            date: date(2026, 1, 31),
            ..base
        };
        assert_eq!(
            next_session(&monthly, date(2026, 2, 2)),
            Some(date(2026, 2, 28))
        );
        assert_eq!(
            next_session(&monthly, date(2026, 3, 1)),
            Some(date(2026, 3, 31))
        );
        assert_eq!(
            next_session(&monthly, date(2026, 12, 31)),
            Some(date(2026, 12, 31))
        );
        // No weekdays chosen: the first date's weekday.
        let plain = Schedule {
            days: Weekdays::default(),
            ..base
        };
        assert_eq!(
            next_session(&plain, date(2026, 11, 3)),
            Some(date(2026, 11, 9))
        );
    }

    proptest::proptest! {
        #[test]
        fn the_next_session_is_the_first_day_that_meets(
            start in 0i64..400, today in 0i64..800, repeat in 0u8..4, days in 0u8..128,
        ) {
            let origin = date(2025, 1, 1);
            let s = Schedule {
                date: origin + Duration::days(start),
                start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
                repeat: [Repeat::Once, Repeat::Weekly, Repeat::EveryOtherWeek, Repeat::Monthly][usize::from(repeat)],
                days: Weekdays(days),
            };
            let today = origin + Duration::days(today);
            let next = next_session(&s, today);
            let from = today.max(s.date);
            match next {
                Some(d) => {
                    proptest::prop_assert!(d >= today && s.occurs_on(d));
                    let mut day = from;
                    while day < d {
                        proptest::prop_assert!(!s.occurs_on(day), "{day} meets before {d}");
                        day += Duration::days(1);
                    }
                }
                None => {
                    proptest::prop_assert_eq!(s.repeat, Repeat::Once);
                    proptest::prop_assert!(s.date < today);
                }
            }
        }
    }

    #[test]
    fn a_weekly_activity_repeats_on_its_weekday() {
        let s = Schedule {
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            start: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
            days: Weekdays::default(),
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
