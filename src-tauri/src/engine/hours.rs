//! Volunteer hours: claims a volunteer signs on their own phone, offline,
//! and the decisions coordinators sign on them. Where a claim stands is
//! decided by the pure rule in `nabo_shared::rewards::hours::resolve`, the
//! same on every device whatever order the records arrived in; an approval
//! carries its points, which count in the volunteer's balance.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use nabo_shared::api::{Missing, Table};
use nabo_shared::crypto::MemberKey;
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::HourClaimId;
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::rewards::hours::{
    points, resolve, HourClaim, HourDecision, HoursLine, HoursProblem, HoursRef, HoursState,
    LogHours, Seen, Status, Verdict, Work, MAX_PER_HOUR, MAX_QUARTERS, MAX_TEXT,
};
use nabo_shared::signed::Signed;
use rusqlite::{params, Connection};

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{key_of, keys_json, parse, ts};
use super::{random, Ctx, Engine};

/// `hours/<claim>`: a version of a volunteer's claim, signed by the
/// volunteer, in their check-in document of the month they first logged it.
/// An edit puts a new version under the same key; every version stays in
/// the document's history and in the projection.
pub(crate) const HOUR_CLAIM: Kind<HourClaim> = Kind::new(KindDecl {
    record: RecordKind::HourClaim,
    prefix: "hours",
    singleton: false,
    home: DocKind::Checkins,
    writer: Writer::Subject,
    superseded_by: "a newer version signed by its volunteer, until a coordinator decides; \
                    a version signed after the decision changes nothing",
    tables: &[TableDecl {
        table: Table::HourClaims,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, volunteer TEXT NOT NULL, \
                  version INTEGER NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS hour_claims_by_id ON hour_claims(community, id)",
            "CREATE INDEX IF NOT EXISTS hour_claims_by_volunteer \
             ON hour_claims(community, volunteer)",
        ],
        signed_at: None,
    }],
    project: project_claim,
});

fn project_claim(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let claim: HourClaimId = kinds::id_of(id)?;
    let c = kinds::open::<HourClaim>(bytes)?;
    let v = &c.value;
    row.expect(
        v.community == row.doc.community
            && v.id == claim
            && v.volunteer == c.signer
            && row.doc.kind == DocKind::Checkins
            && row.doc.member == Some(v.volunteer.key_id()),
    )?;
    if v.version == 0 {
        return Err(invalid("version", FieldProblem::OutOfRange));
    }
    if let Err(problem) = v.check() {
        let (field, problem) = field_of(problem, &v.work);
        return Err(invalid(field, problem));
    }
    row.insert(
        Table::HourClaims,
        &[
            &claim.to_string(),
            &row.doc.community.to_string(),
            &v.volunteer.to_hex(),
            &v.version,
            &postcard::to_allocvec(v).map_err(|_| RecordProblem::Unreadable)?,
            &c.sig.to_vec(),
        ],
    )
}

/// `hour-decision/<claim>`: a coordinator's decision on a claim, in the
/// volunteer's ledger document of the month it was signed.
pub(crate) const HOUR_DECISION: Kind<HourDecision> = Kind::new(KindDecl {
    record: RecordKind::HourDecision,
    prefix: "hour-decision",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Coordinator,
    superseded_by: "nothing: the first decision signed counts (ties: the smaller signature); \
                    later ones by other coordinators are kept and shown",
    tables: &[TableDecl {
        table: Table::HourDecisions,
        columns: "claim TEXT NOT NULL, community TEXT NOT NULL, volunteer TEXT NOT NULL, \
                  decided_at TEXT NOT NULL, signer TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS hour_decisions_by_claim ON hour_decisions(community, claim)",
            "CREATE INDEX IF NOT EXISTS hour_decisions_by_volunteer \
             ON hour_decisions(community, volunteer)",
        ],
        signed_at: Some("decided_at"),
    }],
    project: project_decision,
});

