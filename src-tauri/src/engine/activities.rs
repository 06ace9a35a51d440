//! Activities and check-ins: the records, saving an activity, the rotating
//! check-in code, and what a scan on the check-in screen does.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use nabo_shared::activities::legacy::ActivityV1;
use nabo_shared::activities::{
    validate_activity, verify_checkin_code, Activity, ActivityInput, ActivityView, CheckIn,
    CheckinCode, CheckinQrCode, CodeContext, ScanOutcome, Schedule,
};
use nabo_shared::api::{Missing, Table};
use nabo_shared::codes::QrView;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::{ActivityId, CheckinId};
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::scan::Scanned;
use nabo_shared::signed::{Signed, Verified};
use nabo_shared::time::local_day;
use rusqlite::{params, Connection, OptionalExtension};

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{day_bounds, in_office, office_json, parse, time_of, ts};
use super::{qr, random, Ctx, Engine};

/// `activity/<id>`: an activity, signed by a coordinator.
pub(crate) const ACTIVITY: Kind<Activity> = Kind::new(KindDecl {
    record: RecordKind::Activity,
    prefix: "activity",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer version of the same activity signed by a coordinator (the newest \
                    `updated_at` wins)",
    tables: &[TableDecl {
        table: Table::Activities,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, title TEXT NOT NULL, \
                  description TEXT NOT NULL, place TEXT NOT NULL, schedule TEXT NOT NULL, \
                  reward INTEGER NOT NULL, daily_cap INTEGER, updated_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, archived INTEGER NOT NULL",
        indexes: &["CREATE INDEX IF NOT EXISTS activities_by_id ON activities(community, id)"],
        signed_at: Some("updated_at"),
    }],
    project: project_activity,
});

fn project_activity(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let activity: ActivityId = kinds::id_of(id)?;
    let a = match kinds::open::<Activity>(bytes) {
        Ok(a) => a,
        // Versions of the first format count as they were signed.
        Err(e) => {
            let old = kinds::open::<ActivityV1>(bytes).map_err(|_| e)?;
            Verified {
                value: old.value.into(),
                signer: old.signer,
                sig: old.sig,
            }
        }
    };
    row.expect(a.value.community == row.doc.community && a.value.id == activity)?;
    validate_activity(&a.value).map_err(|(field, problem)| RecordProblem::InvalidField {
        field: field.to_owned(),
        problem,
    })?;
    let schedule =
        serde_json::to_string(&a.value.schedule).map_err(|_| RecordProblem::Unreadable)?;
    row.insert(
        Table::Activities,
        &[
            &activity.to_string(),
            &row.doc.community.to_string(),
            &a.value.title.trim(),
            &a.value.description,
            &a.value.place,
            &schedule,
            &a.value.reward,
            &a.value.daily_cap,
            &ts(a.value.updated_at),
            &a.signer.to_hex(),
            &a.value.archived,
        ],
    )
}

/// `checkin/<id>`: a resident's check-in, signed by their own device, in
/// their check-in document of the month; or a card holder's, signed by the
/// coordinator's device that scanned the card, with a code that device
/// issued itself (it counts only if that device was a coordinator's then:
/// [`BY_RIGHT`]).
pub(crate) const CHECK_IN: Kind<CheckIn> = Kind::new(KindDecl {
    record: RecordKind::CheckIn,
    prefix: "checkin",
    singleton: false,
    home: DocKind::Checkins,
    writer: Writer::Subject,
    superseded_by: "nothing: a check-in stands as made; its reward is a ledger entry",
    tables: &[TableDecl {
        table: Table::Checkins,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, activity TEXT NOT NULL, \
                  member_key TEXT NOT NULL, at TEXT NOT NULL, code BLOB NOT NULL, \
                  signer TEXT NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS checkins_by_member ON checkins(community, member_key, activity, at)",
            "CREATE INDEX IF NOT EXISTS checkins_by_time ON checkins(community, at)",
            // An activity's check-ins: its attendance list, and what a
            // reconcile looks at again after the activity changed.
            "CREATE INDEX IF NOT EXISTS checkins_by_activity ON checkins(community, activity, at)",
            "CREATE INDEX IF NOT EXISTS checkins_by_id ON checkins(community, id)",
        ],
        signed_at: None,
    }],
    project: project_checkin,
});

