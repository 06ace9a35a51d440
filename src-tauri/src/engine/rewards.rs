//! Rewards: the ledger entries coordinators issue, what a coordinator's
//! device does with what it receives (`reconcile`: confirm joins, reward
//! check-ins under the caps with the pure rule in
//! `nabo_shared::rewards::allocation`), and wallets.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use nabo_shared::activities::{
    verify_checkin_code, AttendanceList, Attendee, CheckinCode, CodeContext, MAX_REWARD,
};
use nabo_shared::api::{Missing, Table};
use nabo_shared::crypto::MemberKey;
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::{ActivityId, CheckinId, EntryId};
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::rewards::allocation::{allocate, Claim, Paid, Terms};
use nabo_shared::rewards::expiry::{self, Flow, Month};
use nabo_shared::rewards::ledger::{Account, Movement, Reason, MAX_AMOUNT};
use nabo_shared::rewards::{
    CurrencyView, EntryReason, LedgerEntry, LineStatus, WalletLine, WalletView, MAX_CORRECTION,
    MAX_REASON,
};
use nabo_shared::signed::Signed;
use rusqlite::{params, Connection, OptionalExtension};

use super::accounts::Figure;
use super::activities::{ACTS, ANSWERED_ALIKE, BY_RIGHT};
use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::payments::Scope;
use super::sql::{in_office, key_of, keys_json, office_json, parse, time_of, ts};
use super::{random, Ctx, Engine};

/// `reward/<id>`: a ledger entry, signed by a coordinator, in its
/// receiver's ledger document of the month.
pub(crate) const LEDGER_ENTRY: Kind<LedgerEntry> = Kind::new(KindDecl {
    record: RecordKind::LedgerEntry,
    prefix: "reward",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Coordinator,
    superseded_by: "nothing: an entry is immutable; when two coordinators answer one check-in \
                    (a reward, or a decline of one that waited), the entry issued first counts",
    tables: &[TableDecl {
        table: Table::Ledger,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, to_key TEXT NOT NULL, \
                  amount INTEGER NOT NULL, checkin TEXT, activity TEXT, issued_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, declined TEXT",
        indexes: &[
            // Holds what a member's account reads of their entries, so
            // judging it needs no look into the table (`account_flows`).
            "CREATE INDEX IF NOT EXISTS ledger_by_member \
             ON ledger(community, to_key, id, amount, issued_at, signer)",
            "CREATE INDEX IF NOT EXISTS ledger_by_checkin ON ledger(community, checkin)",
            "CREATE INDEX IF NOT EXISTS ledger_by_id ON ledger(community, id)",
        ],
        signed_at: Some("issued_at"),
    }],
    project: project_entry,
});

/// `movement/<id>`: a movement of currency between two accounts (see
/// `nabo_shared::rewards::ledger`), in the ledger document of the member
/// account it touches, of its month. This version takes coordinators'
/// corrections; the other reasons come with payments and hours.
pub(crate) const MOVEMENT: Kind<Movement> = Kind::new(KindDecl {
    record: RecordKind::Movement,
    prefix: "movement",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Coordinator,
    superseded_by:
        "nothing: a movement is immutable, and a correction is a new movement that says \
                    why; of two movements under one id, the smaller signature counts",
    tables: &[TableDecl {
        table: Table::Movements,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, member TEXT NOT NULL, \
                  amount INTEGER NOT NULL, reason TEXT NOT NULL, note TEXT, at TEXT NOT NULL, \
                  signer TEXT NOT NULL, sig BLOB NOT NULL, corrects TEXT",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS movements_by_member ON movements(community, member)",
            "CREATE INDEX IF NOT EXISTS movements_by_id ON movements(community, id)",
        ],
        signed_at: Some("at"),
    }],
    project: project_movement,
});

fn project_movement(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let entry: EntryId = kinds::id_of(id)?;
    let m = kinds::open::<Movement>(bytes)?;
    let v = &m.value;
    let invalid = kinds::invalid;
    // Corrections between the community and one member, and expiries.
    let (member, sign) = match (v.from, v.to) {
        (Account::Community, Account::Member(m)) => (m, 1),
        (Account::Member(m), Account::Community) => (m, -1),
        _ => return Err(invalid("to", FieldProblem::OutOfRange)),
    };
    row.expect(
        v.community == row.doc.community
            && v.id == entry
            && row.doc.member == Some(member.key_id())
            && DocId::ledger(v.community, &member, v.at) == *row.doc,
    )?;
    let amount = i64::try_from(v.amount).unwrap_or(i64::MAX);
    let note = match &v.reason {
        Reason::Correction { note, .. } => {
            if !(1..=MAX_CORRECTION).contains(&amount) {
                return Err(invalid("amount", FieldProblem::OutOfRange));
            }
            if note.trim().is_empty() {
                return Err(invalid("note", FieldProblem::Required));
            }
            if note.chars().count() > MAX_REASON {
                return Err(invalid("note", FieldProblem::TooLong));
            }
            note.clone()
        }
        // What was left of one month's points: only under the id that
        // month has, so a month expires once.
        Reason::Expiry { month } => {
            row.expect(sign < 0 && entry == EntryId::expiry_of(v.community, &member, *month))?;
            if !(1..=i64::try_from(MAX_AMOUNT).unwrap_or(i64::MAX)).contains(&amount) {
                return Err(invalid("amount", FieldProblem::OutOfRange));
            }
            format!("{:04}-{:02}", month.year, month.month)
        }
        _ => return Err(invalid("reason", FieldProblem::OutOfRange)),
    };
    row.insert(
        Table::Movements,
        &[
            &entry.to_string(),
            &row.doc.community.to_string(),
            &member.to_hex(),
            &(sign * amount),
            &v.reason.as_str(),
            &note,
            &ts(v.at),
            &m.signer.to_hex(),
            &m.sig.to_vec(),
            &match &v.reason {
                Reason::Correction {
                    corrects: Some(entry),
                    ..
                } => Some(entry.to_string()),
                _ => None,
            },
        ],
    )
}

/// [`MOVES`] as a macro, for `concat!`.
macro_rules! moves_cte {
    () => {
        concat!(
            "
moves AS (
    SELECT id, member, amount, reason, note, at, MIN(sig) AS v
    FROM movements WHERE community = ?1 AND ",
            in_office!("signer", "at", "?2"),
            "
    GROUP BY id
)"
        )
    };
}

/// The movements that count, as the CTE `moves`: of those a coordinator
/// in office signed (terms in `?2`), one per id, the smallest signature.
const MOVES: &str = moves_cte!();

/// The ids a member's rows can be under, for the keys in `?3`: their
/// entries' and movements' and their check-ins' (a reward's id is its
/// check-in's).
macro_rules! ids_of {
    () => {
        "SELECT id FROM ledger WHERE community = ?1
                 AND to_key IN (SELECT value FROM json_each(?3))
          UNION SELECT id FROM movements WHERE community = ?1
                 AND member IN (SELECT value FROM json_each(?3))
          UNION SELECT id FROM checkins WHERE community = ?1
                 AND member_key IN (SELECT value FROM json_each(?3))"
    };
}