fn project_decision(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let claim: HourClaimId = kinds::id_of(id)?;
    let d = kinds::open::<HourDecision>(bytes)?;
    let v = &d.value;
    row.expect(
        v.community == row.doc.community
            && v.claim == claim
            && DocId::ledger(v.community, &v.volunteer, v.decided_at) == *row.doc,
    )?;
    match &v.verdict {
        Verdict::Approved {
            quarters,
            points: p,
        } => {
            if !(1..=MAX_QUARTERS).contains(quarters) {
                return Err(invalid("quarters", FieldProblem::OutOfRange));
            }
            if *p > points(*quarters, MAX_PER_HOUR) {
                return Err(invalid("amount", FieldProblem::OutOfRange));
            }
        }
        Verdict::Declined { reason } => {
            if reason.trim().is_empty() {
                return Err(invalid("reason", FieldProblem::Required));
            }
            if reason.chars().count() > MAX_TEXT {
                return Err(invalid("reason", FieldProblem::TooLong));
            }
        }
    }
    row.insert(
        Table::HourDecisions,
        &[
            &claim.to_string(),
            &row.doc.community.to_string(),
            &v.volunteer.to_hex(),
            &ts(v.decided_at),
            &d.signer.to_hex(),
            &postcard::to_allocvec(v).map_err(|_| RecordProblem::Unreadable)?,
            &d.sig.to_vec(),
        ],
    )
}

fn invalid(field: &str, problem: FieldProblem) -> ProjectError {
    ProjectError::Refused(RecordProblem::InvalidField {
        field: field.into(),
        problem,
    })
}

/// The form field a problem with a claim belongs to.
fn field_of(problem: HoursProblem, work: &Work) -> (&'static str, FieldProblem) {
    match problem {
        HoursProblem::EndBeforeStart => ("end", FieldProblem::EndsBeforeStart),
        HoursProblem::TooShort | HoursProblem::TooLong => ("duration", FieldProblem::OutOfRange),
        HoursProblem::Text => match work {
            Work::Other(text) if text.trim().is_empty() => ("work", FieldProblem::Required),
            Work::Other(text) if text.chars().count() > MAX_TEXT => ("work", FieldProblem::TooLong),
            _ => ("note", FieldProblem::TooLong),
        },
    }
}

/// One claim with where it stands, and where its versions live.
pub(crate) struct Resolved {
    pub id: HourClaimId,
    pub volunteer: MemberKey,
    pub status: Status,
    /// The document its versions live in.
    pub doc: String,
}

/// A claim as stored: its id and its volunteer's key, as text.
type ClaimKey = (String, String);

