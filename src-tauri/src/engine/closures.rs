//! How a payment request ends: its payee's signed closure, naming the
//! payment it took, or none when it expired unpaid. A payment counts only
//! once its payee's closure names it (see [`judged`](super::payments::judged)),
//! so a payment code shown and never scanned — the customer walked away,
//! the scanner failed — moves nothing, however the payer's phone syncs.
//!
//! A payee's device closes a request as it takes a payment for it, and
//! closes its expired unpaid requests before every sync. A coordinator's
//! device copies closures into the ledger documents of the payers whose
//! payments they judge, so a payer's phone learns the verdict at its next
//! sync with the community house. Until then a payment waits on the payer's
//! phone: shown, and held back from what can be spent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use nabo_shared::api::Table;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::EntryId;
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::rewards::ledger::Account;
use nabo_shared::rewards::payments::PaymentClosed;
use nabo_shared::signed::Signed;
use rusqlite::{params, Connection};

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::payments::{payee_signed, payee_text, Scope, SCOPED};
use super::sql::{key_of, time_of, ts};
use super::{Ctx, Engine};

/// `closed-request/<reference, hex>`: a payee's closure of one of its
/// payment requests, in the payee's ledger document of the month (a
/// partner's, or the coordinator's own for the community house), or copied
/// into a payer's by a coordinator's device.
pub(crate) const CLOSURE: Kind<PaymentClosed> = Kind::new(KindDecl {
    record: RecordKind::PaymentClosed,
    prefix: "closed-request",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Subject,
    superseded_by: "nothing: a request is closed once; only a device of the partner that made \
                    the request, or a coordinator's for the community house, may close it; a \
                    payment counts when any such closure names it",
    tables: &[TableDecl {
        table: Table::PaymentClosures,
        columns: "community TEXT NOT NULL, payee TEXT NOT NULL, reference TEXT NOT NULL, \
                  paid TEXT, signer TEXT NOT NULL, at TEXT NOT NULL, bytes BLOB NOT NULL",
        // Holds what judging a request reads (all but the signed bytes).
        indexes: &["CREATE INDEX IF NOT EXISTS closures_of_request \
                    ON payment_closures(community, payee, reference, paid, signer, at)"],
        signed_at: None,
    }],
    project: project_closure,
});

fn project_closure(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let c = kinds::open::<PaymentClosed>(bytes)?;
    let v = &c.value;
    if hex::encode(v.reference) != id {
        return Err(RecordProblem::UnknownKey.into());
    }
    row.expect(v.community == row.doc.community)?;
    row.insert(
        Table::PaymentClosures,
        &[
            &row.doc.community.to_string(),
            &payee_text(&v.payee),
            &id,
            &v.paid.map(|p| p.to_string()),
            &c.signer.to_hex(),
            &ts(v.at),
            &bytes.to_vec(),
        ],
    )
}

/// A closure as stored.
struct Stored {
    payee: String,
    reference: String,
    paid: Option<String>,
    /// When its payee signed it, by the payee's clock.
    at: DateTime<Utc>,
    /// The signed closure, when the query read it (the relay copies it;
    /// judging needs only the columns).
    bytes: Option<Vec<u8>>,
}

/// The closures of the requests of `scope` signed by their payee (see
/// [`payee_signed`]), each copy once.
fn entitled(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    scope: Scope<'_>,
) -> Result<Vec<Stored>> {
    let mut stmt = match scope {
        Scope::All => conn.prepare_cached(
            "SELECT payee, reference, paid, signer, at, NULL FROM payment_closures
              WHERE community = ?1 AND ?2 IS NULL",
        )?,
        Scope::Keys(_) => conn.prepare_cached(&format!(
            "WITH {SCOPED}
             SELECT payee, reference, paid, signer, at, NULL FROM payment_closures
              WHERE community = ?1 AND (payee, reference) IN scoped"
        ))?,
    };
    signed_by_payee(
        &mut stmt,
        params![ctx.community.to_string(), scope.json()],
        who,
    )
}

