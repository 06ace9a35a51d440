//! The small-grants pool and the neighbourhood budget's account (the
//! records, who writes them and what supersedes them, are in
//! `nabo_shared::budget::pool`).
//!
//! Every device decides the same way from the same records: the newest
//! pool settings signed in office name the panel; each panel member's
//! newest vote on an application's newest version counts; more than half
//! the panel (the applicant left out, when on it) grants. A payout counts
//! in its newest version signed by a coordinator in office then.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, Utc};
use nabo_shared::api::{Missing, Table};
use nabo_shared::budget::pool::{
    AccountLine, AccountView, Application, ApplicationView, Decision, Owed, PaidFor, PanelMember,
    PanelVote, Payout, PayoutView, Pool, PoolProblem, PoolSettings, PoolView, RecordPayout,
    SaveApplication, SavePool, VoteView,
};
use nabo_shared::budget::report::Funding;
use nabo_shared::budget::round::OutcomeRule;
use nabo_shared::crypto::MemberKey;
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::{ApplicationId, PayoutId};
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, Writer};
use nabo_shared::signed::Signed;
use nabo_shared::time::local_day;
use rusqlite::params;

use super::budget::{blob, invalid, just_after, newest, Stored};
use super::docs::{DocId, DocKind};
use super::error::{Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::ts;
use super::{random, Ctx, Engine};

/// `pool`: a version of the pool's settings, signed by a coordinator.
pub(crate) const POOL: Kind<Pool> = Kind::new(KindDecl {
    record: RecordKind::Pool,
    prefix: "pool",
    singleton: true,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer version signed by a coordinator (the newest `updated_at` counts; \
                    ties: the smaller signature)",
    tables: &[TableDecl {
        table: Table::Pools,
        columns: "community TEXT NOT NULL, updated_at TEXT NOT NULL, signer TEXT NOT NULL, \
                  record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: Some("updated_at"),
    }],
    project: project_pool,
});

/// `application/<id>`: a version of an application, signed by its
/// applicant.
pub(crate) const APPLICATION: Kind<Application> = Kind::new(KindDecl {
    record: RecordKind::Application,
    prefix: "application",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "a newer version of the same application signed by the same applicant, until \
                    the panel decided on a version: that one stands, with its decision (votes \
                    name the version they are on); another member's versions under the same id \
                    are an application of their own",
    tables: &[TableDecl {
        table: Table::Applications,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, applicant TEXT NOT NULL, \
                  updated_at TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_application,
});

/// `panel-vote/<application>`: a panel member's vote, signed with their
/// own key.
pub(crate) const PANEL_VOTE: Kind<PanelVote> = Kind::new(KindDecl {
    record: RecordKind::PanelVote,
    prefix: "panel-vote",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "a newer vote of the same panel member on the same application (the newest \
                    `voted_at` of any of their keys counts; ties: the smaller signature); only \
                    members of the panel in force count, and only on the newest version",
    tables: &[TableDecl {
        table: Table::PanelVotes,
        columns: "application TEXT NOT NULL, community TEXT NOT NULL, voter TEXT NOT NULL, \
                  voted_at TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_vote,
});

/// `payout/<id>`: a version of a payout, signed by a coordinator.
pub(crate) const PAYOUT: Kind<Payout> = Kind::new(KindDecl {
    record: RecordKind::Payout,
    prefix: "payout",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer version of the same payout signed by a coordinator, which can only \
                    cancel it with a reason (the newest `recorded_at` counts; ties: the smaller \
                    signature)",
    tables: &[TableDecl {
        table: Table::Payouts,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, recorded_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: Some("recorded_at"),
    }],
    project: project_payout,
});

fn project_pool(row: &Row<'_>, _: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let p = kinds::open::<Pool>(bytes)?;
    row.expect(p.value.community == row.doc.community)?;
    p.value.check().map_err(invalid)?;
    row.insert(
        Table::Pools,
        &[
            &row.doc.community.to_string(),
            &ts(p.value.updated_at),
            &p.signer.to_hex(),
            &blob(&p.value)?,
            &p.sig.to_vec(),
        ],
    )
}

fn project_application(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let application: ApplicationId = kinds::id_of(id)?;
    let a = kinds::open::<Application>(bytes)?;
    let v = &a.value;
    row.expect(v.community == row.doc.community && v.id == application && v.applicant == a.signer)?;
    v.check().map_err(invalid)?;
    row.insert(
        Table::Applications,
        &[
            &application.to_string(),
            &row.doc.community.to_string(),
            &v.applicant.to_hex(),
            &ts(v.updated_at),
            &blob(v)?,
            &a.sig.to_vec(),
        ],
    )
}

fn project_vote(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let application: ApplicationId = kinds::id_of(id)?;
    let vote = kinds::open::<PanelVote>(bytes)?;
    let v = &vote.value;
    row.expect(v.community == row.doc.community && v.application == application)?;
    v.check().map_err(invalid)?;
    row.insert(
        Table::PanelVotes,
        &[
            &application.to_string(),
            &row.doc.community.to_string(),
            &vote.signer.to_hex(),
            &ts(v.voted_at),
            &blob(v)?,
            &vote.sig.to_vec(),
        ],
    )
}

fn project_payout(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let payout: PayoutId = kinds::id_of(id)?;
    let p = kinds::open::<Payout>(bytes)?;
    row.expect(p.value.community == row.doc.community && p.value.id == payout)?;
    p.value.check().map_err(invalid)?;
    row.insert(
        Table::Payouts,
        &[
            &payout.to_string(),
            &row.doc.community.to_string(),
            &ts(p.value.recorded_at),
            &p.signer.to_hex(),
            &blob(&p.value)?,
            &p.sig.to_vec(),
        ],
    )
}

/// An application: its id and its applicant.
type AppKey = (ApplicationId, MemberKey);

/// One version of an application: its key and its `updated_at`.
type VersionKey = (AppKey, DateTime<Utc>);

/// The pool as every device decides it.
struct PoolState {
    /// The settings in force.
    pool: Option<Pool>,
    /// Each application's versions, oldest first.
    apps: BTreeMap<AppKey, Vec<Application>>,
    /// The votes that count on each version, by panel member.
    votes: BTreeMap<VersionKey, BTreeMap<MemberKey, Stored<PanelVote>>>,
    /// Each applicant's identity.
    applicants: BTreeMap<MemberKey, MemberKey>,
}

impl PoolState {
    fn newest(&self, key: &AppKey) -> &Application {
        self.apps[key].last().expect("an application has a version")
    }

    /// How many of the panel vote on an application of `applicant`
    /// (a panel member does not vote on their own).
    fn voters(&self, applicant: &MemberKey) -> usize {
        let Some(pool) = &self.pool else { return 0 };
        let own = self.applicants.get(applicant).unwrap_or(applicant);
        pool.panel.iter().filter(|m| *m != own).count()
    }

    /// The votes that count on one version.
    fn votes_on(
        &self,
        key: &AppKey,
        version: &Application,
    ) -> Option<&BTreeMap<MemberKey, Stored<PanelVote>>> {
        self.votes.get(&(*key, version.updated_at))
    }

    /// The version in force and its decision: the newest version the panel
    /// decided on (a version signed after a decision changes nothing, so
    /// an applicant cannot undo a grant or a no), else the newest.
    fn in_force(&self, key: &AppKey) -> (&Application, Decision) {
        let voters = self.voters(&key.1);
        for version in self.apps[key].iter().rev() {
            let votes = self.votes_on(key, version);
            let count =
                |yes: bool| votes.map_or(0, |v| v.values().filter(|s| s.value.yes == yes).count());
            let decision = Decision::of(voters, count(true), count(false));
            if decision != Decision::Pending {
                return (version, decision);
            }
        }
        let newest = self.newest(key);
        let pending = if newest.withdrawn {
            Decision::Withdrawn
        } else {
            Decision::Pending
        };
        (newest, pending)
    }

    fn decision(&self, key: &AppKey) -> Decision {
        self.in_force(key).1
    }

    /// The granted applications, each in the version granted.
    fn granted(&self) -> impl Iterator<Item = (&AppKey, &Application)> {
        self.apps.keys().filter_map(|k| match self.in_force(k) {
            (a, Decision::Granted) => Some((k, a)),
            _ => None,
        })
    }
}

impl Engine {
    /// The pool settings, applications and the votes that count.
    fn pool_state(&self, ctx: &Ctx, who: &Authority) -> Result<PoolState> {
        let all: Vec<Stored<Pool>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM pools WHERE community = ?1 AND ?2 = ?2",
            "",
        )?;
        let pool = newest(
            all,
            |p| p.updated_at,
            |s| who.in_office_at(&s.signer, s.value.updated_at),
        )
        .map(|s| s.value);
        let versions: Vec<Stored<Application>> = self.stored(
            ctx,
            "SELECT record, applicant, sig FROM applications WHERE community = ?1 AND ?2 = ?2",
            "",
        )?;
        let mut apps: BTreeMap<AppKey, Vec<Application>> = BTreeMap::new();
        for s in versions {
            // Only members apply.
            if who.member(&s.value.applicant).is_some() {
                apps.entry((s.value.id, s.value.applicant))
                    .or_default()
                    .push(s.value);
            }
        }
        for versions in apps.values_mut() {
            // Same time: every field decides, the same on every device.
            versions.sort_by(|a, b| {
                (
                    a.updated_at,
                    &a.title,
                    &a.description,
                    a.cost,
                    &a.recipient,
                    a.withdrawn,
                )
                    .cmp(&(
                        b.updated_at,
                        &b.title,
                        &b.description,
                        b.cost,
                        &b.recipient,
                        b.withdrawn,
                    ))
            });
        }
        let applicants = apps
            .keys()
            .map(|(_, applicant)| (*applicant, who.identity(applicant)))
            .collect();
        let mut state = PoolState {
            pool,
            apps,
            votes: BTreeMap::new(),
            applicants,
        };
        let Some(pool) = &state.pool else {
            return Ok(state);
        };
        let panel: BTreeSet<MemberKey> = pool.panel.iter().copied().collect();
        let cast: Vec<Stored<PanelVote>> = self.stored(
            ctx,
            "SELECT record, voter, sig FROM panel_votes WHERE community = ?1 AND ?2 = ?2",
            "",
        )?;
        for s in cast {
            let member = who.identity(&s.signer);
            if !panel.contains(&member)
                || who.member(&s.signer).is_none()
                || who.shut_out(&s.signer)
            {
                continue;
            }
            let key = (s.value.application, s.value.applicant);
            let Some(versions) = state.apps.get(&key) else {
                continue;
            };
            let on = versions
                .iter()
                .any(|v| v.updated_at == s.value.version && !v.withdrawn);
            if !on || state.applicants.get(&key.1) == Some(&member) {
                continue;
            }
            let slot = state.votes.entry((key, s.value.version)).or_default();
            let better = slot.get(&member).is_none_or(|b| {
                (s.value.voted_at, std::cmp::Reverse(&s.sig))
                    > (b.value.voted_at, std::cmp::Reverse(&b.sig))
            });
            if better {
                slot.insert(member, s);
            }
        }
        Ok(state)
    }

    /// Each payout in its newest version signed in office, oldest first.
    fn payouts(&self, ctx: &Ctx, who: &Authority) -> Result<Vec<Stored<Payout>>> {
        let all: Vec<Stored<Payout>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM payouts WHERE community = ?1 AND ?2 = ?2",
            "",
        )?;
        let mut by_id: BTreeMap<PayoutId, Vec<Stored<Payout>>> = BTreeMap::new();
        for s in all {
            by_id.entry(s.value.id).or_default().push(s);
        }
        let mut out: Vec<Stored<Payout>> = by_id
            .into_values()
            .filter_map(|versions| {
                newest(
                    versions,
                    |p| p.recorded_at,
                    |s| who.in_office_at(&s.signer, s.value.recorded_at),
                )
            })
            .collect();
        out.sort_by(|a, b| {
            (a.value.paid_on, a.value.recorded_at).cmp(&(b.value.paid_on, b.value.recorded_at))
        });
        Ok(out)
    }

    fn name_of(who: &Authority, key: &MemberKey) -> String {
        who.member(key)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| key.key_id().to_string())
    }

    /// The pool: its settings, its applications with the panel's votes,
    /// and what is left.
    pub fn pool(&self) -> Result<PoolView> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let state = self.pool_state(&ctx, &who)?;
        let payouts = self.payouts(&ctx, &who)?;
        let me = who.identity(&ctx.me);
        let settings = state.pool.as_ref().map(|p| PoolSettings {
            amount: p.amount,
            cap: p.cap,
            days: p.days,
            panel: p
                .panel
                .iter()
                .map(|k| PanelMember {
                    name: Self::name_of(&who, k),
                    device: k.key_id().to_string(),
                    coordinator: who
                        .keys_of(k)
                        .iter()
                        .chain(std::iter::once(k))
                        .any(|k| who.is_coordinator(k)),
                })
                .collect(),
        });
        let on_panel = who.member(&ctx.me).is_some()
            && state.pool.as_ref().is_some_and(|p| p.panel.contains(&me));
        let days = u64::from(state.pool.as_ref().map_or(0, |p| p.days));
        let mut applications: Vec<ApplicationView> = state
            .apps
            .keys()
            .map(|key| {
                let (a, decision) = state.in_force(key);
                let sent_on = local_day(a.updated_at, ctx.tz);
                let votes = state.votes_on(key, a);
                let paid = payouts
                    .iter()
                    .filter(|p| {
                        !p.value.cancelled
                            && p.value.paid_for == PaidFor::Grant { application: key.0 }
                    })
                    .map(|p| p.value.amount)
                    .sum();
                ApplicationView {
                    id: key.0,
                    title: a.title.clone(),
                    description: a.description.clone(),
                    cost: a.cost,
                    recipient: a.recipient.clone(),
                    applicant: Self::name_of(&who, &key.1),
                    mine: who.identity(&key.1) == me,
                    sent_on,
                    due: sent_on.checked_add_days(Days::new(days)).unwrap_or(sent_on),
                    decision,
                    votes: votes
                        .map(|v| {
                            v.iter()
                                .map(|(member, s)| VoteView {
                                    by: Self::name_of(&who, member),
                                    yes: s.value.yes,
                                    note: s.value.note.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    my_vote: votes.and_then(|v| v.get(&me)).map(|s| s.value.yes),
                    paid,
                }
            })
            .collect();
        applications.sort_by(|a, b| {
            (
                a.decision != Decision::Pending,
                std::cmp::Reverse(a.sent_on),
                &a.title,
            )
                .cmp(&(
                    b.decision != Decision::Pending,
                    std::cmp::Reverse(b.sent_on),
                    &b.title,
                ))
        });
        let granted: u64 = state.granted().map(|(_, a)| a.cost).sum();
        let left = state
            .pool
            .as_ref()
            .map_or(0, |p| p.amount as i64 - granted as i64);
        Ok(PoolView {
            settings,
            on_panel,
            applications,
            left,
        })
    }

    /// Sets up the pool or changes it (coordinators only).
    pub fn save_pool(&mut self, input: SavePool) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let panel = super::members::chosen_members(&who, &input.panel, "panel")?;
        let pool = Pool {
            community: ctx.community,
            amount: input.amount,
            cap: input.cap,
            days: input.days,
            panel,
            updated_at: self.after(
                &ctx,
                "pools",
                "updated_at",
                "community",
                &ctx.community.to_string(),
            )?,
        };
        pool.check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(POOL.singleton_key(), &Signed::seal(&self.key, &pool))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// A new application of this device's member, or a new version of one
    /// of theirs (until the panel votes on it).
    pub fn save_application(&mut self, input: SaveApplication) -> Result<ApplicationId> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::NotSetUp.into());
        }
        let state = self.pool_state(&ctx, &who)?;
        let pool = state
            .pool
            .as_ref()
            .ok_or(Refused::Pool(PoolProblem::NoPool))?;
        let id = match input.id {
            Some(id) => {
                let key = (id, ctx.me);
                if !state.apps.contains_key(&key) {
                    return Err(Refused::NotFound(Missing::Application).into());
                }
                if state.decision(&key) != Decision::Pending {
                    return Err(Refused::Pool(PoolProblem::Decided).into());
                }
                if state
                    .votes_on(&key, state.newest(&key))
                    .is_some_and(|v| !v.is_empty())
                {
                    return Err(Refused::Pool(PoolProblem::Voted).into());
                }
                id
            }
            None => ApplicationId::from_bytes(random()?),
        };
        let application = Application {
            id,
            community: ctx.community,
            applicant: ctx.me,
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
            cost: input.cost,
            recipient: input.recipient.trim().to_owned(),
            withdrawn: false,
            updated_at: self.after_own_application(&ctx, id)?,
        };
        application
            .check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        if application.cost > pool.cap {
            return Err(Refused::Pool(PoolProblem::OverCap { cap: pool.cap }).into());
        }
        self.put_application(&ctx, &application)?;
        Ok(id)
    }

    fn after_own_application(
        &self,
        ctx: &Ctx,
        id: ApplicationId,
    ) -> Result<chrono::DateTime<chrono::Utc>> {
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(updated_at) FROM applications
              WHERE community = ?1 AND id = ?2 AND applicant = ?3",
            params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
            |r| r.get(0),
        )?;
        just_after(newest.as_deref(), self.now())
    }

    fn put_application(&mut self, ctx: &Ctx, application: &Application) -> Result<()> {
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            APPLICATION.key(application.id),
            &Signed::seal(&self.key, application),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// Takes back one of this device's applications (until decided).
    pub fn withdraw_application(&mut self, id: ApplicationId) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let state = self.pool_state(&ctx, &who)?;
        let key = (id, ctx.me);
        if !state.apps.contains_key(&key) {
            return Err(Refused::NotFound(Missing::Application).into());
        }
        if state.decision(&key) != Decision::Pending {
            return Err(Refused::Pool(PoolProblem::Decided).into());
        }
        let mut application = state.newest(&key).clone();
        application.withdrawn = true;
        application.updated_at = self.after_own_application(&ctx, id)?;
        self.put_application(&ctx, &application)
    }

    /// This panel member's vote on an application's newest version,
    /// replacing an earlier one (until decided).
    pub fn vote_on_application(&mut self, id: ApplicationId, yes: bool, note: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let state = self.pool_state(&ctx, &who)?;
        let pool = state
            .pool
            .as_ref()
            .ok_or(Refused::Pool(PoolProblem::NoPool))?;
        let me = who.identity(&ctx.me);
        if who.member(&ctx.me).is_none() || !pool.panel.contains(&me) {
            return Err(Refused::Pool(PoolProblem::NotOnPanel).into());
        }
        let key = *state
            .apps
            .keys()
            .find(|(a, _)| *a == id)
            .ok_or(Refused::NotFound(Missing::Application))?;
        if who.identity(&key.1) == me {
            return Err(Refused::Pool(PoolProblem::OwnApplication).into());
        }
        if state.decision(&key) != Decision::Pending {
            return Err(Refused::Pool(PoolProblem::Decided).into());
        }
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(voted_at) FROM panel_votes
              WHERE community = ?1 AND application = ?2 AND voter = ?3",
            params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
            |r| r.get(0),
        )?;
        let vote = PanelVote {
            application: id,
            applicant: key.1,
            community: ctx.community,
            version: state.newest(&key).updated_at,
            yes,
            note: note.trim().to_owned(),
            voted_at: just_after(newest.as_deref(), self.now())?,
        };
        vote.check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PANEL_VOTE.key(id), &Signed::seal(&self.key, &vote))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// The account: each round's and the pool's budget, what they granted
    /// and paid, what is owed, and every payout.
    pub fn account(&self) -> Result<AccountView> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let payouts = self.payouts(&ctx, &who)?;
        let paid = |what: &dyn Fn(&PaidFor) -> bool| -> u64 {
            payouts
                .iter()
                .filter(|p| !p.value.cancelled && what(&p.value.paid_for))
                .map(|p| p.value.amount)
                .sum()
        };
        let mut lines = Vec::new();
        let mut owed = Vec::new();
        let mut rounds: Vec<_> = self.rounds_in_force(&ctx, &who)?.into_values().collect();
        rounds.sort_by(|a, b| (b.phases.ideas, &a.title).cmp(&(a.phases.ideas, &b.title)));
        for round in rounds {
            let mut granted = 0u64;
            let mut budget = round.amount;
            if let Some(tally) = self.tally_of(&ctx, &who, round.id)? {
                budget = tally.amount;
                let found = self.proposals_of(&ctx, &who, round.id)?;
                let report = self.report_of(&round, &tally, &found)?;
                for line in &report.projects {
                    let funded = match round.rule {
                        OutcomeRule::EqualShares => matches!(
                            line.equal_shares,
                            Funding::Paid { .. } | Funding::Completion
                        ),
                        OutcomeRule::Greedy => line.greedy,
                    };
                    let at = line.id.parse::<usize>().ok().and_then(|i| i.checked_sub(1));
                    let Some(&(proposal, cost)) = at.and_then(|i| tally.proposals.get(i)) else {
                        continue;
                    };
                    if !funded {
                        continue;
                    }
                    granted += cost;
                    let shown = found
                        .iter()
                        .find(|((p, _), f)| *p == proposal && f.on_ballot().is_some())
                        .map(|(_, f)| f.shown());
                    let paid_for = PaidFor::Project {
                        round: round.id,
                        proposal,
                    };
                    owed.push(Owed {
                        paid_for,
                        title: shown.map_or_else(|| line.name.clone(), |s| s.title.clone()),
                        recipient: shown.map(|s| s.recipient.clone()).unwrap_or_default(),
                        granted: cost,
                        paid: paid(&|p| *p == paid_for),
                    });
                }
            }
            lines.push(AccountLine {
                round: Some(round.id),
                title: round.title.clone(),
                budget,
                granted,
                paid: paid(&|p| matches!(p, PaidFor::Project { round: r, .. } if *r == round.id)),
                left: budget as i64 - granted as i64,
            });
        }
        let state = self.pool_state(&ctx, &who)?;
        if let Some(pool) = &state.pool {
            let mut granted = 0u64;
            for ((id, _), a) in state.granted() {
                granted += a.cost;
                let paid_for = PaidFor::Grant { application: *id };
                owed.push(Owed {
                    paid_for,
                    title: a.title.clone(),
                    recipient: a.recipient.clone(),
                    granted: a.cost,
                    paid: paid(&|p| *p == paid_for),
                });
            }
            lines.push(AccountLine {
                round: None,
                title: String::new(),
                budget: pool.amount,
                granted,
                paid: paid(&|p| matches!(p, PaidFor::Grant { .. })),
                left: pool.amount as i64 - granted as i64,
            });
        }
        let titles: BTreeMap<PaidFor, String> = state
            .apps
            .keys()
            .map(|k| {
                let title = state.in_force(k).0.title.clone();
                (PaidFor::Grant { application: k.0 }, title)
            })
            .chain(owed.iter().map(|o| (o.paid_for, o.title.clone())))
            .collect();
        let payouts = payouts
            .iter()
            .rev()
            .map(|p| PayoutView {
                id: p.value.id,
                title: titles.get(&p.value.paid_for).cloned().unwrap_or_default(),
                recipient: p.value.recipient.clone(),
                amount: p.value.amount,
                paid_on: p.value.paid_on,
                note: p.value.note.clone(),
                cancelled: p.value.cancelled,
                by: Self::name_of(&who, &p.signer),
            })
            .collect();
        Ok(AccountView {
            lines,
            owed,
            payouts,
        })
    }

    /// A payout for something granted, at most what is left to pay for it
    /// (coordinators only).
    pub fn record_payout(&mut self, input: RecordPayout) -> Result<()> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let account = self.account()?;
        let owed = account
            .owed
            .iter()
            .find(|o| o.paid_for == input.paid_for)
            .ok_or(Refused::Pool(PoolProblem::NotGranted))?;
        if input.paid_on > local_day(self.now(), ctx.tz) {
            return Err(Refused::InvalidField {
                field: "paid_on",
                problem: FieldProblem::OutOfRange,
            }
            .into());
        }
        let payout = Payout {
            id: PayoutId::from_bytes(random()?),
            community: ctx.community,
            paid_for: input.paid_for,
            recipient: owed.recipient.clone(),
            amount: input.amount,
            paid_on: input.paid_on,
            note: input.note.trim().to_owned(),
            cancelled: false,
            recorded_at: self.signing_time(&ctx)?,
        };
        payout
            .check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let left = owed.granted.saturating_sub(owed.paid);
        if input.amount > left {
            return Err(Refused::Pool(PoolProblem::OverGranted { left }).into());
        }
        self.put_payout(&ctx, &payout)
    }

    fn put_payout(&mut self, ctx: &Ctx, payout: &Payout) -> Result<()> {
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PAYOUT.key(payout.id), &Signed::seal(&self.key, payout))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// Cancels a payout recorded in error, with why (coordinators only):
    /// a newer version of it, so the first stays in the history.
    pub fn cancel_payout(&mut self, id: PayoutId, reason: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let mut payout = self
            .payouts(&ctx, &who)?
            .into_iter()
            .find(|p| p.value.id == id)
            .ok_or(Refused::NotFound(Missing::Payout))?
            .value;
        if payout.cancelled {
            return Err(Refused::Pool(PoolProblem::Cancelled).into());
        }
        payout.cancelled = true;
        payout.note = reason.trim().to_owned();
        payout.recorded_at = self.after(&ctx, "payouts", "recorded_at", "id", &id.to_string())?;
        payout
            .check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        self.put_payout(&ctx, &payout)
    }
}