/// Every claim of the community (or of one volunteer) with where it stands.
pub(crate) fn claims(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    volunteer: Option<&[MemberKey]>,
) -> Result<Vec<Resolved>> {
    let community = ctx.community.to_string();
    let volunteer = volunteer.map(keys_json);
    // A claim is its id and its volunteer: versions another member signs
    // under the same id are a claim of their own, never a version of this
    // one, and decisions count only for the volunteer they name.
    let mut versions: BTreeMap<ClaimKey, (String, Vec<Seen<HourClaim>>)> = BTreeMap::new();
    // Two statements, so a volunteer's claims are found by the index.
    let mut stmt = conn.prepare_cached(if volunteer.is_some() {
        "SELECT id, volunteer, record, sig, doc_id FROM hour_claims
          WHERE community = ?1 AND volunteer IN (SELECT value FROM json_each(?2))"
    } else {
        "SELECT id, volunteer, record, sig, doc_id FROM hour_claims
          WHERE community = ?1 AND ?2 IS NULL"
    })?;
    // Read in place (every claim of a neighbourhood when all accounts are
    // judged): the record and signature straight from SQLite's bytes.
    let mut rows = stmt.query(params![community, volunteer])?;
    while let Some(r) = rows.next()? {
        let (id, key, doc) = (r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(4)?);
        let value: HourClaim = postcard::from_bytes(blob(r, 2)?)
            .map_err(|_| EngineError::corrupt("hour claim", &id))?;
        let sig = blob(r, 3)?;
        let signer = key_of(&key)?;
        // A lost device's versions signed after it was taken away count
        // for nothing.
        if who
            .retired_at(&signer)
            .is_some_and(|retired| value.signed_at >= retired)
        {
            continue;
        }
        let seen = Seen {
            signer,
            sig: sig_of(sig, &id)?,
            value,
        };
        let entry = versions
            .entry((id, key))
            .or_insert_with(|| (doc, Vec::new()));
        if !entry.1.contains(&seen) {
            entry.1.push(seen);
        }
    }
    let mut decisions: BTreeMap<ClaimKey, Vec<Seen<HourDecision>>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(if volunteer.is_some() {
        "SELECT claim, volunteer, signer, record, sig FROM hour_decisions
          WHERE community = ?1 AND volunteer IN (SELECT value FROM json_each(?2))"
    } else {
        "SELECT claim, volunteer, signer, record, sig FROM hour_decisions
          WHERE community = ?1 AND ?2 IS NULL"
    })?;
    let mut rows = stmt.query(params![community, volunteer])?;
    while let Some(r) = rows.next()? {
        let (claim, for_whom) = (r.get::<_, String>(0)?, r.get::<_, String>(1)?);
        let value: HourDecision = postcard::from_bytes(blob(r, 3)?)
            .map_err(|_| EngineError::corrupt("hour decision", &claim))?;
        let signer = r
            .get_ref(2)?
            .as_str()
            .map_err(|e| EngineError::corrupt("hour decision's signer", e))?;
        let seen = Seen {
            signer: key_of(signer)?,
            sig: sig_of(blob(r, 4)?, &claim)?,
            value,
        };
        let list = decisions.entry((claim, for_whom)).or_default();
        if !list.contains(&seen) {
            list.push(seen);
        }
    }
    let mut out = Vec::new();
    for ((id, key), (doc, seen)) in versions {
        let claim: HourClaimId = parse(&id, "hour claim id")?;
        let decided = decisions.remove(&(id, key.clone())).unwrap_or_default();
        let Some(status) = resolve(claim, &seen, &decided, |k, at| who.in_office_at(k, at)) else {
            continue;
        };
        out.push(Resolved {
            id: claim,
            volunteer: key_of(&key)?,
            status,
            doc,
        });
    }
    Ok(out)
}

/// A blob column of a row, as SQLite holds it.
fn blob<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r [u8]> {
    r.get_ref(i)?
        .as_blob()
        .map_err(|e| EngineError::corrupt("hours' column", e))
}

fn sig_of(bytes: &[u8], id: &str) -> Result<[u8; 64]> {
    bytes
        .try_into()
        .map_err(|_| EngineError::corrupt("signature of", id))
}

/// An approval whose claim this device holds: the claim, when it was
/// decided, and the points it pays.
fn approval(status: &Status) -> Option<(&HourClaim, DateTime<Utc>, u64)> {
    match status {
        Status::Decided {
            decision:
                HourDecision {
                    verdict: Verdict::Approved { points, .. },
                    decided_at,
                    ..
                },
            claim: Some(claim),
            ..
        } => Some((claim, *decided_at, *points)),
        _ => None,
    }
}

/// Approved hours, as credits: (volunteer, when decided, points).
pub(crate) fn credits(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
) -> Result<Vec<(MemberKey, DateTime<Utc>, u64)>> {
    Ok(credits_in(&claims(conn, ctx, who, None)?))
}

/// What the approved ones among `claims` earned: the volunteer, when it
/// was approved, and the points.
pub(crate) fn credits_in(claims: &[Resolved]) -> Vec<(MemberKey, DateTime<Utc>, u64)> {
    claims
        .iter()
        .filter_map(|r| approval(&r.status).map(|(_, at, points)| (r.volunteer, at, points)))
        .collect()
}

