//! Small helpers the capabilities' queries share: how times and keys are
//! stored, and how a set of keys decided in Rust (the coordinators, the
//! confirmed members) is handed to SQL.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use nabo_shared::crypto::MemberKey;
use nabo_shared::time::Tz;

use super::error::{EngineError, Result};

/// Timestamps are stored as RFC 3339 UTC with milliseconds, so text order is
/// time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A stored timestamp.
pub fn time_of(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| EngineError::corrupt("timestamp", s))
}

/// A stored member key.
pub fn key_of(hex: &str) -> Result<MemberKey> {
    MemberKey::from_hex(hex).ok_or_else(|| EngineError::corrupt("member key", hex))
}

/// A stored id or other parsed value.
pub fn parse<T: std::str::FromStr>(s: &str, what: &'static str) -> Result<T> {
    s.parse().map_err(|_| EngineError::corrupt(what, s))
}

/// A set of keys as a JSON array of hex strings, for
/// `IN (SELECT value FROM json_each(?))`.
pub fn keys_json<'a>(keys: impl IntoIterator<Item = &'a MemberKey>) -> String {
    let hex: Vec<String> = keys.into_iter().map(|k| k.to_hex()).collect();
    serde_json::to_string(&hex).unwrap_or_else(|_| "[]".into())
}

/// The UTC bounds of a local day, as stored timestamps.
pub fn day_bounds(day: NaiveDate, tz: Tz) -> (String, String) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        tz.from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    };
    (ts(start(day)), ts(start(day.succ_opt().unwrap_or(day))))
}
