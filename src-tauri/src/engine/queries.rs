//! Read queries over the projection. Authority is decided here: a row counts
//! only if its signer was entitled to write it, judged over the merged state.
//!
//! `?1` is always the community id and `?2` the founding key this device
//! trusts; [`COORDINATORS`] derives the coordinator set from them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use nabo_shared::api::{ActivityView, LineStatus, MemberView, WalletLine, WalletView};
use nabo_shared::codes::CheckinCode;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::{ActivityId, CheckinId, CommunityId};
use nabo_shared::records::{Role, Schedule};
use nabo_shared::rules;
use nabo_shared::rules::Tz;
use rusqlite::{params, Connection, OptionalExtension};

use super::error::{EngineError, Result};
use super::projection::ts;
use super::Ctx;

/// The coordinators: the founding key, then everyone a coordinator made a
/// coordinator, transitively. Then the members a coordinator confirmed, the
/// current version of each activity, and the ledger entries a coordinator
/// issued (one per id, whoever issued it first).
const COORDINATORS: &str = "
WITH RECURSIVE coord(key) AS (
    SELECT founding_key FROM communities WHERE id = ?1
    UNION SELECT ?2
    UNION SELECT m.member_key FROM members m JOIN coord c ON m.signer = c.key
          WHERE m.community = ?1 AND m.role = 'coordinator'
),
revoked AS (
    SELECT member_key FROM revocations
    WHERE community = ?1 AND signer IN (SELECT key FROM coord)
),
valid AS (
    SELECT member_key, name, role, MAX(issued_at || signer) AS v
    FROM members WHERE community = ?1 AND signer IN (SELECT key FROM coord)
      AND member_key NOT IN (SELECT member_key FROM revoked)
    GROUP BY member_key
),
acts AS (
    SELECT id, title, description, place, schedule, reward, daily_cap, MAX(updated_at || signer) AS v
    FROM activities WHERE community = ?1 AND signer IN (SELECT key FROM coord)
    GROUP BY id
),
entries AS (
    SELECT id, to_key, amount, checkin, activity, issued_at, MIN(issued_at || signer) AS v
    FROM ledger WHERE community = ?1 AND signer IN (SELECT key FROM coord)
    GROUP BY id
),
cins AS (
    SELECT id, activity, member_key, at, code, MIN(at || activity) AS v
    FROM checkins WHERE community = ?1
    GROUP BY id
)";

fn sql(tail: &str) -> String {
    format!("{COORDINATORS}\n{tail}")
}

fn key_of(hex: &str) -> Result<MemberKey> {
    MemberKey::from_hex(hex).ok_or_else(|| EngineError::Corrupt {
        what: format!("member key {hex}"),
    })
}

fn time_of(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| EngineError::Corrupt {
            what: format!("timestamp {s}"),
        })
}

fn parse<T: std::str::FromStr>(s: &str, what: &str) -> Result<T> {
    s.parse().map_err(|_| EngineError::Corrupt {
        what: format!("{what} {s}"),
    })
}

/// The UTC bounds of a local day.
fn day_bounds(day: NaiveDate, tz: Tz) -> (String, String) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        tz.from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    };
    (ts(start(day)), ts(start(day.succ_opt().unwrap_or(day))))
}

/// The community's time zone name (its genesis), or the default.
pub fn time_zone(conn: &Connection, community: &CommunityId) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT time_zone FROM communities WHERE id = ?1 ORDER BY created_at LIMIT 1",
            [community.to_string()],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| rules::DEFAULT_TIME_ZONE.to_owned()))
}

/// The community's name from its genesis, once this device has it.
pub fn community_name(conn: &Connection, community: &CommunityId) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM communities WHERE id = ?1 ORDER BY created_at DESC LIMIT 1",
            [community.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every coordinator key.
pub fn coordinators(conn: &Connection, ctx: &Ctx) -> Result<Vec<MemberKey>> {
    let mut stmt = conn.prepare_cached(&sql("SELECT key FROM coord ORDER BY key"))?;
    let keys = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex()],
            |r| r.get::<_, String>(0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    keys.iter().map(|k| key_of(k)).collect()
}

/// A confirmed membership.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub role: Role,
}

/// A member's confirmed membership, if any.
pub fn membership(conn: &Connection, ctx: &Ctx, member: &MemberKey) -> Result<Option<Confirmed>> {
    let role: Option<String> = conn
        .query_row(
            &sql("SELECT role FROM valid WHERE member_key = ?3"),
            params![
                ctx.community.to_string(),
                ctx.anchor.to_hex(),
                member.to_hex()
            ],
            |r| r.get(0),
        )
        .optional()?;
    Ok(role.map(|r| Confirmed {
        role: Role::parse(&r).unwrap_or(Role::Resident),
    }))
}

