//! What "a day" means: every per-day rule (caps, one check-in a day) counts
//! in the community's own local days, whatever zone a phone is set to.

use chrono::{DateTime, NaiveDate, Utc};
pub use chrono_tz::Tz;

/// The time zone used when a community names none that this build knows.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Copenhagen";

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_day_is_the_communitys_local_day() {
        let tz = time_zone("Europe/Copenhagen");
        // 23:30 UTC on the 22nd is 00:30 on the 23rd in Copenhagen.
        let late = Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        assert_eq!(
            local_day(late, tz),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(time_zone("Not/AZone"), tz);
    }
}
