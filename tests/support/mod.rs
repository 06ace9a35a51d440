//! Helpers the test targets share (each uses its own part of them).
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use nabo_lib::engine::ManualClock;
use nabo_shared::activities::{ActivityInput, Repeat, Schedule};

/// A Tuesday afternoon in Copenhagen, during [`activity`]'s first session.
pub fn tuesday() -> ManualClock {
    ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap())
}

/// A weekly activity from that Tuesday, 15:00–17:00 at the community house.
pub fn activity(title: &str, reward: u32, cap: Option<u32>) -> ActivityInput {
    ActivityInput {
        id: None,
        title: title.into(),
        description: "Hjælp til lektier".into(),
        place: "Beboerhuset".into(),
        schedule: Schedule {
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            start: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
        },
        reward,
        daily_cap: cap,
    }
}