/// Every confirmed member's key and role.
pub fn confirmed_members(conn: &Connection, ctx: &Ctx) -> Result<Vec<(MemberKey, Role)>> {
    let mut stmt = conn.prepare_cached(&sql("SELECT member_key, role FROM valid"))?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex()],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(k, role)| Ok((key_of(&k)?, Role::parse(&role).unwrap_or(Role::Resident))))
        .collect()
}

/// The keys of the members whose access a coordinator removed.
pub fn revoked_members(conn: &Connection, ctx: &Ctx) -> Result<Vec<MemberKey>> {
    let mut stmt = conn.prepare_cached(&sql("SELECT DISTINCT member_key FROM revoked"))?;
    let keys = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex()],
            |r| r.get::<_, String>(0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    keys.iter().map(|k| key_of(k)).collect()
}

/// Whether a coordinator revoked this device's membership.
pub fn revoked(conn: &Connection, ctx: &Ctx, member: &MemberKey) -> Result<bool> {
    Ok(conn.query_row(
        &sql("SELECT EXISTS (SELECT 1 FROM revoked WHERE member_key = ?3)"),
        params![
            ctx.community.to_string(),
            ctx.anchor.to_hex(),
            member.to_hex()
        ],
        |r| r.get(0),
    )?)
}

/// A device's member name: from its membership, else from its join request.
pub fn member_name(conn: &Connection, ctx: &Ctx, member: &MemberKey) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            &sql("SELECT name FROM valid WHERE member_key = ?3
                  UNION ALL SELECT name FROM join_requests WHERE community = ?1 AND member_key = ?3
                  LIMIT 1"),
            params![
                ctx.community.to_string(),
                ctx.anchor.to_hex(),
                member.to_hex()
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// One activity row.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub id: ActivityId,
    pub title: String,
    pub description: String,
    pub place: String,
    pub schedule: Schedule,
    pub reward: u32,
    pub daily_cap: Option<u32>,
}

/// An activity's columns as stored: id, title, description, place,
/// schedule (JSON), reward, daily cap.
type RawActivity = (String, String, String, String, String, u32, Option<u32>);

fn activity_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawActivity> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn to_activity(row: RawActivity) -> Result<ActivityRow> {
    let (id, title, description, place, schedule, reward, daily_cap) = row;
    Ok(ActivityRow {
        id: parse(&id, "activity id")?,
        title,
        description,
        place,
        schedule: serde_json::from_str(&schedule).map_err(|_| EngineError::Corrupt {
            what: format!("schedule of {id}"),
        })?,
        reward,
        daily_cap,
    })
}

/// One activity, if a coordinator made it.
pub fn activity(conn: &Connection, ctx: &Ctx, id: ActivityId) -> Result<Option<ActivityRow>> {
    let row = conn
        .query_row(
            &sql("SELECT id, title, description, place, schedule, reward, daily_cap FROM acts WHERE id = ?3"),
            params![ctx.community.to_string(), ctx.anchor.to_hex(), id.to_string()],
            activity_row,
        )
        .optional()?;
    row.map(to_activity).transpose()
}

/// Every activity, with today's check-in count.
pub fn activities(conn: &Connection, ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<ActivityView>> {
    let today = rules::local_day(now, ctx.tz);
    let (from, to) = day_bounds(today, ctx.tz);
    let mut stmt = conn.prepare_cached(&sql(
        "SELECT a.id, a.title, a.description, a.place, a.schedule, a.reward, a.daily_cap,
                (SELECT COUNT(*) FROM cins c WHERE c.activity = a.id AND c.at >= ?3 AND c.at < ?4)
         FROM acts a ORDER BY a.title COLLATE NOCASE, a.id",
    ))?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex(), from, to],
            |r| Ok((activity_row(r)?, r.get::<_, u32>(7)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(row, checkins_today)| {
            let a = to_activity(row)?;
            Ok(ActivityView {
                id: a.id,
                next_session: rules::next_session(&a.schedule, today),
                title: a.title,
                description: a.description,
                place: a.place,
                schedule: a.schedule,
                reward: a.reward,
                daily_cap: a.daily_cap,
                checkins_today,
            })
        })
        .collect()
}

/// Whether a member already checked in to an activity on a local day.
pub fn checked_in_on(
    conn: &Connection,
    ctx: &Ctx,
    member: &MemberKey,
    activity: ActivityId,
    day: NaiveDate,
) -> Result<bool> {
    let (from, to) = day_bounds(day, ctx.tz);
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM checkins WHERE community = ?1 AND member_key = ?2
                        AND activity = ?3 AND at >= ?4 AND at < ?5)",
        params![
            ctx.community.to_string(),
            member.to_hex(),
            activity.to_string(),
            from,
            to
        ],
        |r| r.get(0),
    )?)
}