/// The closures a statement selects (payee, reference, paid, signer, at,
/// bytes) that their payee signed (see [`payee_signed`]).
fn signed_by_payee(
    stmt: &mut rusqlite::CachedStatement<'_>,
    params: impl rusqlite::Params,
    who: &Authority,
) -> Result<Vec<Stored>> {
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<Vec<u8>>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (payee, reference, paid, signer, at, bytes) in rows {
        let at = time_of(&at)?;
        if payee_signed(who, &payee, &key_of(&signer)?, at)? {
            out.push(Stored {
                payee,
                reference,
                paid,
                at,
                bytes,
            });
        }
    }
    Ok(out)
}

/// The requests their payee closed, by payee and reference the way
/// `payments` stores them (so a payment's request is found without
/// copying either), with the payments the closures name (none when the
/// request expired unpaid), each with when its payee first said it took
/// it (by the payee's clock: the device that took it).
pub(crate) fn closed(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    scope: Scope<'_>,
) -> Result<Closed> {
    let mut out = Closed::new();
    for c in entitled(conn, ctx, who, scope)? {
        let named = out
            .entry(c.payee)
            .or_default()
            .entry(c.reference)
            .or_default();
        if let Some(paid) = c.paid {
            match named.iter_mut().find(|(id, _)| *id == paid) {
                Some((_, first)) => *first = (*first).min(c.at),
                None => named.push((paid, c.at)),
            }
        }
    }
    Ok(out)
}

/// Closed requests: payee → reference → the payments named, each with
/// when its payee first said it took it (a list: nearly always one, and a
/// five-year hub holds a hundred thousand of them while judging).
pub(crate) type Closed = BTreeMap<String, BTreeMap<String, Vec<(String, DateTime<Utc>)>>>;

impl Engine {
    /// This payee's signed closure of its request `reference`.
    pub(crate) fn closure(
        &self,
        ctx: &Ctx,
        payee: Account,
        reference: [u8; 16],
        paid: Option<EntryId>,
    ) -> Result<(Signed<PaymentClosed>, chrono::DateTime<chrono::Utc>)> {
        let at = self.signing_time(ctx)?;
        let closure = PaymentClosed {
            community: ctx.community,
            payee,
            reference,
            paid,
            at,
        };
        Ok((Signed::seal(&self.key, &closure), at))
    }

