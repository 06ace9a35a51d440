//! Members' accounts as the counter, the members list and the review queue
//! read them, kept between calls: each member's balance, what their
//! payments still waiting for their payee hold back, the spendings that
//! overdrew the account, and their volunteer hours waiting for a
//! coordinator.
//!
//! Judging them takes every ledger entry, movement, payment and approved
//! hour of the neighbourhood (seconds on a five-year store), so the engine
//! keeps the verdicts and judges again only the accounts a commit could
//! have moved. Which those are follows from the rows a re-projected key
//! left in the ledger's tables ([`touched`]): a ledger entry or movement
//! moves whoever any version under its id names; a payment, its payee's
//! closure or refusal moves the payer and payee of every payment for the
//! same request (the earliest that counts decides); a return its partner;
//! an hour claim or decision its volunteer. Anything else that decides an
//! account (who counts as what, the rules, the activities) lives in the
//! community document. A change of it that touches the terms of office or
//! the rules drops the kept verdicts, as a rebuild or leaving does; one
//! that only places members anew (a member confirmed or revoked, a device
//! linked or retired, a partner) or edits activities marks the accounts it
//! can move ([`carry`]): those members', their payments' counterparts',
//! and, for activities, those with hours waiting (their lines name them).
//!
//! The verdicts are kept in the store too (`kept.rs`): opening the app
//! takes them up, with the accounts commits moved since it judged them.
//!
//! A member's account judged alone reads only the rows under their ids and
//! gives the verdict judging everyone gives them: the property tests in
//! `tests/engine.rs` check the kept verdicts against a judgement afresh
//! after random spending reaches devices in random orders
//! (`overspend_order`) and after random changes of who counts as what,
//! the activities and the rules between spendings (`kept_accounts`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use nabo_shared::api::Table;
use nabo_shared::crypto::MemberKey;
use nabo_shared::members::authority::Authority;
use nabo_shared::rewards::hours::HoursLine;
use nabo_shared::rewards::rules::Rules;
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

use super::error::{EngineError, Result};
use super::kept::{self, What};
use super::payments::{self, Overspend, Scope};
use super::sql::{key_of, keys_json, office_json};
use super::{hours, rewards, Ctx, Engine};

/// One member's account, judged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Account {
    balance: i64,
    /// What their payments still waiting for their payee's word hold back.
    held: i64,
    /// The spendings that overdrew it, in order.
    flags: Vec<Overspend>,
    /// Their volunteer hours waiting for a coordinator: the device that
    /// logged each, its document and its line.
    hours: Vec<(MemberKey, String, HoursLine)>,
    /// Where its points came from and went, besides payments and returns.
    sources: Sources,
}

/// What a member's account (or, added up, the community's) got from
/// check-ins, hours and coordinators' movements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sources {
    /// Points check-ins earned.
    pub checkins: i64,
    /// Points approved hours earned.
    pub hours: i64,
    /// Points coordinators gave (movements that add).
    pub given: i64,
    /// Points coordinators' corrections took back.
    pub taken: i64,
    /// Points that expired.
    pub expired: i64,
}

impl Sources {
    fn add(&mut self, flow: &rewards::AccountFlow) {
        use rewards::{FlowSource, MoveReason};
        let (delta, back) = (flow.delta, flow.delta.saturating_neg());
        match flow.source {
            FlowSource::Entry => self.checkins = self.checkins.saturating_add(delta),
            FlowSource::Hours => self.hours = self.hours.saturating_add(delta),
            FlowSource::Movement(reason) => {
                if delta > 0 {
                    self.given = self.given.saturating_add(delta);
                }
                if delta < 0 && reason == MoveReason::Correction {
                    self.taken = self.taken.saturating_add(back);
                }
                if reason == MoveReason::Expiry {
                    self.expired = self.expired.saturating_add(back);
                }
            }
        }
    }

    fn plus(self, other: &Sources) -> Sources {
        Sources {
            checkins: self.checkins.saturating_add(other.checkins),
            hours: self.hours.saturating_add(other.hours),
            given: self.given.saturating_add(other.given),
            taken: self.taken.saturating_add(other.taken),
            expired: self.expired.saturating_add(other.expired),
        }
    }
}

/// The community's points as a whole, from the kept verdicts.
pub(crate) struct Totals {
    /// Every member's balance added up.
    pub circulating: i64,
    /// Members with a balance above nothing.
    pub holders: usize,
    /// Every account's sources added up.
    pub sources: Sources,
}