/// The points approved hours earned, per volunteer (all their devices as
/// one) and day worked: what a daily cap counts.
fn earned_by_day(all: &[Resolved], who: &Authority) -> BTreeMap<(MemberKey, NaiveDate), u64> {
    let mut sums = BTreeMap::new();
    for r in all {
        if let Some((claim, _, points)) = approval(&r.status) {
            *sums
                .entry((who.identity(&r.volunteer), claim.date))
                .or_insert(0) += points;
        }
    }
    sums
}

impl Engine {
    /// What a claim is for, in words: the activity's title, or the
    /// volunteer's own.
    fn work_title(&self, ctx: &Ctx, work: &Work) -> Result<String> {
        Ok(match work {
            Work::Activity(id) => self
                .activity(ctx, *id)?
                .map(|a| a.title)
                .unwrap_or_default(),
            Work::Other(text) => text.clone(),
        })
    }

    /// The points an hour earns now.
    fn per_hour(&self, ctx: &Ctx, who: &Authority) -> Result<u32> {
        Ok(super::rules::in_force(&self.conn, ctx, who)?.per_hour)
    }

    /// Logs hours, or edits a claim still waiting: a new signed version.
    pub fn log_hours(&mut self, input: LogHours) -> Result<HourClaimId> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let now = self.now();
        let fail = |field: &'static str, problem| -> EngineError {
            Refused::InvalidField { field, problem }.into()
        };
        let work = match input.work {
            Work::Activity(id) => {
                self.activity(&ctx, id)?
                    .ok_or(Refused::NotFound(Missing::Activity))?;
                Work::Activity(id)
            }
            Work::Other(text) => Work::Other(text.trim().to_owned()),
        };
        if input.date > now.with_timezone(&ctx.tz).date_naive() {
            return Err(fail("date", FieldProblem::OutOfRange));
        }
        let (id, version, doc) = match input.claim {
            None => (
                HourClaimId::from_bytes(random()?),
                1,
                DocId::checkins(ctx.community, &ctx.me, now),
            ),
            Some(id) => {
                let found = claims(&self.conn, &ctx, &who, Some(&[ctx.me]))?
                    .into_iter()
                    .find(|r| r.id == id)
                    .ok_or(Refused::NotFound(Missing::Hours))?;
                let Status::Pending(current) = found.status else {
                    return Err(Refused::HoursDecided.into());
                };
                let doc = DocId::parse(&found.doc)
                    .ok_or_else(|| EngineError::corrupt("document id", &found.doc))?;
                (id, current.version + 1, doc)
            }
        };
        let claim = HourClaim {
            id,
            community: ctx.community,
            volunteer: ctx.me,
            version,
            work,
            date: input.date,
            span: input.span,
            note: input.note.trim().to_owned(),
            withdrawn: false,
            signed_at: now,
        };
        if let Err(problem) = claim.check() {
            let (field, problem) = field_of(problem, &claim.work);
            return Err(fail(field, problem));
        }
        let mut staged = self.stage(doc)?;
        staged.put(HOUR_CLAIM.key(id), &Signed::seal(&self.key, &claim))?;
        self.commit(vec![staged], &[])?;
        Ok(id)
    }

    /// Takes back a claim still waiting for a coordinator.
    pub fn withdraw_hours(&mut self, id: HourClaimId) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let found = claims(&self.conn, &ctx, &who, Some(&[ctx.me]))?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(Refused::NotFound(Missing::Hours))?;
        let Status::Pending(current) = found.status else {
            return Err(Refused::HoursDecided.into());
        };
        let doc = DocId::parse(&found.doc)
            .ok_or_else(|| EngineError::corrupt("document id", &found.doc))?;
        let claim = HourClaim {
            version: current.version + 1,
            withdrawn: true,
            signed_at: self.now(),
            ..current
        };
        let mut staged = self.stage(doc)?;
        staged.put(HOUR_CLAIM.key(id), &Signed::seal(&self.key, &claim))?;
        self.commit(vec![staged], &[])?;
        Ok(())
    }

    /// This device's member's claims, newest day first.
    pub fn list_hours(&self) -> Result<Vec<HoursLine>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        self.hours_of(&ctx, &who, &who.identity(&ctx.me))
    }

    /// A member's claims, newest day first.
    fn hours_of(&self, ctx: &Ctx, who: &Authority, member: &MemberKey) -> Result<Vec<HoursLine>> {
        let rate = self.per_hour(ctx, who)?;
        let mut lines = claims(&self.conn, ctx, who, Some(&who.keys_of(member)))?
            .into_iter()
            .map(|r| self.line(ctx, r, rate))
            .collect::<Result<Vec<_>>>()?;
        lines.retain(|l| l.is_some());
        let mut lines: Vec<HoursLine> = lines.into_iter().flatten().collect();
        lines.sort_by(|a, b| (b.date, &a.title).cmp(&(a.date, &b.title)));
        Ok(lines)
    }

    /// A member's claims, newest day first (coordinators only).
    pub fn member_hours(&self, device: &str) -> Result<Vec<HoursLine>> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let member = super::rewards::find_member(&who, device)?;
        self.hours_of(&ctx, &who, &member)
    }

    /// A claim as a list shows it; `None` when a decision arrived before
    /// the version it decided.
    fn line(&self, ctx: &Ctx, r: Resolved, rate: u32) -> Result<Option<HoursLine>> {
        let name = |key: &MemberKey| {
            self.member_name(key)
                .unwrap_or_else(|| key.key_id().to_string())
        };
        let (claim, state, quarters, points_, reason, decided, edited_after, overruled_by) =
            match r.status {
                Status::Pending(c) | Status::Withdrawn(c) => {
                    let q = c.check().unwrap_or(0);
                    let state = if c.withdrawn {
                        HoursState::Withdrawn
                    } else {
                        HoursState::Pending
                    };
                    (c, state, q, points(q, rate), None, None, false, Vec::new())
                }
                Status::Decided {
                    decision,
                    by,
                    claim: Some(c),
                    edited_after,
                    overruled,
                } => {
                    let decided = Some((name(&by), decision.decided_at));
                    let others = overruled.iter().map(|(k, _)| name(k)).collect();
                    match decision.verdict {
                        Verdict::Approved { quarters, points } => (
                            c,
                            HoursState::Approved,
                            quarters,
                            points,
                            None,
                            decided,
                            edited_after,
                            others,
                        ),
                        Verdict::Declined { reason } => {
                            let q = c.check().unwrap_or(0);
                            (
                                c,
                                HoursState::Declined,
                                q,
                                0,
                                Some(reason),
                                decided,
                                edited_after,
                                others,
                            )
                        }
                    }
                }
                Status::Decided { claim: None, .. } => return Ok(None),
            };
        let (decided_by, decided_at) = match decided {
            Some((by, at)) => (Some(by), Some(at)),
            None => (None, None),
        };
        Ok(Some(HoursLine {
            claim: r.id,
            title: self.work_title(ctx, &claim.work)?,
            work: claim.work,
            date: claim.date,
            span: claim.span,
            quarters,
            note: claim.note,
            state,
            points: points_,
            reason,
            decided_by,
            decided_at,
            overruled_by,
            edited_after,
        }))
    }

    /// Claims waiting for a coordinator among `all` (every claim of the
    /// volunteers concerned, see [`claims`]), with the volunteer and their
    /// document (for the review queue, through `accounts.rs`).
    pub(crate) fn hours_waiting(
        &self,
        ctx: &Ctx,
        who: &Authority,
        all: Vec<Resolved>,
    ) -> Result<Vec<(MemberKey, String, HoursLine)>> {
        let rules = super::rules::in_force(&self.conn, ctx, who)?;
        let earned = earned_by_day(&all, who);
        let mut out = Vec::new();
        for r in all {
            if !matches!(r.status, Status::Pending(_)) {
                continue;
            }
            let (volunteer, doc) = (r.volunteer, r.doc.clone());
            if let Some(mut line) = self.line(ctx, r, rules.per_hour)? {
                let before = earned
                    .get(&(who.identity(&volunteer), line.date))
                    .copied()
                    .unwrap_or(0);
                line.points = rules.within_cap(before, line.points);
                out.push((volunteer, doc, line));
            }
        }
        out.sort_by(|a, b| (a.2.date, &a.2.title).cmp(&(b.2.date, &b.2.title)));
        Ok(out)
    }

    /// Approves (at the rate in force, within the daily cap, in the order
    /// given) or declines claims that wait for a coordinator; returns how
    /// many were decided. Never one's own: those are passed over, or
    /// refused when they are all that was asked.
    pub fn decide_hours(&mut self, ids: &[HoursRef], decline: Option<&str>) -> Result<u32> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let decline = match decline.map(str::trim) {
            None => None,
            Some("") => {
                return Err(Refused::InvalidField {
                    field: "reason",
                    problem: FieldProblem::Required,
                }
                .into())
            }
            Some(r) if r.chars().count() > MAX_TEXT => {
                return Err(Refused::InvalidField {
                    field: "reason",
                    problem: FieldProblem::TooLong,
                }
                .into())
            }
            Some(r) => Some(r.to_owned()),
        };
        let rules = super::rules::in_force(&self.conn, &ctx, &who)?;
        let all = claims(&self.conn, &ctx, &who, None)?;
        let mut earned = earned_by_day(&all, &who);
        let mut waiting: Vec<(HourClaimId, MemberKey, HourClaim)> = all
            .into_iter()
            .filter(|r| {
                ids.contains(&HoursRef {
                    claim: r.id,
                    volunteer: r.volunteer,
                })
            })
            .filter_map(|r| match r.status {
                Status::Pending(c) => Some((r.id, r.volunteer, c)),
                _ => None,
            })
            .collect();
        // Under a daily cap the order matters: the order asked in.
        waiting
            .sort_by_key(|(id, v, _)| ids.iter().position(|i| i.claim == *id && i.volunteer == *v));
        // Never one's own: in a whole day's batch they are passed over (and
        // wait for another coordinator); asked for alone, the answer says why.
        if !waiting.is_empty() && waiting.iter().all(|(_, v, _)| *v == ctx.me) {
            return Err(Refused::OwnHours.into());
        }
        waiting.retain(|(_, v, _)| *v != ctx.me);
        let decided_at = self.signing_time(&ctx)?;
        let mut staged = Vec::new();
        for (id, volunteer, claim) in &waiting {
            let verdict = match &decline {
                Some(reason) => Verdict::Declined {
                    reason: reason.clone(),
                },
                None => {
                    let quarters = claim.check().unwrap_or(0);
                    let day = earned
                        .entry((who.identity(volunteer), claim.date))
                        .or_insert(0);
                    let points = rules.within_cap(*day, points(quarters, rules.per_hour));
                    *day += points;
                    Verdict::Approved { quarters, points }
                }
            };
            let decision = HourDecision {
                community: ctx.community,
                claim: *id,
                volunteer: *volunteer,
                version: claim.version,
                verdict,
                decided_at,
            };
            let i = self.stage_into(
                &mut staged,
                DocId::ledger(ctx.community, volunteer, decided_at),
            )?;
            staged[i].put(HOUR_DECISION.key(id), &Signed::seal(&self.key, &decision))?;
        }
        self.commit(staged, &[])?;
        if !waiting.is_empty() {
            self.changed.insert(Table::Review);
        }
        Ok(u32::try_from(waiting.len()).unwrap_or(u32::MAX))
    }
}

/// Lines of a wallet for approved hours: (when decided, title, points).
pub(crate) fn wallet_lines(
    engine: &Engine,
    ctx: &Ctx,
    who: &Authority,
    member: &MemberKey,
) -> Result<Vec<(DateTime<Utc>, String, u64)>> {
    let mut out = Vec::new();
    for r in claims(&engine.conn, ctx, who, Some(&who.keys_of(member)))? {
        if let Some((claim, at, points)) = approval(&r.status) {
            out.push((at, engine.work_title(ctx, &claim.work)?, points));
        }
    }
    Ok(out)
}