/// An issued entry as reconciling needs it: activity, member, the time of
/// its check-in, amount.
pub type IssuedEntry = (ActivityId, MemberKey, DateTime<Utc>, u32);

/// Entries issued for check-ins made in `[from, to)` (UTC): for each, the
/// activity, the member, the check-in time and the amount. Reconciling a
/// batch reads these once instead of asking per check-in.
pub fn entries_for_checkins_between(
    conn: &Connection,
    ctx: &Ctx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<IssuedEntry>> {
    // Straight from the tables (the indexes on check-in time and on the
    // ledger's check-in make this read only the days asked for); an entry
    // issued twice (two coordinators at once) counts once, the first issued.
    let mut stmt = conn.prepare_cached(&sql(
        "SELECT l.id, l.activity, l.to_key, c.at, l.amount, l.issued_at || l.signer
           FROM checkins c JOIN ledger l ON l.community = ?1 AND l.checkin = c.id
          WHERE c.community = ?1 AND c.at >= ?3 AND c.at < ?4
            AND l.signer IN (SELECT key FROM coord)",
    ))?;
    let rows = stmt
        .query_map(
            params![
                ctx.community.to_string(),
                ctx.anchor.to_hex(),
                ts(from),
                ts(to)
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(5)?,
                    (
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, u32>(4)?,
                    ),
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Per entry id, the row that sorts first by issue time and signer.
    let mut rows = rows;
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows.dedup_by(|later, first| later.0 == first.0);
    rows.into_iter()
        .map(|(_, _, (activity, to, at, amount))| {
            Ok((
                parse(&activity, "activity id")?,
                key_of(&to)?,
                time_of(&at)?,
                amount,
            ))
        })
        .collect()
}

/// The highest rowid in `checkins` (0 when empty).
pub fn last_checkin_row(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(rowid), 0) FROM checkins", [], |r| {
            r.get(0)
        })?,
    )
}

/// A check-in waiting for its reward.
#[derive(Debug, Clone)]
pub struct Unrewarded {
    pub id: CheckinId,
    pub activity: ActivityId,
    pub member: MemberKey,
    pub at: DateTime<Utc>,
    pub code: CheckinCode,
}

/// Check-ins by confirmed members with no reward yet, oldest first: the
/// order in which caps are applied. Only rows projected after `after` (a
/// rowid of `checkins`) are looked at, so a hub that already went through
/// the old ones only reads what is new.
pub fn unrewarded_checkins(conn: &Connection, ctx: &Ctx, after: i64) -> Result<Vec<Unrewarded>> {
    let mut stmt = conn.prepare_cached(&sql(
        // A reward's id is its check-in's id; the index on ledger(community,
        // checkin) keeps this a lookup per check-in, not a scan.
        "SELECT c.id, c.activity, c.member_key, c.at, c.code, MIN(c.at || c.activity) FROM checkins c
         WHERE c.community = ?1 AND c.rowid > ?3
           AND c.member_key IN (SELECT member_key FROM valid)
           AND NOT EXISTS (SELECT 1 FROM ledger l
                           WHERE l.community = ?1 AND l.checkin = c.id
                             AND l.signer IN (SELECT key FROM coord))
         GROUP BY c.id
         ORDER BY c.at, c.id",
    ))?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex(), after],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, activity, member, at, code)| {
            Ok(Unrewarded {
                id: parse(&id, "check-in id")?,
                activity: parse(&activity, "activity id")?,
                member: key_of(&member)?,
                at: time_of(&at)?,
                code: postcard::from_bytes(&code).map_err(|_| EngineError::Corrupt {
                    what: format!("code of check-in {id}"),
                })?,
            })
        })
        .collect()
}

