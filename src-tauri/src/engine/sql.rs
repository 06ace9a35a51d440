//! Small helpers the capabilities' queries share: how times and keys are
//! stored, and how a set of keys decided in Rust (the coordinators, the
//! confirmed members) is handed to SQL.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use nabo_shared::crypto::MemberKey;
use nabo_shared::members::authority::Authority;
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

/// The coordinators' terms of office as one JSON parameter for
/// [`in_office!`]: every key that held office (`keys`), and the spans in
/// which its word did not count (`out`: `[key, from, until or null]`):
/// before its term began (from `""`, which sorts before every time), and
/// while it was revoked.
pub fn office_json(who: &Authority) -> String {
    let keys: Vec<String> = who.office.keys().map(|k| k.to_hex()).collect();
    let mut out: Vec<(String, String, Option<String>)> = Vec::new();
    for (key, since) in &who.office {
        if let Some(since) = since {
            out.push((key.to_hex(), String::new(), Some(ts(*since))));
        }
        for s in who.suspensions.get(key).into_iter().flatten() {
            out.push((key.to_hex(), ts(s.from), s.until.map(ts)));
        }
    }
    serde_json::json!({ "keys": keys, "out": out }).to_string()
}

/// SQL condition: the key in column `$signer` signed at the time in column
/// `$at` as a coordinator in office, by the terms in parameter `$param`
/// ([`office_json`]). A macro so that it fits in `const` queries.
macro_rules! in_office {
    ($signer:literal, $at:literal, $param:literal) => {
        concat!(
            "(",
            $signer,
            " IN (SELECT value FROM json_each(",
            $param,
            ", '$.keys'))",
            " AND NOT EXISTS (SELECT 1 FROM json_each(",
            $param,
            ", '$.out') o",
            " WHERE o.value ->> 0 = ",
            $signer,
            " AND ",
            $at,
            " >= o.value ->> 1",
            " AND (o.value ->> 2 IS NULL OR ",
            $at,
            " < o.value ->> 2)))"
        )
    };
}
pub(crate) use in_office;

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