/// `ids_of!` as a constant, for `format!`.
const IDS_OF: &str = ids_of!();

/// [`ENTRIES`] under the ids of the members in `?3` only (see `ids_of!`):
/// every entry those ids have, judged the same way, so one member's wallet
/// or balance reads only their rows.
const ENTRIES_OF: &str = concat!(
    "
entries AS (
    SELECT id, to_key, amount, checkin, activity, issued_at, declined, MIN(issued_at || signer) AS v
    FROM ledger WHERE community = ?1 AND id IN (",
    ids_of!(),
    ") AND ",
    in_office!("signer", "issued_at", "?2"),
    "
    GROUP BY id
)"
);

/// [`MOVES`] under the ids of the members in `?3` only, as [`ENTRIES_OF`].
const MOVES_OF: &str = concat!(
    "
moves AS (
    SELECT id, member, amount, reason, note, at, MIN(sig) AS v
    FROM movements WHERE community = ?1 AND id IN (",
    ids_of!(),
    ") AND ",
    in_office!("signer", "at", "?2"),
    "
    GROUP BY id
)"
);

fn project_entry(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let entry: EntryId = kinds::id_of(id)?;
    let e = kinds::open::<LedgerEntry>(bytes)?;
    let v = &e.value;
    let (checkin, activity) = (v.reason.checkin(), v.reason.activity());
    row.expect(
        v.community == row.doc.community
            && v.id == entry
            && entry.as_bytes() == checkin.as_bytes()
            && row.doc.member == Some(v.to.key_id()),
    )?;
    let declined = match &v.reason {
        EntryReason::CheckIn { .. } => None,
        EntryReason::Declined { reason, .. } => {
            let field = |problem| RecordProblem::InvalidField {
                field: "reason".into(),
                problem,
            };
            if v.amount != 0 {
                return Err(ProjectError::Refused(RecordProblem::InvalidField {
                    field: "amount".into(),
                    problem: FieldProblem::OutOfRange,
                }));
            }
            if reason.trim().is_empty() {
                return Err(field(FieldProblem::Required).into());
            }
            if reason.chars().count() > MAX_REASON {
                return Err(field(FieldProblem::TooLong).into());
            }
            Some(reason.clone())
        }
    };
    // A check-in never earns more than the largest reward an activity may
    // promise, so sums stay far from overflowing.
    if v.amount > MAX_REWARD {
        return Err(RecordProblem::InvalidField {
            field: "amount".into(),
            problem: FieldProblem::OutOfRange,
        }
        .into());
    }
    let (entry, community) = (entry.to_string(), row.doc.community.to_string());
    row.insert(
        Table::Ledger,
        &[
            &entry,
            &community,
            &v.to.to_hex(),
            &v.amount,
            &checkin.to_string(),
            &activity.to_string(),
            &ts(v.issued_at),
            &e.signer.to_hex(),
            &declined,
        ],
    )?;
    if !row.fresh {
        row.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO ledger_versions (community, id)
                 SELECT ?1, ?2 WHERE (SELECT count(*) FROM ledger WHERE community = ?1 AND id = ?2) > 1",
            )?
            .execute(params![community, entry])?;
    }
    Ok(())
}

/// The ids under which the ledger holds more than one entry: two
/// coordinators answered one check-in (a reward and a decline, say), or
/// someone signed another entry under its id. Only for these does a
/// member's account look at every version under the id to find the one
/// that counts (`account_flows`); the member's own row is it for every
/// other id. Part of the projection: [`project_entry`] adds an id as its
/// second version arrives; a rebuild clears it and fills it from the ledger
/// at its end ([`fill_versions`]).
pub(crate) const VERSIONS: &str = "
CREATE TABLE IF NOT EXISTS ledger_versions (
    community TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (community, id)
) WITHOUT ROWID;
";

/// Fills [`VERSIONS`] from the ledger as it stands, on a store made before
/// it existed.
pub(crate) fn fill_versions(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO ledger_versions (community, id)
         SELECT community, id FROM ledger GROUP BY community, id HAVING count(*) > 1",
        [],
    )?;
    Ok(())
}