/// Which figure of an account.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Figure {
    /// The balance: every point the account holds.
    Held,
    /// What the member can spend now: the balance, less their payments
    /// still waiting for their payee's word.
    Spendable,
}

impl Account {
    fn figure(&self, figure: Figure) -> i64 {
        match figure {
            Figure::Held => self.balance,
            Figure::Spendable => self.balance.saturating_sub(self.held),
        }
    }
}

/// The kept verdicts: every member with anything on their account, and the
/// keys whose accounts commits moved since.
#[derive(Debug, Default)]
pub(crate) struct Accounts {
    of: BTreeMap<MemberKey, Account>,
    stale: BTreeSet<MemberKey>,
}

impl Accounts {
    /// Marks the accounts of these keys (as stored: hex, or `community`)
    /// to be judged again.
    pub(crate) fn moved(&mut self, keys: impl IntoIterator<Item = String>) {
        // The community's own account ("community") is nobody's to keep.
        self.stale
            .extend(keys.into_iter().filter_map(|k| key_of(&k).ok()));
    }

    /// The verdicts the store keeps, if they hold for the community
    /// document's `heads` (on opening the store).
    pub(crate) fn restore(conn: &rusqlite::Connection, heads: &[u8]) -> Result<Option<Self>> {
        kept::restore(conn, What::Accounts, heads, |kept| {
            let mut of = BTreeMap::new();
            for (member, account) in kept.verdicts {
                let member = MemberKey::from_hex(&member).ok_or(member)?;
                let account = serde_json::from_str(&account).map_err(|e| e.to_string())?;
                of.insert(member, account);
            }
            let stale = kept
                .marks
                .into_iter()
                .map(|k| MemberKey::from_hex(&k).ok_or(k))
                .collect::<std::result::Result<_, _>>()?;
            Ok(Self { of, stale })
        })
    }
}

/// An account as the store keeps it (`None`: nothing on it).
fn kept_verdict(member: &MemberKey, account: Option<&Account>) -> (String, Option<String>) {
    (
        member.to_hex(),
        // Plain data: it always serializes (a failure would be read back
        // as unreadable, and everything judged again).
        account.map(|a| serde_json::to_string(a).unwrap_or_default()),
    )
}

/// The tables whose rows move members' accounts.
const LEDGER_TABLES: &[Table] = &[
    Table::Ledger,
    Table::Movements,
    Table::Payments,
    Table::PaymentClosures,
    Table::PaymentRefusals,
    Table::Returns,
    Table::HourClaims,
    Table::HourDecisions,
];

/// For each table, the keys (as stored) whose accounts the rows of one
/// document key (`?1`, `?2`) can move.
const MOVED_BY: &[(Table, &str)] = &[
    (
        Table::Ledger,
        "SELECT o.to_key FROM ledger l JOIN ledger o ON o.community = l.community AND o.id = l.id
          WHERE l.doc_id = ?1 AND l.doc_key = ?2",
    ),
    (
        Table::Movements,
        "SELECT o.member FROM movements m JOIN movements o ON o.community = m.community AND o.id = m.id
          WHERE m.doc_id = ?1 AND m.doc_key = ?2",
    ),
    (
        Table::Payments,
        "SELECT o.payer FROM payments p JOIN payments o
              ON o.community = p.community AND o.payee = p.payee AND o.reference = p.reference
          WHERE p.doc_id = ?1 AND p.doc_key = ?2
         UNION SELECT payee FROM payments WHERE doc_id = ?1 AND doc_key = ?2",
    ),
    (
        Table::PaymentClosures,
        "SELECT o.payer FROM payment_closures c JOIN payments o
              ON o.community = c.community AND o.payee = c.payee AND o.reference = c.reference
          WHERE c.doc_id = ?1 AND c.doc_key = ?2
         UNION SELECT payee FROM payment_closures WHERE doc_id = ?1 AND doc_key = ?2",
    ),
    (
        Table::PaymentRefusals,
        "SELECT o.payer FROM payment_refusals r
            JOIN payments p ON p.community = r.community AND p.id = r.payment
            JOIN payments o ON o.community = p.community AND o.payee = p.payee
                           AND o.reference = p.reference
          WHERE r.doc_id = ?1 AND r.doc_key = ?2
         UNION SELECT payer FROM payment_refusals WHERE doc_id = ?1 AND doc_key = ?2
         UNION SELECT payee FROM payment_refusals WHERE doc_id = ?1 AND doc_key = ?2",
    ),
    (
        Table::Returns,
        "SELECT o.partner FROM returns r JOIN returns o ON o.community = r.community AND o.id = r.id
          WHERE r.doc_id = ?1 AND r.doc_key = ?2",
    ),
    (
        Table::HourClaims,
        "SELECT volunteer FROM hour_claims WHERE doc_id = ?1 AND doc_key = ?2",
    ),
    (
        Table::HourDecisions,
        "SELECT volunteer FROM hour_decisions WHERE doc_id = ?1 AND doc_key = ?2
         UNION SELECT c.volunteer FROM hour_decisions d
            JOIN hour_claims c ON c.community = d.community AND c.id = d.claim
          WHERE d.doc_id = ?1 AND d.doc_key = ?2",
    ),
];