fn project_checkin(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let checkin: CheckinId = kinds::id_of(id)?;
    let c = kinds::open::<CheckIn>(bytes)?;
    let v = &c.value;
    let community = row.doc.community;
    // Signed by the member, or by the device whose own (rotating) code it
    // carries: a coordinator's, checking a card holder in.
    let by_desk = v.code.signed_by(&c.signer) && !v.code.is_standing();
    row.expect(
        v.community == community
            && v.id == checkin
            && (v.member == c.signer || by_desk)
            && v.code.community == community
            && v.code.activity == v.activity
            && DocId::checkins(community, &v.member, v.at) == *row.doc,
    )?;
    let code = postcard::to_allocvec(&v.code).map_err(|_| RecordProblem::Unreadable)?;
    row.insert(
        Table::Checkins,
        &[
            &checkin.to_string(),
            &community.to_string(),
            &v.activity.to_string(),
            &v.member.to_hex(),
            &ts(v.at),
            &code,
            &c.signer.to_hex(),
        ],
    )
}

/// The condition a check-in row meets to count (columns unqualified, the
/// terms of office in `?2`): signed by its member, or by a coordinator in
/// office at its time (a card holder checked in at a coordinator's device).
pub(crate) const BY_RIGHT: &str = concat!(
    "(signer = member_key OR ",
    in_office!("signer", "at", "?2"),
    ")"
);

/// The condition a version of a check-in (a row of `checkins` as `c`) meets
/// unless a coordinator's answer contradicts it: once a coordinator in
/// office (terms in `?2`) answered a check-in, with a reward or a decline,
/// only its versions for the activity that answer names count. A version
/// its member signs afterwards under the same id, for another activity
/// they hold a code for and an earlier time, moves the check-in nowhere.
pub(crate) const ANSWERED_ALIKE: &str = concat!(
    "NOT EXISTS (SELECT 1 FROM ledger l WHERE l.community = c.community AND l.checkin = c.id
                   AND l.activity <> c.activity AND ",
    in_office!("l.signer", "l.issued_at", "?2"),
    ")"
);

/// The labels of activities this device checked in to before it knew them
/// (from the check-in QR), kept on this device only so a pending line can
/// name its activity.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS scanned_labels (
    activity TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    reward INTEGER NOT NULL
);
";

/// An activity's current version.
#[derive(Debug, Clone)]
pub(crate) struct ActivityRow {
    pub id: ActivityId,
    pub title: String,
    pub description: String,
    pub place: String,
    pub schedule: Schedule,
    pub reward: u32,
    pub daily_cap: Option<u32>,
    pub archived: bool,
}

/// The current version of each activity, as the CTE `acts`: of the
/// versions a coordinator in office signed (terms in `?2`, see
/// [`office_json`]), the newest (ties: the signer's key).
pub(crate) const ACTS: &str = concat!(
    "acts AS (
    SELECT id, title, description, place, schedule, reward, daily_cap, archived, MAX(updated_at || signer) AS v
    FROM activities WHERE community = ?1 AND ",
    in_office!("signer", "updated_at", "?2"),
    "
    GROUP BY id
)"
);

/// An activity's columns as stored: id, title, description, place,
/// schedule (JSON), reward, daily cap, archived.
type RawActivity = (
    String,
    String,
    String,
    String,
    String,
    u32,
    Option<u32>,
    bool,
);

fn activity_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawActivity> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn to_activity(row: RawActivity) -> Result<ActivityRow> {
    let (id, title, description, place, schedule, reward, daily_cap, archived) = row;
    Ok(ActivityRow {
        id: parse(&id, "activity id")?,
        title,
        description,
        place,
        schedule: serde_json::from_str(&schedule)
            .map_err(|_| EngineError::corrupt("schedule", &schedule))?,
        reward,
        daily_cap,
        archived,
    })
}

/// One activity, if a coordinator made it.
pub(crate) fn activity(
    conn: &Connection,
    ctx: &Ctx,
    office: &str,
    id: ActivityId,
) -> Result<Option<ActivityRow>> {
    let row = conn
        .prepare_cached(&format!(
            "WITH {ACTS} SELECT id, title, description, place, schedule, reward, daily_cap, archived FROM acts WHERE id = ?3"
        ))?
        .query_row(
            params![ctx.community.to_string(), office, id.to_string()],
            activity_row,
        )
        .optional()?;
    row.map(to_activity).transpose()
}