/// This device's own record of when check-ins reached it, kept outside the
/// projection: whether a check-in is late is this device's judgement, by
/// its own clock, at the moment it arrives. `late` marks every check-in
/// that waits for a coordinator: late ones and those made with a poster.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS arrivals (
    checkin TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL,
    late INTEGER NOT NULL,
    approved INTEGER NOT NULL DEFAULT 0
);
-- The check-ins that wait for a coordinator (the review queue's).
CREATE INDEX IF NOT EXISTS arrivals_waiting ON arrivals(checkin) WHERE late = 1 AND approved = 0;
-- How far the last reconcile looked (rowids of check-ins, closures and
-- payments), valid while the community document has these heads: a
-- restart keeps them, so the first reconcile after opening reads only
-- what is new. A rebuild or a migration deletes them (rowids restart).
CREATE TABLE IF NOT EXISTS reconcile_marks (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checkins INTEGER NOT NULL,
    closures INTEGER NOT NULL,
    payments INTEGER NOT NULL,
    community_heads BLOB NOT NULL
);
";

/// How far ahead of this device's clock a check-in may claim to be made
/// (two code windows: phones' clocks drift a little).
const AHEAD: Duration = Duration::seconds(60);

/// Whether a check-in just seen is late: it claims a time before its
/// member's previous sync with this device (it would have come then), or
/// ahead of this device's clock.
fn late(
    conn: &Connection,
    member: &MemberKey,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    // The sync module's list of peers: its last completed sync with the
    // member's device (during a sync, the one before it).
    let last: Option<String> = conn
        .query_row(
            "SELECT last_sync FROM peers WHERE device = ?1",
            [member.to_hex()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let before_last = match last {
        Some(last) => at < time_of(&last)?,
        None => false,
    };
    Ok(before_last || at > now + AHEAD)
}

/// A late or poster check-in waiting for a coordinator.
pub(crate) struct Late {
    pub checkin: CheckinId,
    /// Made with a poster's standing code (else: late by this device's clock).
    pub poster: bool,
    pub member: MemberKey,
    pub activity_id: ActivityId,
    pub activity: String,
    pub at: DateTime<Utc>,
    pub location: String,
}

/// Late check-ins not approved and not rewarded.
pub(crate) fn late_checkins(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<Late>> {
    // From the waiting arrivals (`arrivals_waiting`, a few), never from
    // every check-in (`CROSS JOIN` keeps SQLite to that order); not
    // answered: no entry under its id that a coordinator in office signed,
    // looked up per check-in. Driven from the check-ins, and with the whole
    // ledger grouped for the answer, this took 1.4 s a call on a five-year
    // store whose planner had no figures for `arrivals` yet.
    let mut stmt = conn.prepare_cached(&format!(
        "WITH {ACTS}
         SELECT c.id, c.member_key, COALESCE(a.title, ''), c.at, c.doc_id, c.doc_key, c.code, c.activity
           FROM arrivals r CROSS JOIN checkins c ON c.id = r.checkin AND c.community = ?1
           LEFT JOIN acts a ON a.id = c.activity
          WHERE r.late = 1 AND r.approved = 0
            AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.community = ?1 AND l.id = c.id AND {office})
          GROUP BY c.id ORDER BY c.at, c.id",
        office = in_office!("l.signer", "l.issued_at", "?2")
    ))?;
    let rows = stmt
        .query_map(params![ctx.community.to_string(), office_json(who)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Vec<u8>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, member, activity, at, doc, key, code, activity_id)| {
            let code: CheckinCode = postcard::from_bytes(&code)
                .map_err(|_| EngineError::corrupt("code of check-in", &id))?;
            Ok(Late {
                poster: code.is_standing(),
                activity_id: parse(&activity_id, "activity id")?,
                checkin: parse(&id, "check-in id")?,
                member: key_of(&member)?,
                activity,
                at: time_of(&at)?,
                location: format!("{doc} {key}"),
            })
        })
        .collect()
}

/// The entries that count, as the CTE `entries`: of the entries a
/// coordinator in office signed (terms in `?2`, see [`office_json`]), one
/// per id, the first issued (ties: the signer's key).
const ENTRIES: &str = concat!(
    "
entries AS (
    SELECT id, to_key, amount, checkin, activity, issued_at, declined, MIN(issued_at || signer) AS v
    FROM ledger WHERE community = ?1 AND ",
    in_office!("signer", "issued_at", "?2"),
    "
    GROUP BY id
)"
);

/// A check-in waiting for its reward.
struct Unrewarded {
    id: CheckinId,
    activity: ActivityId,
    member: MemberKey,
    at: DateTime<Utc>,
    code: CheckinCode,
}

/// Which check-ins [`unrewarded_checkins`] looks at.
#[derive(Clone, Copy)]
enum Looked<'a> {
    /// Those projected after this rowid of `checkins`, so a hub that
    /// already went through the old ones only reads what is new.
    After(i64),
    /// Every one of these keys'.
    OfKeys(&'a BTreeSet<MemberKey>),
    /// Every one under the ids of these activities' check-ins (every
    /// version under each id, as looking at all would see it).
    OfActivities(&'a BTreeSet<ActivityId>),
}

/// What an unrewarded check-in is, after the clause that picks which are
/// looked at (see [`unrewarded_checkins`]).
macro_rules! unrewarded {
    ($looked:literal) => {
        concat!(
            "SELECT c.id, c.activity, c.member_key, c.at, c.code, MIN(c.at || c.activity)
               FROM checkins c WHERE ",
            $looked,
            " AND +c.member_key IN (SELECT value FROM json_each(?4))
               AND NOT EXISTS (SELECT 1 FROM ledger l
                               WHERE l.community = ?1 AND l.checkin = c.id
                                 AND ",
            in_office!("l.signer", "l.issued_at", "?2"),
            ")
             GROUP BY c.id
             ORDER BY c.at, c.id"
        )
    };
}

/// Check-ins by confirmed members' devices with no reward yet (a lost
/// device's only when made before it was taken away), of those `looked`
/// at, oldest first: the order in which caps are applied.
fn unrewarded_checkins(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    looked: Looked<'_>,
) -> Result<Vec<Unrewarded>> {
    use rusqlite::types::Value;
    // A reward's id is its check-in's id; the index on ledger(community,
    // checkin) keeps this a lookup per check-in, not a scan.
    let (mut stmt, which) = match looked {
        // Only the rows since the last reconcile are read: the unary `+`s
        // keep SQLite from walking an index over every member's check-ins
        // instead of the rowid range (350 ms a reconcile in a five-year
        // store, against 1 ms).
        Looked::After(rowid) => (
            conn.prepare_cached(unrewarded!("+c.community = ?1 AND c.rowid > ?3"))?,
            Value::Integer(rowid),
        ),
        Looked::OfKeys(_) => (
            conn.prepare_cached(unrewarded!("+c.community = ?1 AND ?3 IS NULL"))?,
            Value::Null,
        ),
        Looked::OfActivities(activities) => (
            conn.prepare_cached(unrewarded!(
                "c.community = ?1 AND c.id IN (
                     SELECT id FROM checkins WHERE community = ?1
                        AND activity IN (SELECT value FROM json_each(?3)))"
            ))?,
            Value::Text(
                serde_json::to_string(
                    &activities.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
                )
                .map_err(|e| EngineError::corrupt("activity ids", e))?,
            ),
        ),
    };
    let only = match looked {
        Looked::OfKeys(keys) => Some(keys),
        _ => None,
    };
    let rows = stmt
        .query_map(
            params![
                ctx.community.to_string(),
                office_json(who),
                which,
                keys_json(
                    who.active_keys()
                        .iter()
                        .chain(
                            who.retired
                                .keys()
                                .filter(|k| who.members.contains_key(&who.identity(k)))
                        )
                        .filter(|k| only.is_none_or(|only| only.contains(k)))
                ),
            ],
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
    let mut out = Vec::with_capacity(rows.len());
    for (id, activity, member, at, code) in rows {
        let (member, at) = (key_of(&member)?, time_of(&at)?);
        if who.retired_at(&member).is_some_and(|retired| at >= retired) {
            continue;
        }
        out.push(Unrewarded {
            code: postcard::from_bytes(&code)
                .map_err(|_| EngineError::corrupt("code of check-in", &id))?,
            id: parse(&id, "check-in id")?,
            activity: parse(&activity, "activity id")?,
            member,
            at,
        });
    }
    Ok(out)
}

/// Rewards already issued for check-ins made in `[from, to)`: what the caps
/// and the one-reward-a-day rule count. An entry issued twice (two
/// coordinators at once) counts once, the first issued.
fn paid_between(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Paid>> {
    // Straight from the tables (the indexes on check-in time and on the
    // ledger's check-in make this read only the days asked for).
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT l.id, l.activity, l.to_key, c.at, l.amount, l.issued_at || l.signer
           FROM checkins c JOIN ledger l ON l.community = ?1 AND l.checkin = c.id
          WHERE c.community = ?1 AND c.at >= ?3 AND c.at < ?4
            AND ",
        in_office!("l.signer", "l.issued_at", "?2")
    ))?;
    let mut rows = stmt
        .query_map(
            params![
                ctx.community.to_string(),
                office_json(who),
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
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows.dedup_by(|later, first| later.0 == first.0);
    rows.into_iter()
        .map(|(_, _, (activity, to, at, amount))| {
            Ok(Paid {
                activity: parse(&activity, "activity id")?,
                member: who.identity(&key_of(&to)?),
                at: time_of(&at)?,
                amount,
            })
        })
        .collect()
}

/// What [`Engine::reconcile`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Join requests confirmed.
    pub confirmed: u32,
    /// Check-ins rewarded with currency.
    pub rewarded: u32,
    /// Check-ins recorded with no currency (the cap, or a repeat).
    pub capped: u32,
}

impl Engine {
    /// [`Engine::reconcile`] looking at every check-in from the start, for
    /// tests that check it finds nothing a reconcile that looked at fewer
    /// left behind.
    #[doc(hidden)]
    pub fn reconcile_from_the_start(&mut self) -> Result<Reconciled> {
        self.reconciled_up_to = 0;
        self.reconcile()
    }

    /// What a device does with what it received: every device closes its
    /// own ended payment requests; a coordinator's device then confirms join
    /// requests made from valid invites, passes payees' words on payments on
    /// to their payers, and rewards valid check-ins under the daily caps.
    pub fn reconcile(&mut self) -> Result<Reconciled> {
        let ctx = self.ctx()?;
        self.close_requests(&ctx)?;
        if !self.is_coordinator(&ctx)? {
            return Ok(Reconciled::default());
        }
        // Links first, so a new phone of a member is not made a member of
        // its own.
        let confirmed = self.link_replacements(&ctx)? + self.confirm_joins(&ctx)?;
        self.relay_refusals(&ctx)?;
        self.relay_closures(&ctx)?;
        let who = self.authority(&ctx)?;
        let last: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(rowid), 0) FROM checkins", [], |r| {
                    r.get(0)
                })?;
        let mut pending =
            unrewarded_checkins(&self.conn, &ctx, &who, Looked::After(self.reconciled_up_to))?;
        if self.reconciled_up_to > 0 {
            // Members placed anew and activities touched since: their old
            // check-ins too, in the one order caps are applied in (as the
            // query gives it).
            let mut seen: BTreeSet<CheckinId> = pending.iter().map(|c| c.id).collect();
            let again = [
                (!self.recheck.is_empty()).then_some(Looked::OfKeys(&self.recheck)),
                (!self.recheck_activities.is_empty())
                    .then_some(Looked::OfActivities(&self.recheck_activities)),
            ];
            for looked in again.into_iter().flatten() {
                let old = unrewarded_checkins(&self.conn, &ctx, &who, looked)?;
                pending.extend(old.into_iter().filter(|c| seen.insert(c.id)));
            }
            pending.sort_by_cached_key(|c| (ts(c.at), c.id.to_string()));
        }
        let paid = match (pending.first(), pending.last()) {
            // Local days can start up to a day before or after UTC ones.
            (Some(first), Some(last)) => paid_between(
                &self.conn,
                &ctx,
                &who,
                first.at - Duration::days(2),
                last.at + Duration::days(2),
            )?,
            _ => Vec::new(),
        };
        let now = self.now();
        let mut activities = HashMap::new();
        let mut claims = Vec::new();
        let mut seen_late = false;
        for c in &pending {
            // Judged once, when it first reaches this device.
            let arrival: Option<(bool, bool)> = self
                .conn
                .query_row(
                    "SELECT late, approved FROM arrivals WHERE checkin = ?1",
                    [c.id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (is_late, approved) = match arrival {
                Some(known) => known,
                None => {
                    // A poster's code can be photographed and used from
                    // anywhere: such a check-in waits like a late one.
                    let is_late = c.code.is_standing() || late(&self.conn, &c.member, c.at, now)?;
                    self.conn.execute(
                        "INSERT INTO arrivals(checkin, seen_at, late) VALUES (?1, ?2, ?3)",
                        params![c.id.to_string(), ts(now), is_late],
                    )?;
                    if is_late {
                        log::warn!(
                            "check-in {} claims a time this device does not believe",
                            c.id
                        );
                        seen_late = true;
                    }
                    (is_late, false)
                }
            };
            if is_late && !approved {
                continue;
            }
            let valid_code = verify_checkin_code(
                &c.code,
                &CodeContext {
                    community: ctx.community,
                    coordinators: &who.coordinators_at(c.at),
                    now: c.at,
                },
            );
            if let Err(reason) = valid_code {
                log::warn!("check-in {} not rewarded: {reason}", c.id);
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = activities.entry(c.activity) {
                slot.insert(self.activity(&ctx, c.activity)?);
            }
            let Some(activity) = activities[&c.activity].as_ref() else {
                // The activity has not reached this device yet; try again later.
                continue;
            };
            claims.push(Claim {
                checkin: c.id,
                activity: c.activity,
                // The caps count a member's devices as one.
                member: who.identity(&c.member),
                at: c.at,
                terms: Terms {
                    reward: activity.reward,
                    daily_cap: activity.daily_cap,
                },
            });
        }
        if seen_late {
            self.changed.insert(Table::Review);
        }
        let awards = allocate(&claims, &paid, ctx.tz);
        let signed_at = self.signing_time(&ctx)?;
        let mut staged = Vec::new();
        let mut done = Reconciled {
            confirmed,
            ..Reconciled::default()
        };
        let claimed: HashMap<CheckinId, &Claim> = claims.iter().map(|c| (c.checkin, c)).collect();
        let device: HashMap<CheckinId, MemberKey> =
            pending.iter().map(|c| (c.id, c.member)).collect();
        for award in &awards {
            let claim = claimed[&award.checkin];
            // The reward goes to the device that checked in, in its ledger.
            let to = device[&award.checkin];
            if award.amount == 0 {
                done.capped += 1;
            } else {
                done.rewarded += 1;
            }
            let entry = LedgerEntry {
                id: EntryId::reward_for(claim.checkin),
                community: ctx.community,
                to,
                amount: award.amount,
                reason: EntryReason::CheckIn {
                    checkin: claim.checkin,
                    activity: claim.activity,
                },
                issued_at: signed_at,
            };
            let doc = DocId::ledger(ctx.community, &to, claim.at);
            let i = self.stage_into(&mut staged, doc)?;
            staged[i].put(LEDGER_ENTRY.key(entry.id), &Signed::seal(&self.key, &entry))?;
        }
        self.commit(staged, &[])?;
        self.reconciled_up_to = self.reconciled_up_to.max(last);
        self.recheck.clear();
        self.recheck_activities.clear();
        self.expire_points()?;
        self.keep_marks(&ctx)?;
        Ok(done)
    }

    /// Keeps how far reconcile looked, with the community document's heads
    /// they are valid for (see `reconcile_marks`).
    fn keep_marks(&self, ctx: &Ctx) -> Result<()> {
        let heads = super::kept::community_heads(&self.conn, ctx.community)?;
        self.conn.execute(
            "INSERT OR REPLACE INTO reconcile_marks(id, checkins, closures, payments, community_heads)
             VALUES (1, ?1, ?2, ?3, ?4)",
            params![
                self.reconciled_up_to,
                self.relayed_up_to.0,
                self.relayed_up_to.1,
                heads
            ],
        )?;
        Ok(())
    }

    /// Takes up the marks the last reconcile kept, if they were kept under
    /// the community document's `heads` (on opening the store).
    pub(super) fn restore_marks(&mut self, heads: &[u8]) -> Result<()> {
        let marks: Option<(i64, i64, i64)> = self
            .conn
            .query_row(
                "SELECT checkins, closures, payments FROM reconcile_marks
                  WHERE id = 1 AND community_heads = ?1",
                [heads],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((checkins, closures, payments)) = marks {
            self.reconciled_up_to = checkins;
            self.relayed_up_to = (closures, payments);
        }
        Ok(())
    }

    /// Expires what is left of each month's points once the community's
    /// expiry period has passed, under the rules in force (a coordinator's
    /// device does it as it reconciles). Returns how many members lost
    /// points.
    pub fn expire_points(&mut self) -> Result<u32> {
        let ctx = self.ctx()?;
        if !self.is_coordinator(&ctx)? {
            return Ok(0);
        }
        let who = self.authority(&ctx)?;
        let Some(after) = super::rules::in_force(&self.conn, &ctx, &who)?.expiry_months else {
            return Ok(0);
        };
        let now = self.now();
        let mut flows: BTreeMap<MemberKey, Vec<Flow>> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(&format!(
            "WITH {ENTRIES}, {MOVES}
             SELECT to_key, amount, issued_at, NULL, NULL FROM entries WHERE amount > 0
             UNION ALL SELECT member, amount, at, reason, note FROM moves"
        ))?;
        let rows = stmt
            .query_map(params![ctx.community.to_string(), office_json(&who)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        for (key, amount, at, reason, note) in rows {
            let at = time_of(&at)?;
            let flow = if amount >= 0 {
                Flow::In {
                    at,
                    amount: amount.unsigned_abs(),
                }
            } else {
                let expires = match (reason.as_deref(), note.as_deref()) {
                    (Some("expiry"), Some(month)) => Some(month_of(month)?),
                    _ => None,
                };
                Flow::Out {
                    at,
                    amount: amount.unsigned_abs(),
                    expires,
                }
            };
            flows
                .entry(who.identity(&key_of(&key)?))
                .or_default()
                .push(flow);
        }
        for p in super::payments::counted(&self.conn, &ctx, &who)? {
            flows
                .entry(who.identity(&p.payer))
                .or_default()
                .push(Flow::Out {
                    at: p.at,
                    amount: p.amount,
                    expires: None,
                });
            if let Some(payee) = p.payee {
                flows.entry(payee).or_default().push(Flow::In {
                    at: p.at,
                    amount: p.amount,
                });
            }
        }
        for r in super::payments::returns(&self.conn, &ctx, &who, Scope::All)? {
            flows.entry(r.partner).or_default().push(Flow::Out {
                at: r.at,
                amount: r.amount,
                expires: None,
            });
        }
        for (key, at, points) in super::hours::credits(&self.conn, &ctx, &who)? {
            flows
                .entry(who.identity(&key))
                .or_default()
                .push(Flow::In { at, amount: points });
        }
        let signed_at = self.signing_time(&ctx)?;
        let mut staged = Vec::new();
        let mut members = 0;
        for (member, flows) in &flows {
            let due = expiry::due(flows, after, now, ctx.tz);
            if !due.is_empty() {
                members += 1;
            }
            for (month, amount) in due {
                let movement = Movement {
                    id: EntryId::expiry_of(ctx.community, member, month),
                    community: ctx.community,
                    from: Account::Member(*member),
                    to: Account::Community,
                    amount,
                    reason: Reason::Expiry { month },
                    at: signed_at,
                };
                let i =
                    self.stage_into(&mut staged, DocId::ledger(ctx.community, member, signed_at))?;
                staged[i].put(
                    MOVEMENT.key(movement.id),
                    &Signed::seal(&self.key, &movement),
                )?;
            }
        }
        if !staged.is_empty() {
            self.commit(staged, &[])?;
        }
        Ok(members)
    }

    /// Rewards a check-in that waits for a coordinator (made with a poster,
    /// or late) that this one vouches for.
    pub fn approve_checkin(&mut self, checkin: CheckinId) -> Result<()> {
        match self.approve_checkins(&[checkin])? {
            0 => Err(Refused::NotFound(Missing::CheckIn).into()),
            _ => Ok(()),
        }
    }

    /// Rewards every one of `checkins` that still waits for a coordinator
    /// (a whole activity's day at once), under the caps as always. Returns
    /// how many were approved.
    pub fn approve_checkins(&mut self, checkins: &[CheckinId]) -> Result<u32> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let waiting: std::collections::HashSet<CheckinId> = late_checkins(&self.conn, &ctx, &who)?
            .into_iter()
            .map(|l| l.checkin)
            .collect();
        let mut approved = 0;
        for checkin in checkins.iter().filter(|c| waiting.contains(c)) {
            approved += self.conn.execute(
                "UPDATE arrivals SET approved = 1 WHERE checkin = ?1 AND approved = 0",
                [checkin.to_string()],
            )?;
        }
        if approved > 0 {
            self.changed.insert(Table::Review);
            // They were passed over before; look at every check-in again.
            self.reconciled_up_to = 0;
            self.reconcile()?;
        }
        Ok(u32::try_from(approved).unwrap_or(u32::MAX))
    }

    /// Declines a check-in that waits for a coordinator, with the reason its
    /// member will see.
    pub fn decline_checkin(&mut self, checkin: CheckinId, reason: &str) -> Result<()> {
        match self.decline_checkins(&[checkin], reason)? {
            0 => Err(Refused::NotFound(Missing::CheckIn).into()),
            _ => Ok(()),
        }
    }

    /// Declines every one of `checkins` that still waits for a coordinator
    /// (a whole activity's day at once), with the reason their members will
    /// see: for each a signed entry of nothing, so every coordinator's
    /// device stops asking, and a reward issued for it first still counts.
    /// Returns how many were declined.
    pub fn decline_checkins(&mut self, checkins: &[CheckinId], reason: &str) -> Result<u32> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let reason = reason.trim();
        let problem = if reason.is_empty() {
            Some(FieldProblem::Required)
        } else if reason.chars().count() > MAX_REASON {
            Some(FieldProblem::TooLong)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Refused::InvalidField {
                field: "reason",
                problem,
            }
            .into());
        }
        let waiting: Vec<Late> = late_checkins(&self.conn, &ctx, &who)?
            .into_iter()
            .filter(|l| checkins.contains(&l.checkin))
            .collect();
        let issued_at = self.signing_time(&ctx)?;
        let mut staged = Vec::new();
        for late in &waiting {
            let entry = LedgerEntry {
                id: EntryId::reward_for(late.checkin),
                community: ctx.community,
                to: late.member,
                amount: 0,
                reason: EntryReason::Declined {
                    checkin: late.checkin,
                    activity: late.activity_id,
                    reason: reason.to_owned(),
                },
                issued_at,
            };
            let i = self.stage_into(
                &mut staged,
                DocId::ledger(ctx.community, &late.member, late.at),
            )?;
            staged[i].put(LEDGER_ENTRY.key(entry.id), &Signed::seal(&self.key, &entry))?;
        }
        if !staged.is_empty() {
            self.commit(staged, &[])?;
            self.changed.insert(Table::Review);
        }
        Ok(u32::try_from(waiting.len()).unwrap_or(u32::MAX))
    }

    /// Gives a member points (`amount` > 0) or takes points back (< 0),
    /// with a note the member sees: a new movement signed by this
    /// coordinator, never an edit. At most the member's balance is taken
    /// back.
    pub fn correct_points(&mut self, device: &str, amount: i64, note: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let member = find_member(&who, device)?;
        if member == who.identity(&ctx.me) {
            return Err(Refused::OwnPoints.into());
        }
        let invalid = |field: &'static str, problem| -> EngineError {
            Refused::InvalidField { field, problem }.into()
        };
        if amount == 0 || amount.abs() > MAX_CORRECTION {
            return Err(invalid("amount", FieldProblem::OutOfRange));
        }
        let balance = self.balance_kept(&ctx, &who, &member, Figure::Held)?;
        if amount < 0 && -amount > balance {
            return Err(invalid("amount", FieldProblem::MoreThanBalance));
        }
        let note = note.trim();
        if note.is_empty() {
            return Err(invalid("note", FieldProblem::Required));
        }
        if note.chars().count() > MAX_REASON {
            return Err(invalid("note", FieldProblem::TooLong));
        }
        let (from, to) = if amount > 0 {
            (Account::Community, Account::Member(member))
        } else {
            (Account::Member(member), Account::Community)
        };
        let movement = Movement {
            id: EntryId::from_bytes(random()?),
            community: ctx.community,
            from,
            to,
            amount: amount.unsigned_abs(),
            reason: Reason::Correction {
                note: note.to_owned(),
                corrects: None,
            },
            at: self.signing_time(&ctx)?,
        };
        let mut doc = self.stage(DocId::ledger(ctx.community, &member, movement.at))?;
        doc.put(
            MOVEMENT.key(movement.id),
            &Signed::seal(&self.key, &movement),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// A member's wallet, as they see it (coordinators only).
    pub fn member_history(&self, device: &str) -> Result<WalletView> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let member = find_member(&who, device)?;
        let hours = super::hours::wallet_lines(self, &ctx, &who, &member)?;
        wallet(&self.conn, &ctx, &who, &member, hours)
    }

    /// Who checked in to an activity, newest first, with what they got: the
    /// newest `limit` check-ins, and how many check-ins and people in all
    /// (coordinators only).
    pub fn activity_attendance(&self, activity: ActivityId, limit: u32) -> Result<AttendanceList> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let promised = self
            .activity(&ctx, activity)?
            .ok_or(Refused::NotFound(Missing::Activity))?
            .reward;
        // The check-ins whose version that counts is for this activity:
        // every version under the ids of its check-ins is read, so one
        // check-in never shows under two activities. Read once: counted
        // here, and the newest page looked up in the ledger.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.member_key, c.at, MIN(c.at || c.activity)
               FROM checkins c
              WHERE c.community = ?1 AND {BY_RIGHT} AND {ANSWERED_ALIKE}
                AND c.id IN (SELECT id FROM checkins WHERE community = ?1 AND activity = ?3)
              GROUP BY c.id HAVING c.activity = ?3"
        ))?;
        let (community, office) = (ctx.community.to_string(), office_json(&who));
        let mut came = stmt
            .query_map(params![community, office, activity.to_string()], |r| {
                <(String, String, String)>::try_from(r)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut people = BTreeSet::new();
        for key in BTreeSet::from_iter(came.iter().map(|(_, key, _)| key)) {
            people.insert(who.identity(&key_of(key)?));
        }
        let checkins = came.len();
        // The newest page, with the entries under their ids only (a
        // reward's id is its check-in's), every version of each: not the
        // whole ledger.
        came.sort_unstable_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        came.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let ids = serde_json::to_string(&came.iter().map(|(id, ..)| id).collect::<Vec<_>>())
            .map_err(|e| EngineError::corrupt("check-in ids", e))?;
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT id, amount, declined IS NOT NULL, MIN(issued_at || signer)
               FROM ledger WHERE community = ?1 AND id IN (SELECT value FROM json_each(?3)) AND ",
            in_office!("signer", "issued_at", "?2"),
            " GROUP BY id"
        ))?;
        let answers: BTreeMap<String, (u32, bool)> = stmt
            .query_map(params![community, office, ids], |r| {
                Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let rows: Vec<_> = came
            .into_iter()
            .map(|(id, member, at)| {
                let answer = answers.get(&id).copied();
                (member, at, answer.map(|a| a.0), answer.map(|a| a.1))
            })
            .collect();
        rows.into_iter()
            .map(|(member, at, amount, declined)| {
                let member = key_of(&member)?;
                let (status, amount) = match amount {
                    None => (LineStatus::Pending, promised),
                    Some(_) if declined == Some(true) => (LineStatus::Declined, 0),
                    Some(0) => (LineStatus::Capped, 0),
                    Some(n) => (LineStatus::Issued, n),
                };
                Ok(Attendee {
                    name: self.member_name(&member),
                    device: member.key_id().to_string(),
                    at: time_of(&at)?,
                    status,
                    amount,
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(|rows| AttendanceList {
                checkins: u32::try_from(checkins).unwrap_or(u32::MAX),
                people: u32::try_from(people.len()).unwrap_or(u32::MAX),
                rows,
            })
    }

    /// The community's points as a whole (coordinators only).
    pub fn currency(&self) -> Result<CurrencyView> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        // Added up from the kept verdicts, which judging the accounts
        // keeps anyway (reading every entry again took a second on a
        // five-year hub, at every sync).
        let totals = self.community_totals(&ctx, &who)?;
        let unsigned = |n: i64| u64::try_from(n).unwrap_or(0);
        let s = totals.sources;
        Ok(CurrencyView {
            circulating: totals.circulating,
            community_account: totals.circulating.saturating_neg(),
            from_checkins: unsigned(s.checkins),
            from_hours: unsigned(s.hours),
            corrections_given: unsigned(s.given),
            corrections_taken: unsigned(s.taken),
            expired: unsigned(s.expired),
            holders: u32::try_from(totals.holders).unwrap_or(u32::MAX),
        })
    }

    /// This device's member's wallet.
    pub fn wallet(&self) -> Result<WalletView> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let me = who.identity(&ctx.me);
        let hours = super::hours::wallet_lines(self, &ctx, &who, &me)?;
        wallet(&self.conn, &ctx, &who, &me, hours)
    }
}

/// A member, a removed member or a coordinator by the fingerprint of any
/// of their devices: the member (the key their membership names).
pub(crate) fn find_member(who: &Authority, device: &str) -> Result<MemberKey> {
    let key = who
        .members
        .keys()
        .chain(&who.revoked)
        .chain(&who.coordinators)
        .chain(who.devices.keys())
        .copied()
        .find(|k| k.key_id().to_string() == device.trim())
        .ok_or(Refused::NotFound(Missing::Member))?;
    Ok(who.identity(&key))
}

/// A member's wallet: issued entries, pending check-ins, corrections and
/// approved `hours` (when decided, what for, points), newest first.
fn wallet(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    member: &MemberKey,
    hours: Vec<(DateTime<Utc>, String, u64)>,
) -> Result<WalletView> {
    let mut stmt = conn.prepare_cached(&format!(
        "WITH {ENTRIES_OF}, {ACTS}, {MOVES_OF},
         cins AS (
             SELECT c.id, c.activity, c.member_key, c.at, c.code, MIN(c.at || c.activity) AS v
             FROM checkins c
             WHERE c.community = ?1 AND c.id IN ({IDS_OF}) AND {BY_RIGHT} AND {ANSWERED_ALIKE}
             GROUP BY c.id
         )
         SELECT COALESCE(c.at, e.issued_at) AS t, COALESCE(a.title, ''), e.amount, 'issued',
                e.declined, NULL
           FROM entries e LEFT JOIN acts a ON a.id = e.activity LEFT JOIN cins c ON c.id = e.checkin
          WHERE e.to_key IN (SELECT value FROM json_each(?3))
         UNION ALL
         SELECT c.at, COALESCE(a.title, s.title, ''), COALESCE(a.reward, s.reward, 0), 'pending',
                NULL, c.code
           FROM cins c LEFT JOIN acts a ON a.id = c.activity
                LEFT JOIN scanned_labels s ON s.activity = c.activity
          WHERE c.member_key IN (SELECT value FROM json_each(?3))
            AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = c.id)
         UNION ALL
         SELECT m.at, '', ABS(m.amount),
                CASE WHEN m.reason = 'expiry' THEN 'expired'
                     WHEN m.amount < 0 THEN 'debit' ELSE 'credit' END,
                m.note, NULL
           FROM moves m WHERE m.member IN (SELECT value FROM json_each(?3))
         ORDER BY t DESC"
    ))?;
    let rows = stmt
        .query_map(
            params![
                ctx.community.to_string(),
                office_json(who),
                keys_json(&who.keys_of(member))
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<Vec<u8>>>(5)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut view = WalletView {
        balance: 0,
        pending: 0,
        history: Vec::with_capacity(rows.len()),
    };
    let add = |sum: u64, amount: u32| {
        sum.checked_add(u64::from(amount))
            .ok_or_else(|| EngineError::corrupt("wallet total past", sum))
    };
    let credit = |sum: i64, amount: i64| {
        sum.checked_add(amount)
            .ok_or_else(|| EngineError::corrupt("wallet balance past", sum))
    };
    for (at, title, amount, status_name, declined, code) in rows {
        let status = status_name.as_str();
        // A check-in made with a poster's code waits for a coordinator.
        let by_poster = code
            .and_then(|c| postcard::from_bytes::<CheckinCode>(&c).ok())
            .is_some_and(|c| c.is_standing());
        let status = match (status, amount) {
            ("pending", _) => {
                view.pending = add(view.pending, amount)?;
                if by_poster {
                    LineStatus::AwaitingApproval
                } else {
                    LineStatus::Pending
                }
            }
            ("credit", _) => {
                view.balance = credit(view.balance, i64::from(amount))?;
                LineStatus::Corrected
            }
            ("debit", _) => {
                view.balance = credit(view.balance, -i64::from(amount))?;
                LineStatus::Corrected
            }
            ("expired", _) => {
                view.balance = credit(view.balance, -i64::from(amount))?;
                LineStatus::Expired
            }
            _ if declined.is_some() => LineStatus::Declined,
            (_, 0) => LineStatus::Capped,
            _ => {
                view.balance = credit(view.balance, i64::from(amount))?;
                LineStatus::Issued
            }
        };
        let debit = status_name == "debit" || status_name == "expired";
        view.history.push(WalletLine {
            at: time_of(&at)?,
            title,
            amount,
            status,
            note: declined,
            debit,
        });
    }
    let house = || -> Result<String> {
        Ok(super::community::community_name(conn, &ctx.community)?.unwrap_or_default())
    };
    let name = |key: &MemberKey| who.members.get(key).map(|m| m.name.clone());
    let keys = who.keys_of(member);
    let payments = super::payments::judged_in(conn, ctx, who, super::payments::Scope::Keys(&keys))?;
    for p in payments.counted {
        let amount =
            u32::try_from(p.amount).map_err(|_| EngineError::corrupt("payment of", p.amount))?;
        let payer = who.identity(&p.payer);
        if payer == *member {
            view.balance = credit(view.balance, -i64::from(amount))?;
            let to = match p.payee {
                Some(partner) => name(&partner),
                None => Some(house()?),
            };
            view.history.push(WalletLine {
                at: p.at,
                title: p.what.clone(),
                amount,
                status: LineStatus::Paid,
                note: to,
                debit: true,
            });
        }
        if p.payee == Some(*member) {
            view.balance = credit(view.balance, i64::from(amount))?;
            view.history.push(WalletLine {
                at: p.at,
                title: p.what,
                amount,
                status: LineStatus::Received,
                note: name(&payer),
                debit: false,
            });
        }
    }
    // Payments waiting for their payee's word: held back from what can be
    // spent.
    for p in payments.waiting {
        if who.identity(&p.payer) != *member {
            continue;
        }
        let amount =
            u32::try_from(p.amount).map_err(|_| EngineError::corrupt("payment of", p.amount))?;
        view.balance = credit(view.balance, -i64::from(amount))?;
        view.history.push(WalletLine {
            at: p.at,
            title: p.what,
            amount,
            status: LineStatus::PaymentWaiting,
            note: match p.payee {
                Some(partner) => name(&partner),
                None => Some(house()?),
            },
            debit: true,
        });
    }
    // Payments refused at the counter or never taken: shown, moving nothing.
    for p in payments.refused {
        if who.identity(&p.payer) != *member {
            continue;
        }
        view.history.push(WalletLine {
            at: p.at,
            title: p.what,
            amount: u32::try_from(p.amount).unwrap_or(u32::MAX),
            status: LineStatus::PaymentRefused,
            note: match p.payee {
                Some(partner) => name(&partner),
                None => Some(house()?),
            },
            debit: false,
        });
    }
    let keys = who.keys_of(member);
    for r in super::payments::returns(conn, ctx, who, Scope::Keys(&keys))? {
        if r.partner != *member {
            continue;
        }
        let amount =
            u32::try_from(r.amount).map_err(|_| EngineError::corrupt("return of", r.amount))?;
        view.balance = credit(view.balance, -i64::from(amount))?;
        view.history.push(WalletLine {
            at: r.at,
            title: String::new(),
            amount,
            status: LineStatus::Returned,
            note: Some(r.note),
            debit: true,
        });
    }
    for (at, title, points) in hours {
        let amount = u32::try_from(points).map_err(|_| EngineError::corrupt("hours of", points))?;
        view.balance = credit(view.balance, i64::from(amount))?;
        view.history.push(WalletLine {
            at,
            title,
            amount,
            status: LineStatus::Hours,
            note: None,
            debit: false,
        });
    }
    view.history.sort_by_key(|l| std::cmp::Reverse(l.at));
    Ok(view)
}

/// A month as stored with an expiry (`2026-03`).
fn month_of(text: &str) -> Result<Month> {
    let parsed = text
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse().ok()?, m.parse().ok()?)));
    match parsed {
        Some((year, month)) if (1..=12).contains(&month) => Ok(Month { year, month }),
        _ => Err(EngineError::corrupt("month of expiry", text)),
    }
}

/// One credit or debit of a member's account.
pub(crate) struct AccountFlow {
    /// The member (devices folded).
    pub member: MemberKey,
    /// When it claims to be.
    pub at: DateTime<Utc>,
    /// A stable id, the tie-breaker of the order.
    pub id: String,
    /// The change.
    pub delta: i64,
    /// What made it.
    pub source: FlowSource,
}

/// What made a flow of a member's account (besides payments and returns),
/// for the community's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowSource {
    /// A ledger entry: a check-in's reward.
    Entry,
    /// Approved volunteer hours.
    Hours,
    /// A coordinator's movement, with its reason.
    Movement(MoveReason),
}

/// A movement's reason, as the community's totals tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoveReason {
    /// A correction.
    Correction,
    /// Points expired.
    Expiry,
    /// Any other (an overspend's settling, say).
    Other,
}

/// Every credit and debit of members' accounts besides payments and
/// returns: what the overspend check orders; of every member, or of
/// `member` alone (their devices as one account, reading only their rows).
/// `credits` are the approved hours of the same members.
pub(crate) fn account_flows(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    member: Option<&MemberKey>,
    credits: &[(MemberKey, DateTime<Utc>, u64)],
) -> Result<Vec<AccountFlow>> {
    let keys = member.map(|m| keys_json(&who.keys_of(&who.identity(m))));
    let mut stmt = if keys.is_some() {
        // Only the ids something was ever given to these keys under (every
        // version of each, so the one that counts is picked as for
        // everyone): an entry or movement that counts for them names them
        // in one of its versions. Their check-ins' ids, which the wallet
        // also reads, add nothing here. An entry alone under its id (all
        // but a few) is the one that counts if a coordinator in office
        // signed it: read from `ledger_by_member` alone; only the ids in
        // `ledger_versions` are looked up version by version.
        conn.prepare_cached(concat!(
            "WITH mine AS (
                SELECT id, to_key, amount, issued_at, signer FROM ledger
                 WHERE community = ?1 AND to_key IN (SELECT value FROM json_each(?3))
             ), contested AS (
                SELECT id FROM ledger_versions WHERE community = ?1
             ), entries AS (
                SELECT id, to_key, amount, issued_at FROM mine
                 WHERE id NOT IN contested AND ",
            in_office!("signer", "issued_at", "?2"),
            "
                UNION ALL
                SELECT id, to_key, amount, issued_at FROM (
                    SELECT id, to_key, amount, issued_at, MIN(issued_at || signer)
                    FROM ledger WHERE community = ?1
                     AND id IN (SELECT id FROM mine WHERE id IN contested) AND ",
            in_office!("signer", "issued_at", "?2"),
            "
                    GROUP BY id
                )
             ), moves AS (
                SELECT id, member, amount, reason, at, MIN(sig) AS v
                FROM movements WHERE community = ?1 AND id IN (
                    SELECT id FROM movements
                     WHERE community = ?1 AND member IN (SELECT value FROM json_each(?3))
                ) AND ",
            in_office!("signer", "at", "?2"),
            "
                GROUP BY id
             )
             SELECT to_key, amount, issued_at, id, NULL FROM entries
              WHERE amount > 0 AND to_key IN (SELECT value FROM json_each(?3))
             UNION ALL SELECT member, amount, at, id, reason FROM moves
              WHERE member IN (SELECT value FROM json_each(?3))"
        ))?
    } else {
        // Every entry, read in one pass over `ledger_by_member` (which holds
        // every column needed, so no row is looked up in the table); only
        // the ids in `ledger_versions` are grouped to the version that
        // counts, as [`ENTRIES`] groups every id.
        conn.prepare_cached(concat!(
            "WITH contested AS (
                SELECT id FROM ledger_versions WHERE community = ?1
             ), entries AS (
                SELECT id, to_key, amount, issued_at FROM ledger INDEXED BY ledger_by_member
                 WHERE community = ?1 AND id NOT IN contested AND ",
            in_office!("signer", "issued_at", "?2"),
            "
                UNION ALL
                SELECT id, to_key, amount, issued_at FROM (
                    SELECT id, to_key, amount, issued_at, MIN(issued_at || signer)
                    FROM ledger WHERE community = ?1 AND id IN contested AND ",
            in_office!("signer", "issued_at", "?2"),
            "
                    GROUP BY id
                )
             ), ",
            moves_cte!(),
            "
             SELECT to_key, amount, issued_at, id, NULL FROM entries WHERE amount > 0 AND ?3 IS NULL
             UNION ALL SELECT member, amount, at, id, reason FROM moves"
        ))?
    };
    // Read in place: a million rows on a five-year hub, so the key and
    // the time are parsed from SQLite's own text, not copied first.
    let mut rows = stmt.query(params![ctx.community.to_string(), office_json(who), keys])?;
    let mut out = Vec::with_capacity(credits.len());
    while let Some(r) = rows.next()? {
        let text = |i| -> Result<&str> {
            r.get_ref(i)?
                .as_str()
                .map_err(|e| EngineError::corrupt("account flow", e))
        };
        let source = match r.get_ref(4)?.as_str_or_null() {
            Ok(None) => FlowSource::Entry,
            Ok(Some("correction")) => FlowSource::Movement(MoveReason::Correction),
            Ok(Some("expiry")) => FlowSource::Movement(MoveReason::Expiry),
            Ok(Some(_)) => FlowSource::Movement(MoveReason::Other),
            Err(e) => return Err(EngineError::corrupt("movement reason", e)),
        };
        out.push(AccountFlow {
            member: who.identity(&key_of(text(0)?)?),
            at: time_of(text(2)?)?,
            id: text(3)?.to_owned(),
            delta: r.get(1)?,
            source,
        });
    }
    out.extend(hour_flows(who, credits)?);
    Ok(out)
}

/// The flows approved hours (`credits`, see [`account_flows`]) make.
pub(crate) fn hour_flows(
    who: &Authority,
    credits: &[(MemberKey, DateTime<Utc>, u64)],
) -> Result<Vec<AccountFlow>> {
    credits
        .iter()
        .map(|&(key, at, points)| {
            Ok(AccountFlow {
                member: who.identity(&key),
                at,
                id: format!("hours {}", ts(at)),
                delta: i64::try_from(points)
                    .map_err(|_| EngineError::corrupt("hours of", points))?,
                source: FlowSource::Hours,
            })
        })
        .collect()
}