    /// Closes this device's own requests that are not closed yet: those
    /// paid (a store from before closures), and those that expired unpaid
    /// by this device's clock. Done before every sync; returns how many.
    pub(crate) fn close_requests(&mut self, ctx: &Ctx) -> Result<u32> {
        let now = self.now();
        let mut stmt = self.conn.prepare_cached(
            "SELECT reference, paid_by, expires_at FROM payment_requests
              WHERE reference NOT IN (SELECT reference FROM payment_closures WHERE signer = ?1)",
        )?;
        let open = stmt
            .query_map([ctx.me.to_hex()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let mut ended = Vec::new();
        for (reference, paid, expires) in open {
            if paid.is_none() && time_of(&expires)? >= now {
                continue;
            }
            let reference: [u8; 16] = hex::decode(&reference)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| EngineError::corrupt("request reference", &reference))?;
            let paid = paid
                .map(|p| super::sql::parse::<EntryId>(&p, "payment id"))
                .transpose()?;
            ended.push((reference, paid));
        }
        if ended.is_empty() {
            return Ok(0);
        }
        let who = self.authority(ctx)?;
        // A device that is no longer a payee has nobody to close them for.
        let Ok(payee) = self.payee_account(ctx, &who) else {
            return Ok(0);
        };
        let home = match payee {
            Account::Member(partner) => partner,
            Account::Community => ctx.me,
        };
        let mut staged = Vec::new();
        for (reference, paid) in &ended {
            let (signed, at) = self.closure(ctx, payee, *reference, *paid)?;
            let i = self.stage_into(&mut staged, DocId::ledger(ctx.community, &home, at))?;
            staged[i].put(CLOSURE.key(hex::encode(reference)), &signed)?;
        }
        self.commit(staged, &[])?;
        Ok(ended.len() as u32)
    }

    /// A coordinator's device copies payees' closures into the ledger
    /// documents of the payers whose payments they judge (the document of
    /// the payment's month), so a payer's phone learns whether its payment
    /// was taken. Looks only at closures and payments that arrived since
    /// the last relay (all of them after the community document changed).
    /// Returns how many copies.
    pub(crate) fn relay_closures(&mut self, ctx: &Ctx) -> Result<u32> {
        let who = self.authority(ctx)?;
        let (after_closure, after_payment) = self.relayed_up_to;
        let last = |table: &str| -> Result<i64> {
            Ok(self.conn.query_row(
                &format!("SELECT COALESCE(MAX(rowid), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )?)
        };
        let up_to = (last("payment_closures")?, last("payments")?);
        // The new closures, and the closures of requests with new payments
        // (by rowid range: the unary `+` keeps SQLite off the community
        // index, which walked every closure and payment each time).
        let mut stmt = self.conn.prepare_cached(
            "SELECT payee, reference, paid, signer, at, bytes FROM payment_closures
              WHERE +community = ?1 AND rowid > ?2
             UNION
             SELECT c.payee, c.reference, c.paid, c.signer, c.at, c.bytes
               FROM payments p JOIN payment_closures c
                 ON c.community = p.community AND c.payee = p.payee AND c.reference = p.reference
              WHERE +p.community = ?1 AND p.rowid > ?3",
        )?;
        let closures = signed_by_payee(
            &mut stmt,
            params![ctx.community.to_string(), after_closure, after_payment],
            &who,
        )?;
        drop(stmt);
        let mut payers = self.conn.prepare_cached(
            "SELECT DISTINCT payer, at FROM payments
              WHERE community = ?1 AND payee = ?2 AND reference = ?3",
        )?;
        // A copy there counts only if its payee signed it (the payer may
        // have put her own under the key).
        let mut held = self.conn.prepare_cached(
            "SELECT signer, at FROM payment_closures
              WHERE community = ?1 AND payee = ?2 AND reference = ?3 AND doc_id = ?4",
        )?;
        let mut wanted: Vec<(DocId, &Stored)> = Vec::new();
        for c in &closures {
            let found = payers
                .query_map(
                    params![ctx.community.to_string(), c.payee, c.reference],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (payer, at) in found {
                let payer: MemberKey = key_of(&payer)?;
                let home = DocId::ledger(ctx.community, &payer, time_of(&at)?);
                let copies = held
                    .query_map(
                        params![
                            ctx.community.to_string(),
                            c.payee,
                            c.reference,
                            home.to_string()
                        ],
                        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let mut there = false;
                for (signer, at) in copies {
                    there |= payee_signed(&who, &c.payee, &key_of(&signer)?, time_of(&at)?)?;
                }
                let queued = wanted
                    .iter()
                    .any(|(doc, w)| *doc == home && w.reference == c.reference);
                if !there && !queued {
                    wanted.push((home, c));
                }
            }
        }
        drop((payers, held));
        let mut staged = Vec::new();
        for (home, c) in &wanted {
            let signed = c
                .bytes
                .as_deref()
                .and_then(|bytes| Signed::<PaymentClosed>::from_bytes(bytes).ok())
                .ok_or_else(|| EngineError::corrupt("closure", &c.reference))?;
            let i = self.stage_into(&mut staged, *home)?;
            staged[i].put(CLOSURE.key(&c.reference), &signed)?;
        }
        let n = wanted.len() as u32;
        if n > 0 {
            self.commit(staged, &[])?;
        }
        self.relayed_up_to = up_to;
        Ok(n)
    }
}