/// The keys (as stored) whose accounts the rows that document `doc_id`'s
/// key `key` left in `tables` (just re-projected) can move.
pub(super) fn touched(
    tx: &Transaction<'_>,
    doc_id: &str,
    key: &str,
    tables: &BTreeSet<Table>,
) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    for (table, sql) in MOVED_BY {
        if !tables.contains(table) {
            continue;
        }
        let mut stmt = tx.prepare_cached(sql)?;
        let rows = stmt.query_map(params![doc_id, key], |r| r.get::<_, String>(0))?;
        for row in rows {
            keys.push(row?);
        }
    }
    Ok(keys)
}

/// Whether a key's tables include any that moves accounts.
pub(super) fn moves_accounts(tables: &BTreeSet<Table>) -> bool {
    LEDGER_TABLES.iter().any(|t| tables.contains(t))
}

/// What kept verdicts rest on in the community document, read before a
/// commit that changes it.
pub(crate) struct Grounds {
    ctx: Ctx,
    who: Arc<Authority>,
    rules: Rules,
    /// Members with hours waiting (their lines name activities).
    pending: Vec<MemberKey>,
}

/// What a change of the community document leaves of the kept verdicts.
#[derive(Debug, Default)]
pub(crate) struct Carried {
    /// Keys (hex) whose accounts it can move; `None`: anyone's.
    pub accounts: Option<Vec<String>>,
    /// Whether what was found signed out of office still holds (the terms
    /// of office are the same).
    pub signatures: bool,
    /// Whether the change only placed members anew or touched activities
    /// (no rule or term of office changed): then only the check-ins
    /// of the keys in `accounts`, and of the activities it touched, can
    /// have become rewardable.
    pub members_only: bool,
}

/// At most this many accounts are judged again one by one after a change
/// of the community document (about 3 ms each on a five-year hub); past
/// it, judging everyone at once is as quick.
const AT_MOST_ONE_BY_ONE: usize = 300;

