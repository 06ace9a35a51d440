//! Activities of the first format (before weekday choices, rhythms other
//! than weekly, and archiving), read so that nothing signed is lost: each
//! becomes today's [`Activity`] with its weekday and not archived.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Activity, Repeat, Schedule, Weekdays};
use crate::ids::{ActivityId, CommunityId};
use crate::signed::Record;

/// How often, in the first format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepeatV1 {
    /// Once.
    Once,
    /// Weekly on the first date's weekday.
    Weekly,
}

/// When, in the first format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleV1 {
    /// The first date.
    pub date: NaiveDate,
    /// Start.
    pub start: NaiveTime,
    /// End.
    pub end: NaiveTime,
    /// How often.
    pub repeat: RepeatV1,
}

/// An activity of the first format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityV1 {
    /// Id.
    pub id: ActivityId,
    /// Community.
    pub community: CommunityId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Place.
    pub place: String,
    /// When.
    pub schedule: ScheduleV1,
    /// Reward per check-in.
    pub reward: u32,
    /// Daily cap.
    pub daily_cap: Option<u32>,
    /// Version time.
    pub updated_at: DateTime<Utc>,
}

impl Record for ActivityV1 {
    const DOMAIN: &'static str = "nabo/activity/v1";
}

impl From<ActivityV1> for Activity {
    fn from(a: ActivityV1) -> Self {
        Activity {
            id: a.id,
            community: a.community,
            title: a.title,
            description: a.description,
            place: a.place,
            schedule: Schedule {
                date: a.schedule.date,
                start: a.schedule.start,
                end: a.schedule.end,
                repeat: match a.schedule.repeat {
                    RepeatV1::Once => Repeat::Once,
                    RepeatV1::Weekly => Repeat::Weekly,
                },
                days: Weekdays::default(),
            },
            reward: a.reward,
            daily_cap: a.daily_cap,
            archived: false,
            updated_at: a.updated_at,
        }
    }
}