/// Every activity, with today's check-in count.
fn activities(
    conn: &Connection,
    ctx: &Ctx,
    office: &str,
    now: DateTime<Utc>,
) -> Result<Vec<ActivityView>> {
    let today = local_day(now, ctx.tz);
    let (from, to) = day_bounds(today, ctx.tz);
    // Today's check-ins: the ids with a version today, each judged over
    // all its versions (by time, not every check-in ever made: 0.77 s a
    // call on a five-year hub before, see BENCHMARKS.md).
    let mut stmt = conn.prepare_cached(&format!(
        "WITH {ACTS}, cins AS (
             SELECT c.id, c.activity, c.at, MIN(c.at || c.activity) FROM checkins c
              WHERE c.community = ?1 AND {BY_RIGHT} AND {ANSWERED_ALIKE}
                AND c.id IN (SELECT id FROM checkins
                              WHERE community = ?1 AND at >= ?3 AND at < ?4)
              GROUP BY c.id
         )
         SELECT a.id, a.title, a.description, a.place, a.schedule, a.reward, a.daily_cap, a.archived,
                (SELECT COUNT(*) FROM cins c WHERE c.activity = a.id AND c.at >= ?3 AND c.at < ?4)
         FROM acts a ORDER BY a.title COLLATE NOCASE, a.id"
    ))?;
    let rows = stmt
        .query_map(params![ctx.community.to_string(), office, from, to], |r| {
            Ok((activity_row(r)?, r.get::<_, u32>(8)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(row, checkins_today)| {
            let a = to_activity(row)?;
            Ok(ActivityView {
                id: a.id,
                next_session: nabo_shared::activities::next_session(&a.schedule, today),
                title: a.title,
                description: a.description,
                place: a.place,
                schedule: a.schedule,
                reward: a.reward,
                daily_cap: a.daily_cap,
                checkins_today,
                archived: a.archived,
            })
        })
        .collect()
}

/// Whether a member's key already checked in to an activity on a local
/// day.
pub(crate) fn checked_in_on(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    member: &MemberKey,
    activity: ActivityId,
    day: NaiveDate,
) -> Result<bool> {
    let (from, to) = day_bounds(day, ctx.tz);
    Ok(conn.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM checkins WHERE community = ?1 AND member_key = ?6
                            AND activity = ?3 AND at >= ?4 AND at < ?5 AND {BY_RIGHT})"
        ),
        params![
            ctx.community.to_string(),
            office_json(who),
            activity.to_string(),
            from,
            to,
            member.to_hex(),
        ],
        |r| r.get(0),
    )?)
}

impl Engine {
    /// The current version of an activity, if a coordinator made it.
    pub(crate) fn activity(&self, ctx: &Ctx, id: ActivityId) -> Result<Option<ActivityRow>> {
        let who = self.authority(ctx)?;
        activity(&self.conn, ctx, &office_json(&who), id)
    }