/// What the community document changed under the kept verdicts (`tx`
/// holds the change, `before` what it was): nothing kept holds if the
/// terms of office or the rules changed (a coordinator's signature is on
/// every entry); otherwise only the accounts of the members whose place in
/// the community changed, of everyone who paid or was paid by them or
/// paid for the same requests, and of members with hours waiting when the
/// activities changed (their lines name them).
pub(super) fn carry(
    tx: &Transaction<'_>,
    before: &Grounds,
    tables: &BTreeSet<Table>,
) -> Result<Carried> {
    let ctx = &before.ctx;
    let after = super::authority::load_authority(tx, ctx)?;
    let signatures = office_json(&before.who) == office_json(&after);
    if !signatures
        || before.who.coordinators != after.coordinators
        || super::rules::in_force(tx, ctx, &after)? != before.rules
    {
        return Ok(Carried {
            accounts: None,
            signatures,
            members_only: false,
        });
    }
    let mut keys = placed_anew(&before.who, &after);
    if tables.contains(&Table::Activities) {
        keys.extend(before.pending.iter().copied());
    }
    let keys = keys_json(&keys);
    let mut stmt = tx.prepare_cached(
        "WITH moved(key) AS (SELECT value FROM json_each(?2)),
              theirs AS (SELECT payee, reference FROM payments
                          WHERE community = ?1 AND (payer IN moved OR payee IN moved))
         SELECT key FROM moved
         UNION SELECT payee FROM theirs
         UNION SELECT o.payer FROM theirs t
                 JOIN payments o ON o.community = ?1 AND o.payee = t.payee
                                AND o.reference = t.reference",
    )?;
    let moved = stmt
        .query_map(params![ctx.community.to_string(), keys], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(Carried {
        accounts: (moved.len() <= AT_MOST_ONE_BY_ONE).then_some(moved),
        signatures,
        // Decided by the commit, which knows every table it touched.
        members_only: false,
    })
}

/// Every key of every member whose place in the community differs between
/// `before` and `after` (membership, name or role, revocation, devices
/// linked or retired), as each saw them.
fn placed_anew(before: &Authority, after: &Authority) -> BTreeSet<MemberKey> {
    fn differ<K: Ord + Copy, V: PartialEq>(
        a: &BTreeMap<K, V>,
        b: &BTreeMap<K, V>,
        out: &mut BTreeSet<K>,
    ) {
        out.extend(
            a.iter()
                .filter(|(k, v)| b.get(k) != Some(v))
                .map(|(k, _)| *k),
        );
        out.extend(
            b.iter()
                .filter(|(k, v)| a.get(k) != Some(v))
                .map(|(k, _)| *k),
        );
    }
    let mut keys = BTreeSet::new();
    differ(&before.members, &after.members, &mut keys);
    differ(&before.suspensions, &after.suspensions, &mut keys);
    differ(&before.retired, &after.retired, &mut keys);
    differ(&before.devices, &after.devices, &mut keys);
    keys.extend(before.revoked.symmetric_difference(&after.revoked));
    let mut every = BTreeSet::new();
    for key in keys {
        for who in [before, after] {
            let member = who.identity(&key);
            every.insert(key);
            every.extend(who.keys_of(&member));
        }
    }
    every
}

impl Engine {
    /// What the kept verdicts rest on, if any are kept (before a commit
    /// that may change the community document).
    pub(super) fn grounds(&mut self) -> Result<Option<Grounds>> {
        let pending = match self.accounts.get_mut() {
            Some(kept) => kept
                .of
                .iter()
                .filter(|(_, a)| !a.hours.is_empty())
                .map(|(m, _)| *m)
                .collect(),
            None if self.unentitled.get_mut().is_none() => return Ok(None),
            None => Vec::new(),
        };
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let rules = super::rules::in_force(&self.conn, &ctx, &who)?;
        Ok(Some(Grounds {
            ctx,
            who,
            rules,
            pending,
        }))
    }
}

impl Engine {
    /// Every member's account as kept (brought up to the store) and as
    /// judged afresh from every row, for tests that check one against the
    /// other.
    #[doc(hidden)]
    pub fn accounts_kept_and_afresh(&self) -> Result<(String, String)> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let kept = self.with_accounts(&ctx, &who, |of| format!("{of:#?}"))?;
        let afresh = format!("{:#?}", judge_all(self, &ctx, &who)?);
        Ok((kept, afresh))
    }
}

/// Every member's account, judged from every row at once.
fn judge_all(engine: &Engine, ctx: &Ctx, who: &Authority) -> Result<BTreeMap<MemberKey, Account>> {
    let ((claims, mut flows), judged) = beside_and_here(
        engine,
        |conn| {
            // The hour claims on a third connection while this one reads
            // the entries and movements, when this one is a reader of its
            // own (not inside a write transaction, whose rows a third
            // would not see).
            let third = conn
                .is_autocommit()
                .then(|| super::store::reader_beside(conn))
                .flatten();
            match third {
                Some(third) => std::thread::scope(|scope| {
                    let claims = scope.spawn(move || hours::claims(&third, ctx, who, None));
                    let flows = rewards::account_flows(conn, ctx, who, None, &[]);
                    let claims = claims.join().map_err(|_| {
                        EngineError::corrupt("judging", "the thread reading hours stopped")
                    })?;
                    Ok((claims?, flows?))
                }),
                None => Ok((
                    hours::claims(conn, ctx, who, None)?,
                    rewards::account_flows(conn, ctx, who, None, &[])?,
                )),
            }
        },
        |conn| payments::judged(conn, ctx, who),
    )?;
    flows.extend(rewards::hour_flows(who, &hours::credits_in(&claims))?);
    let returned = payments::returns(&engine.conn, ctx, who, Scope::All)?;
    judge(engine, ctx, who, flows, judged, &returned, claims)
}

