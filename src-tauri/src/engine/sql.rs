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
/// ([`office_json`]). A macro so that it fits in `const` queries; the test
/// itself is [`IN_OFFICE`], a function of the connection.
macro_rules! in_office {
    ($signer:literal, $at:literal, $param:literal) => {
        concat!("nabo_in_office(", $param, ", ", $signer, ", ", $at, ")")
    };
}
pub(crate) use in_office;

/// The name of the SQL function behind [`in_office!`].
pub const IN_OFFICE: &str = "nabo_in_office";

/// The terms of [`office_json`], parsed once per statement: for each key
/// that held office, the spans in which its word did not count.
struct Terms(std::collections::HashMap<String, Vec<(String, Option<String>)>>);

impl Terms {
    fn parse(json: &str) -> std::result::Result<Self, serde_json::Error> {
        #[derive(serde::Deserialize)]
        struct Json {
            keys: Vec<String>,
            out: Vec<(String, String, Option<String>)>,
        }
        let json: Json = serde_json::from_str(json)?;
        let mut terms: std::collections::HashMap<_, Vec<_>> =
            json.keys.into_iter().map(|k| (k, Vec::new())).collect();
        for (key, from, until) in json.out {
            if let Some(spans) = terms.get_mut(&key) {
                spans.push((from, until));
            }
        }
        Ok(Self(terms))
    }

    /// Whether `signer` signed at `at` (stored timestamps, whose text
    /// order is time order) in office.
    fn holds(&self, signer: &str, at: &str) -> bool {
        self.0.get(signer).is_some_and(|spans| {
            !spans
                .iter()
                .any(|(from, until)| at >= from.as_str() && until.as_deref().is_none_or(|u| at < u))
        })
    }
}

/// Adds [`IN_OFFICE`] to a connection: `nabo_in_office(terms, signer, at)`
/// is 1 when `signer` held office at `at` by `terms` ([`office_json`]), 0
/// otherwise (and for a NULL signer or time). The terms are parsed once per
/// statement (SQLite keeps them beside a bound parameter), so judging a
/// million ledger rows costs a hash lookup each, not a JSON parse.
pub fn add_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        IN_OFFICE,
        3,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let terms = ctx.get_or_create_aux(0, |v| -> std::result::Result<Terms, BoxError> {
                Ok(Terms::parse(v.as_str()?)?)
            })?;
            let (signer, at) = (ctx.get_raw(1), ctx.get_raw(2));
            Ok(match (signer.as_str_or_null()?, at.as_str_or_null()?) {
                (Some(signer), Some(at)) => terms.holds(signer, at),
                _ => false,
            })
        },
    )
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The function as the queries call it, on an in-memory connection.
    fn in_office(terms: &str, signer: Option<&str>, at: Option<&str>) -> bool {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        add_functions(&conn).unwrap();
        conn.query_row(
            &format!("SELECT {IN_OFFICE}(?1, ?2, ?3)"),
            rusqlite::params![terms, signer, at],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn in_office_follows_the_terms() {
        let terms = serde_json::json!({
            "keys": ["aa", "bb"],
            "out": [
                ["aa", "", "2026-01-01T00:00:00.000Z"],
                ["aa", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
                ["bb", "2026-06-01T00:00:00.000Z", null],
                ["cc", "", null]
            ]
        })
        .to_string();
        let at = |signer, at| in_office(&terms, Some(signer), Some(at));
        assert!(!at("aa", "2025-12-31T23:59:59.999Z"), "before the term");
        assert!(
            at("aa", "2026-01-01T00:00:00.000Z"),
            "from its first moment"
        );
        assert!(!at("aa", "2026-03-15T00:00:00.000Z"), "suspended");
        assert!(
            at("aa", "2026-04-01T00:00:00.000Z"),
            "back from the suspension"
        );
        assert!(
            at("bb", "2020-01-01T00:00:00.000Z"),
            "a founder from the start"
        );
        assert!(!at("bb", "2030-01-01T00:00:00.000Z"), "revoked for good");
        assert!(!at("cc", "2026-05-01T00:00:00.000Z"), "never in office");
        assert!(!in_office(&terms, None, Some("2026-05-01T00:00:00.000Z")));
        assert!(!in_office(&terms, Some("aa"), None));
    }

    #[test]
    fn garbled_terms_are_an_error_not_a_verdict() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        add_functions(&conn).unwrap();
        let result: rusqlite::Result<bool> = conn.query_row(
            &format!("SELECT {IN_OFFICE}('not json', 'aa', 'x')"),
            [],
            |r| r.get(0),
        );
        assert!(result.is_err());
    }
}