    /// The community's activities, by title.
    pub fn list_activities(&self) -> Result<Vec<ActivityView>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        activities(&self.conn, &ctx, &office_json(&who), self.now())
    }

    /// Creates or edits an activity (coordinators only).
    pub fn save_activity(&mut self, input: ActivityInput) -> Result<ActivityView> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let (id, archived) = match input.id {
            Some(id) => {
                let current = self
                    .activity(&ctx, id)?
                    .ok_or(Refused::NotFound(Missing::Activity))?;
                (id, current.archived)
            }
            None => (ActivityId::from_bytes(random()?), false),
        };
        let activity = Activity {
            id,
            community: ctx.community,
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
            place: input.place.trim().to_owned(),
            schedule: input.schedule,
            reward: input.reward,
            daily_cap: input.daily_cap,
            archived,
            updated_at: self.version_time(&ctx, id)?,
        };
        validate_activity(&activity)
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let key = ACTIVITY.key(id);
        let shown = format!("the saved {} projected", key.as_str());
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(key, &Signed::seal(&self.key, &activity))?;
        self.commit(vec![doc], &[])?;
        self.list_activities()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(EngineError::Invariant { what: shown })
    }

    /// When a new version of an activity is dated: its signing time, but
    /// always after every version of it this device has seen, so an edit
    /// supersedes what its coordinator saw, within the same millisecond or
    /// over a version dated ahead by another device's clock.
    fn version_time(&self, ctx: &Ctx, id: ActivityId) -> Result<DateTime<Utc>> {
        let now = self.signing_time(ctx)?;
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(updated_at) FROM activities WHERE community = ?1 AND id = ?2",
            params![ctx.community.to_string(), id.to_string()],
            |r| r.get(0),
        )?;
        Ok(match newest {
            Some(t) => now.max(time_of(&t)? + Duration::milliseconds(1)),
            None => now,
        })
    }

    /// Puts an activity away, or brings it back: a new version of it
    /// (coordinators only).
    pub fn archive_activity(&mut self, id: ActivityId, archived: bool) -> Result<()> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let a = self
            .activity(&ctx, id)?
            .ok_or(Refused::NotFound(Missing::Activity))?;
        let activity = Activity {
            id,
            community: ctx.community,
            title: a.title,
            description: a.description,
            place: a.place,
            schedule: a.schedule,
            reward: a.reward,
            daily_cap: a.daily_cap,
            archived,
            updated_at: self.version_time(&ctx, id)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(ACTIVITY.key(id), &Signed::seal(&self.key, &activity))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// The check-in code for an activity, for the current 30-second window.
    pub fn checkin_code(&self, activity: ActivityId) -> Result<CheckinCode> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        match self.activity(&ctx, activity)? {
            None => return Err(Refused::NotFound(Missing::Activity).into()),
            Some(a) if a.archived => return Err(Refused::ActivityArchived.into()),
            Some(_) => {}
        }
        Ok(CheckinCode::issue(
            &self.key,
            ctx.community,
            activity,
            self.now(),
        ))
    }

    /// The check-in QR code to show on the coordinator's screen: the code
    /// and the activity's label.
    pub fn checkin_qr(&self, activity: ActivityId) -> Result<QrView> {
        let code = self.checkin_code(activity)?;
        let ctx = self.ctx()?;
        let a = self
            .activity(&ctx, activity)?
            .ok_or(Refused::NotFound(Missing::Activity))?;
        let title = a.title;
        let text = CheckinQrCode::labelled(&self.key, code.clone(), &title, a.reward).encode();
        Ok(QrView {
            svg: qr::svg(&text)?,
            text,
            expires_at: Some(code.expires_at()),
            title,
        })
    }

    /// Handles scanned or pasted text on the check-in screen.
    pub fn scan_text(&mut self, text: &str) -> Result<ScanOutcome> {
        let ctx = self.ctx()?;
        let qr = match Scanned::parse(text).map_err(Refused::UnreadableCode)? {
            Scanned::Checkin(qr) => qr,
            Scanned::Pairing(code) => {
                let hub = self.remember_hub(&ctx.community, code)?;
                return Ok(ScanOutcome::HubPaired { hub });
            }
            Scanned::PaymentRequest(request) => {
                return Ok(ScanOutcome::PaymentAsked(self.ask_payment(text, &request)?));
            }
            Scanned::Payment(scanned) => {
                return Ok(ScanOutcome::PaymentReceived(self.receive_payment(
                    &scanned.signed,
                    &scanned.payment,
                    scanned.statement.as_ref(),
                    scanned.voucher.as_ref(),
                    super::payments::Unstated::Refuse,
                )?));
            }
            Scanned::Card(_) => return self.scanned_card(text),
            other @ Scanned::Invite(_) => return Err(Refused::WrongKindOfCode(other.kind()).into()),
        };
        let code = qr.code.clone();
        let now = self.now();
        let who = self.authority(&ctx)?;
        let signer = verify_checkin_code(
            &code,
            &CodeContext {
                community: ctx.community,
                coordinators: &who.coordinators,
                now,
            },
        )
        .map_err(Refused::Checkin)?;
        // What the activity is: as this device knows it, else as the code's
        // signer labelled it (kept, so the pending line can name it).
        let label = qr.label_by(&signer).cloned();
        if let Some(label) = &label {
            self.conn.execute(
                "INSERT INTO scanned_labels(activity, title, reward) VALUES (?1, ?2, ?3)
                 ON CONFLICT(activity) DO UPDATE SET title = excluded.title, reward = excluded.reward",
                params![code.activity.to_string(), label.title, label.reward],
            )?;
        }
        let known = self.activity(&ctx, code.activity)?;
        let title = known
            .as_ref()
            .map(|a| a.title.clone())
            .or_else(|| label.as_ref().map(|l| l.title.clone()))
            .unwrap_or_default();
        let reward = known.as_ref().map(|a| a.reward).or(label.map(|l| l.reward));
        let day = local_day(now, ctx.tz);
        if checked_in_on(&self.conn, &ctx, &who, &ctx.me, code.activity, day)? {
            return Ok(ScanOutcome::AlreadyCheckedIn { activity: title });
        }
        let checkin = CheckIn {
            id: CheckinId::from_bytes(random()?),
            community: ctx.community,
            activity: code.activity,
            member: ctx.me,
            at: now,
            code: code.clone(),
        };
        let mut doc = self.stage(DocId::checkins(ctx.community, &ctx.me, now))?;
        doc.put(CHECK_IN.key(checkin.id), &Signed::seal(&self.key, &checkin))?;
        self.commit(vec![doc], &[])?;
        // A coordinator checking in on their own device rewards at once.
        if who.is_coordinator(&ctx.me) {
            self.reconcile()?;
        }
        Ok(ScanOutcome::CheckedIn {
            checkin: checkin.id,
            activity: title,
            reward,
            needs_approval: code.is_standing(),
        })
    }

    /// Handles a picture of a QR code on the check-in screen.
    pub fn scan_image(&mut self, image: &[u8]) -> Result<ScanOutcome> {
        let text = qr::read_image(image)?;
        self.scan_text(&text)
    }
}