/// One member's account, judged from their rows alone: the same verdict
/// judging everyone gives them. (On one connection: reading their payments
/// is most of it, and a second thread gained nothing measurable here.)
fn judge_one(engine: &Engine, ctx: &Ctx, who: &Authority, member: &MemberKey) -> Result<Account> {
    let conn = &engine.conn;
    let keys = who.keys_of(member);
    let claims = hours::claims(conn, ctx, who, Some(&keys))?;
    let flows = rewards::account_flows(conn, ctx, who, Some(member), &hours::credits_in(&claims))?;
    let judged = payments::judged_in(conn, ctx, who, Scope::Keys(&keys))?;
    let returned = payments::returns(conn, ctx, who, Scope::Keys(&keys))?;
    // Others' accounts appear in part (the payees of their payments, say):
    // only theirs is whole.
    Ok(judge(engine, ctx, who, flows, judged, &returned, claims)?
        .remove(member)
        .unwrap_or_default())
}

/// Runs `beside` on the engine's second, read-only connection on another
/// thread while `here` runs on its own, so judging everyone reads the
/// hours, entries and movements while it reads the payments (two cores). Both run on
/// the engine's connection inside a write transaction, whose rows the
/// second would not see, and for a store without a file.
fn beside_and_here<A: Send, B>(
    engine: &Engine,
    beside: impl FnOnce(&rusqlite::Connection) -> Result<A> + Send,
    here: impl FnOnce(&rusqlite::Connection) -> Result<B>,
) -> Result<(A, B)> {
    let conn = &engine.conn;
    let reader = if conn.is_autocommit() {
        engine
            .reader
            .borrow_mut()
            .take()
            .or_else(|| super::store::reader_beside(conn))
    } else {
        None
    };
    let Some(reader) = reader else {
        return Ok((beside(conn)?, here(conn)?));
    };
    std::thread::scope(|scope| {
        let thread = scope.spawn(move || {
            let read = beside(&reader);
            (reader, read)
        });
        let mine = here(conn);
        let (reader, read) = thread
            .join()
            .map_err(|_| EngineError::corrupt("judging", "the reading thread stopped"))?;
        *engine.reader.borrow_mut() = Some(reader);
        Ok((read?, mine?))
    })
}

/// The accounts that `flows` (entries, movements, approved hours), the
/// `judged` payments, the community's returns and the hour `claims` make.
fn judge(
    engine: &Engine,
    ctx: &Ctx,
    who: &Authority,
    flows: Vec<rewards::AccountFlow>,
    judged: payments::Judged,
    returned: &[payments::Returned],
    claims: Vec<hours::Resolved>,
) -> Result<BTreeMap<MemberKey, Account>> {
    let conn = &engine.conn;
    let mut of: BTreeMap<MemberKey, Account> = BTreeMap::new();
    // A balance is every flow of the account: entries, movements, hours,
    // and what payments and returns moved.
    let add = |account: &mut Account, delta: i64| -> Result<()> {
        account.balance = account
            .balance
            .checked_add(delta)
            .ok_or_else(|| EngineError::corrupt("balance past", account.balance))?;
        Ok(())
    };
    for f in &flows {
        let account = of.entry(f.member).or_default();
        add(account, f.delta)?;
        account.sources.add(f);
    }
    for (member, delta) in payments::flows(&judged.counted, returned, who) {
        add(of.entry(member).or_default(), delta)?;
    }
    for p in &judged.waiting {
        let held = &mut of.entry(who.identity(&p.payer)).or_default().held;
        *held = held.saturating_add(i64::try_from(p.amount).unwrap_or(i64::MAX));
    }
    let floor = payments::floor(conn, ctx, who)?;
    for (member, theirs) in payments::flag(&flows, &judged.counted, returned, who, floor) {
        of.entry(member).or_default().flags = theirs;
    }
    for waiting in engine.hours_waiting(ctx, who, claims)? {
        of.entry(who.identity(&waiting.0))
            .or_default()
            .hours
            .push(waiting);
    }
    of.retain(|_, a| *a != Account::default());
    Ok(of)
}