/// Join requests made from a coordinator's valid invite that no coordinator
/// has confirmed yet: `(member, name, role)`.
pub fn confirmable_joins(conn: &Connection, ctx: &Ctx) -> Result<Vec<(MemberKey, String, Role)>> {
    let mut stmt = conn.prepare_cached(&sql(
        "SELECT member_key, MIN(name), MIN(role) FROM join_requests j
         WHERE j.community = ?1 AND j.invite_ok = 1 AND j.invite_issuer IN (SELECT key FROM coord)
           AND j.member_key NOT IN (SELECT member_key FROM valid)
           AND j.member_key NOT IN (SELECT member_key FROM revoked)
         GROUP BY member_key ORDER BY member_key",
    ))?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(k, name, role)| {
            Ok((
                key_of(&k)?,
                name,
                Role::parse(&role).unwrap_or(Role::Resident),
            ))
        })
        .collect()
}

/// A member's wallet: issued entries and pending check-ins, newest first.
pub fn wallet(conn: &Connection, ctx: &Ctx, member: &MemberKey) -> Result<WalletView> {
    let mut stmt = conn.prepare_cached(&sql(
        "SELECT COALESCE(c.at, e.issued_at) AS t, COALESCE(a.title, ''), e.amount, 'issued'
           FROM entries e LEFT JOIN acts a ON a.id = e.activity LEFT JOIN cins c ON c.id = e.checkin
          WHERE e.to_key = ?3
         UNION ALL
         SELECT c.at, COALESCE(a.title, ''), COALESCE(a.reward, 0), 'pending'
           FROM cins c LEFT JOIN acts a ON a.id = c.activity
          WHERE c.member_key = ?3 AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = c.id)
         ORDER BY t DESC",
    ))?;
    let rows = stmt
        .query_map(
            params![
                ctx.community.to_string(),
                ctx.anchor.to_hex(),
                member.to_hex()
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut view = WalletView {
        balance: 0,
        pending: 0,
        history: Vec::with_capacity(rows.len()),
    };
    for (at, title, amount, status) in rows {
        let status = match (status.as_str(), amount) {
            ("pending", _) => {
                view.pending += u64::from(amount);
                LineStatus::Pending
            }
            (_, 0) => LineStatus::Capped,
            _ => {
                view.balance += u64::from(amount);
                LineStatus::Issued
            }
        };
        view.history.push(WalletLine {
            at: time_of(&at)?,
            title,
            amount,
            status,
        });
    }
    Ok(view)
}

/// Confirmed members and pending join requests, by name.
pub fn members(conn: &Connection, ctx: &Ctx) -> Result<Vec<MemberView>> {
    let mut stmt = conn.prepare_cached(&sql("SELECT v.member_key, v.name, v.role, 1,
                (SELECT COALESCE(SUM(amount), 0) FROM entries e WHERE e.to_key = v.member_key), 0
           FROM valid v
         UNION ALL
         SELECT j.member_key, MIN(j.name), MIN(j.role), 0, 0, 0 FROM join_requests j
          WHERE j.community = ?1 AND j.member_key NOT IN (SELECT member_key FROM valid)
            AND j.member_key NOT IN (SELECT member_key FROM revoked)
          GROUP BY j.member_key
         UNION ALL
         SELECT m.member_key, MIN(m.name), MIN(m.role), 0,
                (SELECT COALESCE(SUM(amount), 0) FROM entries e WHERE e.to_key = m.member_key), 1
           FROM members m
          WHERE m.community = ?1 AND m.member_key IN (SELECT member_key FROM revoked)
          GROUP BY m.member_key
         ORDER BY 2 COLLATE NOCASE, 1"))?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), ctx.anchor.to_hex()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, u64>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(key, name, role, confirmed, balance, revoked)| {
            Ok(MemberView {
                device: key_of(&key)?.key_id().to_string(),
                name,
                role: Role::parse(&role).unwrap_or(Role::Resident),
                confirmed,
                revoked,
                balance,
            })
        })
        .collect()
}

/// Every projection row as sorted text, for comparing devices and rebuilds.
pub fn dump(conn: &Connection) -> Result<Vec<String>> {
    dump_where(conn, |_| true)
}

/// [`dump`] of the rows projected from the documents `keep` accepts.
pub fn dump_where(conn: &Connection, keep: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for table in super::store::PROJECTION_TABLES {
        let mut stmt = conn.prepare(&format!("SELECT *, doc_id FROM {table}"))?;
        let n = stmt.column_count() - 1;
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!(" {v:?}"));
                }
                Ok((r.get::<_, String>(n)?, line))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.extend(
            rows.into_iter()
                .filter(|(doc, _)| keep(doc))
                .map(|(_, line)| line),
        );
    }
    out.sort();
    Ok(out)
}