impl Engine {
    /// Brings the kept verdicts up to the store: all of them if none are
    /// kept, else the accounts commits moved since, then runs `read` on
    /// them.
    fn with_accounts<T>(
        &self,
        ctx: &Ctx,
        who: &Authority,
        read: impl FnOnce(&BTreeMap<MemberKey, Account>) -> T,
    ) -> Result<T> {
        let mut slot = self.accounts.borrow_mut();
        let accounts = match slot.as_mut() {
            Some(accounts) => accounts,
            None => {
                let of = judge_all(self, ctx, who)?;
                let heads = kept::community_heads(&self.conn, ctx.community)?;
                let verdicts: Vec<_> = of.iter().map(|(m, a)| kept_verdict(m, Some(a))).collect();
                kept::save(&self.conn, What::Accounts, Some(&heads), &verdicts);
                slot.insert(Accounts {
                    of,
                    stale: BTreeSet::new(),
                })
            }
        };
        if !accounts.stale.is_empty() {
            let members: BTreeSet<MemberKey> =
                accounts.stale.iter().map(|k| who.identity(k)).collect();
            let mut verdicts = Vec::new();
            // A key linked to a member since has no account of its own any
            // more: what it signed is the member's.
            for key in &accounts.stale {
                if who.identity(key) != *key && accounts.of.remove(key).is_some() {
                    verdicts.push(kept_verdict(key, None));
                }
            }
            for member in members {
                let account = judge_one(self, ctx, who, &member)?;
                if account == Account::default() {
                    accounts.of.remove(&member);
                    verdicts.push(kept_verdict(&member, None));
                } else {
                    verdicts.push(kept_verdict(&member, Some(&account)));
                    accounts.of.insert(member, account);
                }
            }
            kept::save(&self.conn, What::Accounts, None, &verdicts);
            accounts.stale.clear();
        }
        Ok(read(&accounts.of))
    }

    /// One figure of `member`'s account.
    pub(crate) fn balance_kept(
        &self,
        ctx: &Ctx,
        who: &Authority,
        member: &MemberKey,
        figure: Figure,
    ) -> Result<i64> {
        let member = who.identity(member);
        self.with_accounts(ctx, who, |of| {
            of.get(&member).map_or(0, |a| a.figure(figure))
        })
    }

    /// One figure of every member's account.
    pub(crate) fn balances_kept(
        &self,
        ctx: &Ctx,
        who: &Authority,
        figure: Figure,
    ) -> Result<BTreeMap<MemberKey, i64>> {
        self.with_accounts(ctx, who, |of| {
            of.iter().map(|(m, a)| (*m, a.figure(figure))).collect()
        })
    }

    /// The community's points as a whole: what circulates, how many hold
    /// any, and where they came from (the coordinator's currency screen).
    pub(crate) fn community_totals(&self, ctx: &Ctx, who: &Authority) -> Result<Totals> {
        self.with_accounts(ctx, who, |of| {
            of.values().fold(
                Totals {
                    circulating: 0,
                    holders: 0,
                    sources: Sources::default(),
                },
                |t, a| Totals {
                    circulating: t.circulating.saturating_add(a.balance),
                    holders: t.holders + usize::from(a.balance > 0),
                    sources: t.sources.plus(&a.sources),
                },
            )
        })
    }

    /// Volunteers' hours waiting for a coordinator, by day and title (see
    /// [`Engine::hours_waiting`]).
    pub(crate) fn waiting_hours(
        &self,
        ctx: &Ctx,
        who: &Authority,
    ) -> Result<Vec<(MemberKey, String, HoursLine)>> {
        self.with_accounts(ctx, who, |of| {
            let mut all: Vec<_> = of.values().flat_map(|a| a.hours.iter().cloned()).collect();
            all.sort_by(|a, b| {
                (a.2.date, &a.2.title, a.2.claim, a.0).cmp(&(b.2.date, &b.2.title, b.2.claim, b.0))
            });
            all
        })
    }

    /// The spendings that overdrew accounts (see [`payments::flag`]).
    pub(crate) fn account_flags(&self, ctx: &Ctx, who: &Authority) -> Result<Vec<Overspend>> {
        self.with_accounts(ctx, who, flags_of)
    }

    /// [`Engine::account_flags`] judged afresh from every row, nothing kept.
    pub(crate) fn flags_afresh(&self, ctx: &Ctx, who: &Authority) -> Result<Vec<Overspend>> {
        Ok(flags_of(&judge_all(self, ctx, who)?))
    }
}

/// Every account's flags, in one list: by member, then time and entry.
fn flags_of(of: &BTreeMap<MemberKey, Account>) -> Vec<Overspend> {
    let mut flags: Vec<Overspend> = of.values().flat_map(|a| a.flags.iter().cloned()).collect();
    flags.sort_by_key(|f| (f.member, f.at, f.entry));
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The projection's tables in memory, with rows as `(table, doc_key,
    /// values)`: every row in document `d`, community `c`.
    fn store(rows: &[(&str, &str, &str)]) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        super::super::sql::add_functions(&conn).unwrap();
        conn.execute_batch(&super::super::projection::schema())
            .unwrap();
        for (table, key, values) in rows {
            let columns = match *table {
                "ledger" => "id, community, to_key, amount, issued_at, signer",
                "movements" => "id, community, member, amount, reason, at, signer, sig",
                "payments" => "id, community, payer, payee, amount, reference, what, at, sig",
                "payment_closures" => "community, payee, reference, signer, at, bytes",
                "payment_refusals" => {
                    "community, payment, payer, payee, problem, signer, at, bytes"
                }
                "returns" => "id, community, partner, amount, note, at, sig",
                "hour_claims" => "id, community, volunteer, version, record, sig",
                "hour_decisions" => "claim, community, volunteer, decided_at, signer, record, sig",
                other => panic!("{other}"),
            };
            conn.execute(
                &format!(
                    "INSERT INTO {table} ({columns}, doc_id, doc_key, actor)
                     VALUES ({values}, 'd', '{key}', 'a')"
                ),
                [],
            )
            .unwrap();
        }
        conn
    }

    fn moved(conn: &mut rusqlite::Connection, table: Table, key: &str) -> Vec<String> {
        let tx = conn.transaction().unwrap();
        let mut keys = touched(&tx, "d", key, &BTreeSet::from([table])).unwrap();
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn a_row_moves_everyone_whose_verdict_it_can_change() {
        let mut conn = store(&[
            // Two versions under one entry id, to different members.
            ("ledger", "reward/1", "'e1', 'c', 'amina', 5, 't', 's'"),
            ("ledger", "reward/1-forged", "'e1', 'c', 'ole', 5, 't', 's'"),
            (
                "movements",
                "movement/1",
                "'m1', 'c', 'amina', 5, 'r', 't', 's', x''",
            ),
            (
                "movements",
                "movement/1b",
                "'m1', 'c', 'bo', 5, 'r', 't', 's', x''",
            ),
            // Two payments for one request of the café's.
            (
                "payments",
                "payment/1",
                "'p1', 'c', 'amina', 'cafe', 3, 'ref', 'w', 't', x''",
            ),
            (
                "payments",
                "payment/2",
                "'p2', 'c', 'bo', 'cafe', 3, 'ref', 'w', 't', x''",
            ),
            (
                "payment_closures",
                "closed-request/ref",
                "'c', 'cafe', 'ref', 's', 't', x''",
            ),
            (
                "payment_refusals",
                "refused-payment/p1",
                "'c', 'p1', 'amina', 'cafe', 'x', 's', 't', x''",
            ),
            ("returns", "return/1", "'r1', 'c', 'cafe', 3, 'n', 't', x''"),
            ("returns", "return/1b", "'r1', 'c', 'bar', 3, 'n', 't', x''"),
            ("hour_claims", "hours/h1", "'h1', 'c', 'amina', 1, x'', x''"),
            (
                "hour_decisions",
                "hour-decision/h1",
                "'h1', 'c', 'forged', 't', 's', x'', x''",
            ),
        ]);
        let cases: &[(Table, &str, &[&str])] = &[
            (Table::Ledger, "reward/1", &["amina", "ole"]),
            (Table::Movements, "movement/1", &["amina", "bo"]),
            (Table::Payments, "payment/1", &["amina", "bo", "cafe"]),
            (
                Table::PaymentClosures,
                "closed-request/ref",
                &["amina", "bo", "cafe"],
            ),
            (
                Table::PaymentRefusals,
                "refused-payment/p1",
                &["amina", "bo", "cafe"],
            ),
            (Table::Returns, "return/1", &["bar", "cafe"]),
            (Table::HourClaims, "hours/h1", &["amina"]),
            (
                Table::HourDecisions,
                "hour-decision/h1",
                &["amina", "forged"],
            ),
        ];
        for (table, key, want) in cases {
            assert_eq!(moved(&mut conn, *table, key), *want, "{table:?} {key}");
        }
        // Every table that moves accounts says whom.
        for table in LEDGER_TABLES {
            assert!(MOVED_BY.iter().any(|(t, _)| t == table), "{table:?}");
        }
    }
}
