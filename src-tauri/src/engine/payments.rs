//! Paying with points by QR, offline (the codes and their rules are in
//! `nabo_shared::rewards::payments`): a payee's request, the payer's signed
//! payment, the payee taking it, and which payments count.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use nabo_shared::api::Table;
use nabo_shared::codes::QrView;
use nabo_shared::crypto::MemberKey;
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::EntryId;
use nabo_shared::members::authority::Authority;
use nabo_shared::members::Role;
use nabo_shared::review::RecordProblem;
use nabo_shared::review::{RecordKind, Writer};
use nabo_shared::rewards::ledger::{Account, Movement, Reason, MAX_AMOUNT};
use nabo_shared::rewards::payments::{
    payment_for, payment_text, request_text, BalanceStatement, PaymentAsk, PaymentProblem,
    PaymentReceipt, PaymentRefused, PaymentRequest, PaymentWarning, MAX_NOTE, MAX_WHAT,
    REQUEST_SECONDS, STATEMENT_DAYS,
};
use nabo_shared::scan::{Scanned, ScannedRequest, Vouched};
use nabo_shared::signed::{Signed, Verified};
use rusqlite::{params, Connection, OptionalExtension};

use super::accounts::Figure;
use super::closures::CLOSURE;
use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{in_office, key_of, time_of, ts};
use super::{community, qr, random, Ctx, Engine};

/// The payee requests this device made (kept on this device only).
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS payment_requests (
    reference TEXT PRIMARY KEY,
    amount INTEGER NOT NULL,
    what TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    paid_by TEXT
);
";

/// `payment/<entry id>`: a payment, signed by the payer, in the payer's
/// ledger document of its month (or the partner's, who keeps the same
/// bytes when it takes the payment).
pub(crate) const PAYMENT: Kind<Movement> = Kind::new(KindDecl {
    record: RecordKind::Payment,
    prefix: "payment",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Subject,
    superseded_by: "nothing: a payment is immutable; a request counts the payment its payee's \
                    closure names, and of that payment's versions for the request the one for \
                    the most points (then the smaller signature)",
    tables: &[TableDecl {
        table: Table::Payments,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, payer TEXT NOT NULL, \
                  payee TEXT NOT NULL, amount INTEGER NOT NULL, reference TEXT NOT NULL, \
                  what TEXT NOT NULL, at TEXT NOT NULL, sig BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS payments_by_id ON payments(community, id)",
            // Holds the requests a member paid into (`SCOPED`), so
            // judging their account finds them without the table.
            "CREATE INDEX IF NOT EXISTS payments_by_payer_request \
             ON payments(community, payer, payee, reference)",
            // Holds what judging a request's payments reads (`judged_in`).
            "CREATE INDEX IF NOT EXISTS payments_of_request \
             ON payments(community, payee, reference, id, payer, amount, what, at, sig)",
        ],
        signed_at: None,
    }],
    project: project_payment,
});

/// `refused-payment/<payment id>`: a payee's refusal of a payment it was
/// shown, in the payer's ledger document (the community house's, written
/// by the coordinator's device that refused it, or relayed there by one) or
/// the partner's.
pub(crate) const REFUSAL: Kind<PaymentRefused> = Kind::new(KindDecl {
    record: RecordKind::PaymentRefused,
    prefix: "refused-payment",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Subject,
    superseded_by: "nothing: a payment its payee refused never counts; only a device of the                     partner paid, or a coordinator's for the community house, may refuse it",
    tables: &[TableDecl {
        table: Table::PaymentRefusals,
        columns: "community TEXT NOT NULL, payment TEXT NOT NULL, payer TEXT NOT NULL, \
                  payee TEXT NOT NULL, problem TEXT NOT NULL, signer TEXT NOT NULL, \
                  at TEXT NOT NULL, bytes BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS refusals_by_payment ON payment_refusals(community, payment)",
        ],
        signed_at: None,
    }],
    project: project_refusal,
});

fn project_refusal(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let payment: EntryId = kinds::id_of(id)?;
    let r = kinds::open::<PaymentRefused>(bytes)?;
    let v = &r.value;
    let at_payer = DocId::ledger(v.community, &v.payer, v.at) == *row.doc;
    let at_payee =
        matches!(v.payee, Account::Member(p) if DocId::ledger(v.community, &p, v.at) == *row.doc);
    row.expect(v.community == row.doc.community && v.payment == payment && (at_payer || at_payee))?;
    row.insert(
        Table::PaymentRefusals,
        &[
            &row.doc.community.to_string(),
            &payment.to_string(),
            &v.payer.to_hex(),
            &payee_text(&v.payee),
            &serde_json::to_string(&v.problem).map_err(|_| RecordProblem::Unreadable)?,
            &r.signer.to_hex(),
            &ts(v.at),
            &bytes.to_vec(),
        ],
    )
}

/// The payments their payee refused, as (payment id, payer, payee) the way
/// `payments` stores them: refusals signed by a device of the partner paid
/// (not taken away by then), or by a coordinator in office for the
/// community house. Of `scope`'s payments only, when scoped (a refusal
/// names one payment: those of other payments move nothing here).
fn refused(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    scope: Scope<'_>,
) -> Result<BTreeSet<(String, String, String)>> {
    let mut stmt = match scope {
        Scope::All => conn.prepare_cached(
            "SELECT DISTINCT payment, payer, payee, signer, at FROM payment_refusals
              WHERE community = ?1 AND ?2 IS NULL",
        )?,
        Scope::Keys(_) => conn.prepare_cached(&format!(
            "WITH {SCOPED}
             SELECT DISTINCT payment, payer, payee, signer, at FROM payment_refusals
              WHERE community = ?1 AND payment IN (
                  SELECT id FROM payments WHERE community = ?1 AND (payee, reference) IN scoped
              )"
        ))?,
    };
    let rows = stmt
        .query_map(params![ctx.community.to_string(), scope.json()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = BTreeSet::new();
    for (payment, payer, payee, signer, at) in rows {
        if payee_signed(who, &payee, &key_of(&signer)?, time_of(&at)?)? {
            out.insert((payment, payer, payee));
        }
    }
    Ok(out)
}

/// Whether `signer` may speak for the payee `payee` (as stored) at `at`: a
/// device of the partner, not taken away by then, or a coordinator in
/// office for the community house.
pub(crate) fn payee_signed(
    who: &Authority,
    payee: &str,
    signer: &MemberKey,
    at: DateTime<Utc>,
) -> Result<bool> {
    Ok(match payee {
        "community" => who.coordinators_at(at).contains(signer),
        partner => {
            who.identity(signer) == who.identity(&key_of(partner)?)
                && who.retired_at(signer).is_none_or(|r| at < r)
        }
    })
}

/// The payee of an account as stored: `community`, or a member key.
pub(crate) fn payee_text(account: &Account) -> String {
    match account {
        Account::Community => "community".into(),
        Account::Member(key) => key.to_hex(),
    }
}

fn project_payment(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let entry: EntryId = kinds::id_of(id)?;
    let m = kinds::open::<Movement>(bytes)?;
    let v = &m.value;
    let invalid = kinds::invalid;
    let Reason::Payment { reference, what } = &v.reason else {
        return Err(invalid("reason", FieldProblem::OutOfRange));
    };
    let Account::Member(payer) = v.from else {
        return Err(invalid("from", FieldProblem::OutOfRange));
    };
    if v.to == v.from {
        return Err(invalid("to", FieldProblem::OutOfRange));
    }
    if !(1..=MAX_AMOUNT).contains(&v.amount) {
        return Err(invalid("amount", FieldProblem::OutOfRange));
    }
    if what.trim().is_empty() || what.chars().count() > MAX_WHAT {
        return Err(invalid("what", FieldProblem::OutOfRange));
    }
    let at_payer = DocId::ledger(v.community, &payer, v.at) == *row.doc;
    let at_payee =
        matches!(v.to, Account::Member(p) if DocId::ledger(v.community, &p, v.at) == *row.doc);
    row.expect(
        v.community == row.doc.community
            && v.id == entry
            && payer == m.signer
            && (at_payer || at_payee),
    )?;
    row.insert(
        Table::Payments,
        &[
            &entry.to_string(),
            &row.doc.community.to_string(),
            &payer.to_hex(),
            &payee_text(&v.to),
            &i64::try_from(v.amount).unwrap_or(i64::MAX),
            &hex::encode(reference),
            what,
            &ts(v.at),
            &m.sig.to_vec(),
        ],
    )
}

/// A payment that counts.
#[derive(Debug, Clone)]
pub(crate) struct Paid {
    /// Its id.
    pub id: EntryId,
    /// The key that signed it.
    pub payer: MemberKey,
    /// The partner paid (its member), or `None` for the community house.
    pub payee: Option<MemberKey>,
    pub amount: u64,
    pub what: String,
    /// When its payer signed it, by the payer's clock.
    pub at: DateTime<Utc>,
    /// When its payee first said it took it (its closure, by the payee's
    /// clock); `None` while it waits for the payee's word.
    pub taken_at: Option<DateTime<Utc>>,
}

/// The payments that count (see [`judged`]).
pub(crate) fn counted(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<Paid>> {
    Ok(judged(conn, ctx, who)?.counted)
}

/// The community's payments, judged once.
pub(crate) struct Judged {
    /// Those that count: signed by a device of a member that was not taken
    /// away by then, to a partner or the community house, not refused by
    /// their payee; of two to one payee with one reference, the earliest
    /// (then the smaller id). A member removed since keeps what they paid
    /// before.
    pub counted: Vec<Paid>,
    /// Those their payee refused, or closed the request without, once
    /// each: they move nothing.
    pub refused: Vec<Paid>,
    /// Those that would count but whose payee has not been heard to take
    /// them yet: they move nothing, but their payer cannot spend the same
    /// points again until the payee's word arrives.
    pub waiting: Vec<Paid>,
}

/// Which payments to judge: every one of the community's, or only those
/// that can move some keys' points: the payments they made or took, and
/// every other payment for the same requests (the earliest for a request
/// counts, so those decide too). Judging a scope gives its members the
/// verdicts judging everything gives them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// The whole community.
    All,
    /// The payments that touch these keys (a member's devices).
    Keys(&'a [MemberKey]),
}

impl Scope<'_> {
    /// The keys as the JSON parameter of a scoped query; `None` for all.
    pub(crate) fn json(self) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::Keys(keys) => Some(super::sql::keys_json(keys)),
        }
    }
}

/// The requests (payee, reference) whose payments a scope judges, as the
/// CTE `scoped` over the keys in `?2`.
pub(crate) const SCOPED: &str = "
scoped AS (
    SELECT payee, reference FROM payments
     WHERE community = ?1 AND payer IN (SELECT value FROM json_each(?2))
    UNION
    SELECT payee, reference FROM payments
     WHERE community = ?1 AND payee IN (SELECT value FROM json_each(?2))
)";

/// Reads the community's payments once and sorts them into [`Judged`].
pub(crate) fn judged(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Judged> {
    judged_in(conn, ctx, who, Scope::All)
}

/// The version that counts of each place (a payment's request, a
/// partner's return id): its amount, its signature and what it is.
type Dearest<K, T> = BTreeMap<K, (u64, Vec<u8>, T)>;

/// Keeps `value` at `place` if it is the dearest version seen there (the
/// most points, then the smaller signature): a copy signed afterwards can
/// only make its signer pay or hand back more.
fn keep_dearest<K: Ord, T>(
    best: &mut Dearest<K, T>,
    place: K,
    amount: u64,
    sig: Vec<u8>,
    value: T,
) {
    match best.get(&place) {
        Some((a, s, _)) if (*a, std::cmp::Reverse(s)) >= (amount, std::cmp::Reverse(&sig)) => {}
        _ => {
            best.insert(place, (amount, sig, value));
        }
    }
}

/// Reads the payments of `scope` once and sorts them into [`Judged`].
///
/// A request counts at most one payment: one its payee's closure names.
/// Under that payment's id, anyone can sign another version (the payer a
/// cheaper copy of what the payee took, someone else one that names
/// themselves as payer): of the versions signed by a member's device not
/// taken away by then, to a partner or the community house, for that
/// request, the one for the most points counts (then the smaller
/// signature). A copy can therefore only make its signer pay more, never
/// the payee get less than it took.
pub(crate) fn judged_in(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    scope: Scope<'_>,
) -> Result<Judged> {
    let refused = refused(conn, ctx, who, scope)?;
    let closed = super::closures::closed(conn, ctx, who, scope)?;
    // Every version once (a payment taken is kept in its payer's document
    // and its payee's), by request: grouped by every column, in the order
    // of `payments_of_request`, which holds them all, so SQLite walks that
    // index instead of sorting every payment (one signature signs one
    // body, so this groups exactly the copies of a version).
    let mut stmt = match scope {
        Scope::All => conn.prepare_cached(
            "SELECT id, payer, payee, amount, reference, what, at, sig FROM payments
              WHERE community = ?1 AND ?2 IS NULL
              GROUP BY payee, reference, id, payer, amount, what, at, sig",
        )?,
        Scope::Keys(_) => conn.prepare_cached(&format!(
            "WITH {SCOPED}
             SELECT id, payer, payee, amount, reference, what, at, sig FROM payments
              WHERE community = ?1 AND (payee, reference) IN scoped
              GROUP BY payee, reference, id, payer, amount, what, at, sig"
        ))?,
    };
    let rows = stmt
        .query_map(params![ctx.community.to_string(), scope.json()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Vec<u8>>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    type Best = Dearest<(String, String, Option<String>), Paid>;
    let (mut counted, mut waiting) = (Best::new(), Best::new());
    let mut refused_ids: BTreeSet<String> = BTreeSet::new();
    let mut out = Judged {
        counted: Vec::new(),
        refused: Vec::new(),
        waiting: Vec::new(),
    };
    for (id, payer, payee, amount, reference, what, at, sig) in rows {
        let paid = |payee: Option<MemberKey>| -> Result<Paid> {
            Ok(Paid {
                id: super::sql::parse(&id, "payment id")?,
                payer: key_of(&payer)?,
                payee,
                amount: u64::try_from(amount)
                    .map_err(|_| EngineError::corrupt("amount", amount))?,
                what: what.clone(),
                at: time_of(&at)?,
                taken_at: None,
            })
        };
        if !refused.is_empty() && refused.contains(&(id.clone(), payer.clone(), payee.clone())) {
            if refused_ids.insert(id.clone()) {
                let partner = match payee.as_str() {
                    "community" => None,
                    key => Some(who.identity(&key_of(key)?)),
                };
                out.refused.push(paid(partner)?);
            }
            continue;
        }
        let entry = paid(None)?;
        let (payer, at) = (entry.payer, entry.at);
        let member = who.identity(&payer);
        let known = who.members.contains_key(&member) || who.revoked.contains(&member);
        if !known || who.retired_at(&payer).is_some_and(|r| at >= r) {
            continue;
        }
        let payee_key = match payee.as_str() {
            "community" => None,
            key => {
                let key = who.identity(&key_of(key)?);
                if who
                    .members
                    .get(&key)
                    .is_none_or(|m| m.role != Role::Partner)
                {
                    continue;
                }
                Some(key)
            }
        };
        if payee_key == Some(member) {
            continue;
        }
        let entry = Paid {
            payee: payee_key,
            ..entry
        };
        // Its request closed by its payee, and when the closure took it
        // (`None` if the closure names another payment).
        let taken = closed
            .get(payee.as_str())
            .and_then(|of| of.get(reference.as_str()))
            .map(|named| {
                named
                    .iter()
                    .find(|(paid, _)| *paid == id)
                    .map(|(_, at)| *at)
            });
        match taken {
            Some(Some(taken_at)) => {
                // A device taken away signs nothing that counts from then
                // on, and its own dates are a thief's to choose: a payment
                // of it counts only if its payee took it before, by the
                // payee's clock.
                if who
                    .retired_at(&payer)
                    .is_some_and(|retired| taken_at >= retired)
                {
                    continue;
                }
                let entry = Paid {
                    taken_at: Some(taken_at),
                    ..entry
                };
                keep_dearest(
                    &mut counted,
                    (payee, reference, None),
                    entry.amount,
                    sig,
                    entry,
                )
            }
            Some(_) => {
                if refused_ids.insert(id) {
                    out.refused.push(entry);
                }
            }
            None => keep_dearest(
                &mut waiting,
                (payee, reference, Some(id)),
                entry.amount,
                sig,
                entry,
            ),
        }
    }
    out.counted = counted.into_values().map(|(_, _, p)| p).collect();
    out.waiting = waiting.into_values().map(|(_, _, p)| p).collect();
    for list in [&mut out.counted, &mut out.refused, &mut out.waiting] {
        list.sort_by_key(|p| (p.at, p.id));
    }
    Ok(out)
}

/// What payments and returns move, per member (devices folded): minus what
/// each paid or handed back, plus what each partner received.
pub(crate) fn flows(
    paid: &[Paid],
    returned: &[Returned],
    who: &Authority,
) -> BTreeMap<MemberKey, i64> {
    let mut sums = BTreeMap::new();
    for r in returned {
        *sums.entry(r.partner).or_insert(0) -= i64::try_from(r.amount).unwrap_or(i64::MAX);
    }
    for p in paid {
        let amount = i64::try_from(p.amount).unwrap_or(i64::MAX);
        *sums.entry(who.identity(&p.payer)).or_insert(0) -= amount;
        if let Some(payee) = p.payee {
            *sums.entry(payee).or_insert(0) += amount;
        }
    }
    sums
}

impl Engine {
    /// The account this device is paid into: its partner's, or the
    /// community's for a coordinator (the community house).
    pub(crate) fn payee_account(&self, ctx: &Ctx, who: &Authority) -> Result<Account> {
        match who.member(&ctx.me) {
            Some(m) if m.role == Role::Partner => Ok(Account::Member(who.identity(&ctx.me))),
            _ if who.is_coordinator(&ctx.me) => Ok(Account::Community),
            _ => Err(Refused::Payment(PaymentProblem::NotAPartner).into()),
        }
    }

    /// A payment request for `amount` points for `what`, to show the payer
    /// (partners; coordinators for the community house).
    pub fn request_payment(&mut self, amount: u64, what: &str) -> Result<QrView> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let payee = self.payee_account(&ctx, &who)?;
        let invalid = |field: &'static str, problem| -> EngineError {
            Refused::InvalidField { field, problem }.into()
        };
        if !(1..=MAX_AMOUNT).contains(&amount) {
            return Err(invalid("amount", FieldProblem::OutOfRange));
        }
        let what = what.trim();
        if what.is_empty() {
            return Err(invalid("what", FieldProblem::Required));
        }
        if what.chars().count() > MAX_WHAT {
            return Err(invalid("what", FieldProblem::TooLong));
        }
        let now = self.now();
        let expires = now + Duration::seconds(REQUEST_SECONDS);
        let request = PaymentRequest {
            community: ctx.community,
            payee,
            reference: random()?,
            amount,
            what: what.to_owned(),
            expires_at: expires.timestamp(),
        };
        self.conn.execute(
            "INSERT INTO payment_requests(reference, amount, what, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                hex::encode(request.reference),
                i64::try_from(amount).unwrap_or(i64::MAX),
                what,
                ts(now),
                ts(expires)
            ],
        )?;
        let voucher = self.own_voucher(&ctx, &who, None)?;
        let text = request_text(
            &Signed::seal(&self.key, &request),
            voucher.as_ref(),
            self.members_known_until(&ctx, &who)?,
        );
        Ok(QrView {
            svg: qr::svg(&text)?,
            text,
            expires_at: Some(expires),
            title: what.to_owned(),
        })
    }

    /// Checks a scanned request as the payer: of this neighbourhood, signed
    /// by its payee (a partner, or a coordinator for the community house),
    /// not expired by this device's clock, not this member's own. Returns
    /// the payee's name.
    ///
    /// A partner who joined since this phone last synced is known from the
    /// voucher its request carries: returned too, to keep with the
    /// payment.
    fn check_request<'s>(
        &self,
        ctx: &Ctx,
        who: &Arc<Authority>,
        scanned: &'s ScannedRequest,
    ) -> Result<(String, Option<&'s Vouched>)> {
        let r = &scanned.request;
        let (who, vouched) = self.vouched(ctx, who.clone(), scanned.voucher.as_ref(), &r.signer)?;
        let refuse =
            |p| -> Result<(String, Option<&'s Vouched>)> { Err(Refused::Payment(p).into()) };
        let v = &r.value;
        if v.community != ctx.community {
            return refuse(PaymentProblem::OtherCommunity);
        }
        let name = match v.payee {
            Account::Community if who.is_coordinator(&r.signer) => {
                community::community_name(&self.conn, &ctx.community)?.unwrap_or_default()
            }
            Account::Member(p)
                if who.identity(&r.signer) == p
                    && who
                        .member(&r.signer)
                        .is_some_and(|m| m.role == Role::Partner) =>
            {
                if p == who.identity(&ctx.me) {
                    return refuse(PaymentProblem::OwnRequest);
                }
                who.member(&p).map(|m| m.name.clone()).unwrap_or_default()
            }
            _ => return refuse(PaymentProblem::NotAPartner),
        };
        if self.now().timestamp() > v.expires_at {
            return refuse(PaymentProblem::Expired);
        }
        Ok((name, vouched))
    }

    /// What this device's member can spend now.
    fn my_balance(&self, ctx: &Ctx, who: &Authority) -> Result<i64> {
        self.balance_kept(ctx, who, &ctx.me, Figure::Spendable)
    }

    /// Refuses a spending of `amount` that `member`'s balance and the
    /// community's credit limit do not cover.
    pub(crate) fn require_covered(
        &self,
        ctx: &Ctx,
        who: &Authority,
        member: &MemberKey,
        amount: u64,
    ) -> Result<()> {
        let balance = self.balance_kept(ctx, who, member, Figure::Spendable)?;
        let credit = i64::from(super::rules::in_force(&self.conn, ctx, who)?.credit_limit);
        if i64::try_from(amount).unwrap_or(i64::MAX) > balance.saturating_add(credit) {
            return Err(Refused::NotEnoughPoints { balance }.into());
        }
        Ok(())
    }

    /// What a scanned request asks (nothing is recorded).
    pub(crate) fn ask_payment(&self, text: &str, scanned: &ScannedRequest) -> Result<PaymentAsk> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let request = &scanned.request;
        let (payee, _) = self.check_request(&ctx, &who, scanned)?;
        Ok(PaymentAsk {
            payee,
            amount: request.value.amount,
            what: request.value.what.clone(),
            balance: self.my_balance(&ctx, &who)?,
            credit_limit: u64::from(super::rules::in_force(&self.conn, &ctx, &who)?.credit_limit),
            request: text.trim().to_owned(),
        })
    }

    /// Pays a scanned request: signs the payment into this member's ledger
    /// and returns the code to show the payee. Never more than the balance.
    pub fn pay(&mut self, text: &str) -> Result<QrView> {
        let ctx = self.ctx()?;
        let scanned = match Scanned::parse(text).map_err(Refused::UnreadableCode)? {
            Scanned::PaymentRequest(r) => r,
            other => return Err(Refused::WrongKindOfCode(other.kind()).into()),
        };
        let request = &scanned.request;
        let who = self.authority(&ctx)?;
        let (payee, partner) = self.check_request(&ctx, &who, &scanned)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::Payment(PaymentProblem::UnknownPayer).into());
        }
        // A request is paid once.
        let paid: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM payments
                             WHERE community = ?1 AND payee = ?2 AND reference = ?3)",
            params![
                ctx.community.to_string(),
                payee_text(&request.value.payee),
                hex::encode(request.value.reference)
            ],
            |r| r.get(0),
        )?;
        if paid {
            return Err(Refused::Payment(PaymentProblem::AlreadyPaid).into());
        }
        self.require_covered(&ctx, &who, &who.identity(&ctx.me), request.value.amount)?;
        let now = self.now();
        let payment = payment_for(
            &request.value,
            EntryId::from_bytes(random()?),
            Account::Member(ctx.me),
            now,
        );
        let signed = Signed::seal(&self.key, &payment);
        let statement = self
            .newest_statement(&ctx, &who, &who.identity(&ctx.me))?
            .map(|s| Signed::<BalanceStatement>::from_bytes(&s.bytes))
            .transpose()
            .map_err(|_| EngineError::corrupt("statement", "envelope"))?;
        let voucher = self.own_voucher(&ctx, &who, scanned.payee_knows)?;
        let mut staged = vec![self.stage(DocId::ledger(ctx.community, &ctx.me, now))?];
        staged[0].put(PAYMENT.key(payment.id), &signed)?;
        self.stage_vouched(&mut staged, &ctx, partner)?;
        self.commit(staged, &[])?;
        let text = payment_text(&signed, statement.as_ref(), voucher.as_ref());
        Ok(QrView {
            svg: qr::svg(&text)?,
            text,
            expires_at: None,
            title: payee,
        })
    }

    /// Takes a scanned payment as its payee: for this device's account, with
    /// the reference and amount of one of its own open requests, from a
    /// member this device knows. Kept as the same signed bytes.
    pub(crate) fn receive_payment(
        &mut self,
        signed: &Signed<nabo_shared::rewards::ledger::Movement>,
        payment: &Verified<Movement>,
        statement: Option<&Verified<BalanceStatement>>,
        voucher: Option<&Vouched>,
        unstated: Unstated,
    ) -> Result<PaymentReceipt> {
        let ctx = self.ctx()?;
        // A payer who joined since this device last synced: known from the
        // voucher the payment carries, kept with the payment.
        let (who, vouched) = self.vouched(&ctx, self.authority(&ctx)?, voucher, &payment.signer)?;
        let refuse = |p| -> Result<PaymentReceipt> { Err(Refused::Payment(p).into()) };
        let v = &payment.value;
        let Reason::Payment { reference, what } = &v.reason else {
            return refuse(PaymentProblem::UnknownRequest);
        };
        if v.community != ctx.community {
            return refuse(PaymentProblem::OtherCommunity);
        }
        if v.to != self.payee_account(&ctx, &who)? {
            return refuse(PaymentProblem::NotForYou);
        }
        // Refused here before: refused again, the same way.
        let before: Option<String> = self
            .conn
            .query_row(
                "SELECT problem FROM payment_refusals WHERE payment = ?1 AND signer = ?2",
                params![v.id.to_string(), MemberKey::of(&self.key).to_hex()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(problem) = before {
            let problem = serde_json::from_str(&problem)
                .map_err(|_| EngineError::corrupt("refusal", &problem))?;
            return refuse(problem);
        }
        let open: Option<(i64, Option<String>, String)> = self
            .conn
            .query_row(
                "SELECT amount, paid_by, expires_at FROM payment_requests WHERE reference = ?1",
                [hex::encode(reference)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((amount, paid_by, expires)) = open else {
            return Err(self.refuse_payment(&ctx, payment, PaymentProblem::UnknownRequest)?);
        };
        let payer_name = |who: &Authority| {
            who.member(&payment.signer)
                .map(|m| m.name.clone())
                .unwrap_or_default()
        };
        match paid_by {
            Some(id) if id == v.id.to_string() => {
                return Ok(PaymentReceipt {
                    payer: payer_name(&who),
                    amount: v.amount,
                    what: what.clone(),
                    again: true,
                    warning: None,
                })
            }
            Some(_) => {
                return Err(self.refuse_payment(&ctx, payment, PaymentProblem::AlreadyPaid)?)
            }
            None => {}
        }
        if i64::try_from(v.amount).ok() != Some(amount) {
            return Err(self.refuse_payment(&ctx, payment, PaymentProblem::UnknownRequest)?);
        }
        if self.now() > time_of(&expires)? {
            return Err(self.refuse_payment(&ctx, payment, PaymentProblem::Expired)?);
        }
        if v.from != Account::Member(payment.signer) || who.member(&payment.signer).is_none() {
            return refuse(PaymentProblem::UnknownPayer);
        }
        // The payer's balance as a coordinator's device last stated it, less
        // what this payee took from them since. Without a statement, a phone
        // has only the credit the rules allow: a modified app that leaves
        // its statement out gains nothing by it.
        let amount = i64::try_from(v.amount).unwrap_or(i64::MAX);
        let warning = match statement {
            Some(s) => {
                let Some((left, at)) =
                    self.left_by_statement(&ctx, &who, &payment.signer, &v.to, s)?
                else {
                    let problem = PaymentProblem::ForeignStatement;
                    return Err(self.refuse_payment(&ctx, payment, problem)?);
                };
                if amount > left {
                    let problem = PaymentProblem::NotCovered { left };
                    return Err(self.refuse_payment(&ctx, payment, problem)?);
                }
                let days = (self.now() - at).num_days();
                (days >= STATEMENT_DAYS).then_some(PaymentWarning::OldStatement { days })
            }
            None if unstated == Unstated::Refuse
                && amount > self.left_unstated(&ctx, &who, &payment.signer, &v.to)? =>
            {
                return Err(self.refuse_payment(&ctx, payment, PaymentProblem::NoStatement)?);
            }
            None => Some(PaymentWarning::NoStatement),
        };
        let home = match v.to {
            Account::Member(p) => p,
            Account::Community => payment.signer,
        };
        // Taken: the payment, and this payee's word that it took it.
        let (closure, closed_at) = self.closure(&ctx, v.to, *reference, Some(v.id))?;
        let mut staged = Vec::new();
        let i = self.stage_into(&mut staged, DocId::ledger(ctx.community, &home, v.at))?;
        staged[i].put(PAYMENT.key(v.id), signed)?;
        let i = self.stage_into(&mut staged, DocId::ledger(ctx.community, &home, closed_at))?;
        staged[i].put(CLOSURE.key(hex::encode(reference)), &closure)?;
        self.stage_vouched(&mut staged, &ctx, vouched)?;
        self.commit(staged, &[])?;
        self.conn.execute(
            "UPDATE payment_requests SET paid_by = ?1 WHERE reference = ?2",
            params![v.id.to_string(), hex::encode(reference)],
        )?;
        Ok(PaymentReceipt {
            payer: payer_name(&who),
            amount: v.amount,
            what: what.clone(),
            again: false,
            warning,
        })
    }
}

impl Engine {
    /// Signs this payee's refusal of a payment it was shown, so the payment
    /// counts for nothing anywhere though its payer signed it, and returns
    /// the refusal to give the person at the counter.
    fn refuse_payment(
        &mut self,
        ctx: &Ctx,
        payment: &Verified<Movement>,
        problem: PaymentProblem,
    ) -> Result<EngineError> {
        let v = &payment.value;
        let at = self.now();
        let refusal = PaymentRefused {
            community: ctx.community,
            payment: v.id,
            payer: payment.signer,
            payee: v.to,
            problem,
            at,
        };
        let home = match v.to {
            Account::Member(p) => p,
            Account::Community => payment.signer,
        };
        let mut doc = self.stage(DocId::ledger(ctx.community, &home, at))?;
        doc.put(REFUSAL.key(v.id), &Signed::seal(&self.key, &refusal))?;
        self.commit(vec![doc], &[])?;
        Ok(Refused::Payment(problem).into())
    }

    /// A coordinator's device copies partners' refusals into their payers'
    /// ledger documents, so a payer's phone learns that a payment it signed
    /// counts for nothing. Returns how many.
    pub(crate) fn relay_refusals(&mut self, ctx: &Ctx) -> Result<u32> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT payment, payer, at, bytes, doc_id FROM payment_refusals
              WHERE community = ?1 AND payee != 'community'",
        )?;
        let rows = stmt
            .query_map([ctx.community.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let mut held: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (payment, _, _, _, doc) in &rows {
            held.entry(payment.clone()).or_default().insert(doc.clone());
        }
        let mut staged = Vec::new();
        let mut relayed = BTreeSet::new();
        for (payment, payer, at, bytes, _) in rows {
            let home = DocId::ledger(ctx.community, &key_of(&payer)?, time_of(&at)?);
            let there = held
                .get(&payment)
                .is_some_and(|d| d.contains(&home.to_string()));
            if there || !relayed.insert(payment.clone()) {
                continue;
            }
            let signed = Signed::<PaymentRefused>::from_bytes(&bytes)
                .map_err(|_| EngineError::corrupt("refusal", &payment))?;
            let id: EntryId = super::sql::parse(&payment, "payment id")?;
            let i = self.stage_into(&mut staged, home)?;
            staged[i].put(REFUSAL.key(id), &signed)?;
        }
        let n = relayed.len() as u32;
        if n > 0 {
            self.commit(staged, &[])?;
        }
        Ok(n)
    }
}

/// `return/<entry id>`: a partner's return of points to the community's
/// account, signed by the partner, in its ledger document of the month.
pub(crate) const RETURN: Kind<Movement> = Kind::new(KindDecl {
    record: RecordKind::Return,
    prefix: "return",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Subject,
    superseded_by: "nothing: a return is immutable; of a partner's versions under one id, the \
                    one for the most points counts (then the smaller signature)",
    tables: &[TableDecl {
        table: Table::Returns,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, partner TEXT NOT NULL, \
                  amount INTEGER NOT NULL, note TEXT NOT NULL, at TEXT NOT NULL, sig BLOB NOT NULL",
        // A partner's returns, for judging one account (`returns`).
        indexes: &["CREATE INDEX IF NOT EXISTS returns_by_partner ON returns(community, partner)"],
        signed_at: None,
    }],
    project: project_return,
});

fn project_return(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let entry: EntryId = kinds::id_of(id)?;
    let m = kinds::open::<Movement>(bytes)?;
    let v = &m.value;
    let Reason::Return { note } = &v.reason else {
        return Err(kinds::invalid("reason", FieldProblem::OutOfRange));
    };
    let (Account::Member(partner), Account::Community) = (v.from, v.to) else {
        return Err(kinds::invalid("to", FieldProblem::OutOfRange));
    };
    if !(1..=MAX_AMOUNT).contains(&v.amount) {
        return Err(kinds::invalid("amount", FieldProblem::OutOfRange));
    }
    if note.trim().is_empty() || note.chars().count() > MAX_NOTE {
        return Err(kinds::invalid("note", FieldProblem::OutOfRange));
    }
    row.expect(
        v.community == row.doc.community
            && v.id == entry
            && partner == m.signer
            && DocId::ledger(v.community, &partner, v.at) == *row.doc,
    )?;
    row.insert(
        Table::Returns,
        &[
            &entry.to_string(),
            &row.doc.community.to_string(),
            &partner.to_hex(),
            &i64::try_from(v.amount).unwrap_or(i64::MAX),
            note,
            &ts(v.at),
            &m.sig.to_vec(),
        ],
    )
}

/// A partner's return that counts.
#[derive(Debug, Clone)]
pub(crate) struct Returned {
    /// Its id.
    pub id: EntryId,
    /// The partner (its member).
    pub partner: MemberKey,
    pub amount: u64,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// The returns that count, signed by a device of a member who is a
/// partner now, not taken away by then: per partner, one per id, of its
/// versions the one for the most points (then the smaller signature), so
/// a partner that signs a cheaper copy of a return still hands back what
/// it first did, and no one else's version under the same id touches it.
pub(crate) fn returns(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
    scope: Scope<'_>,
) -> Result<Vec<Returned>> {
    let mut stmt = match scope {
        Scope::All => conn.prepare_cached(
            "SELECT partner, amount, note, at, id, sig FROM returns
              WHERE community = ?1 AND ?2 IS NULL",
        )?,
        Scope::Keys(_) => conn.prepare_cached(
            "SELECT partner, amount, note, at, id, sig FROM returns
              WHERE community = ?1 AND partner IN (SELECT value FROM json_each(?2))",
        )?,
    };
    let rows = stmt
        .query_map(params![ctx.community.to_string(), scope.json()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Vec<u8>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut best: Dearest<(MemberKey, String), Returned> = BTreeMap::new();
    for (partner, amount, note, at, id, sig) in rows {
        let (key, at) = (key_of(&partner)?, time_of(&at)?);
        let member = who.identity(&key);
        let partner_now = who
            .members
            .get(&member)
            .is_some_and(|m| m.role == Role::Partner);
        if !partner_now || who.retired_at(&key).is_some_and(|r| at >= r) {
            continue;
        }
        let r = Returned {
            id: super::sql::parse(&id, "return id")?,
            partner: member,
            amount: u64::try_from(amount).map_err(|_| EngineError::corrupt("amount", amount))?,
            note,
            at,
        };
        keep_dearest(&mut best, (member, id), r.amount, sig, r);
    }
    let mut out: Vec<Returned> = best.into_values().map(|(_, _, r)| r).collect();
    out.sort_by_key(|r| (r.at, r.id));
    Ok(out)
}

impl Engine {
    /// Hands `amount` points of this device's partner back to the
    /// community's account, with a note (partners only; never more than
    /// the balance).
    pub fn return_points(&mut self, amount: u64, note: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none_or(|m| m.role != Role::Partner) {
            return Err(Refused::Payment(PaymentProblem::NotAPartner).into());
        }
        let invalid = |field: &'static str, problem| -> EngineError {
            Refused::InvalidField { field, problem }.into()
        };
        if !(1..=MAX_AMOUNT).contains(&amount) {
            return Err(invalid("amount", FieldProblem::OutOfRange));
        }
        let note = note.trim();
        if note.is_empty() {
            return Err(invalid("note", FieldProblem::Required));
        }
        if note.chars().count() > MAX_NOTE {
            return Err(invalid("note", FieldProblem::TooLong));
        }
        let balance = self.my_balance(&ctx, &who)?;
        if i64::try_from(amount).unwrap_or(i64::MAX) > balance {
            return Err(Refused::NotEnoughPoints { balance }.into());
        }
        let now = self.now();
        let movement = Movement {
            id: EntryId::from_bytes(random()?),
            community: ctx.community,
            from: Account::Member(ctx.me),
            to: Account::Community,
            amount,
            reason: Reason::Return {
                note: note.to_owned(),
            },
            at: now,
        };
        let mut doc = self.stage(DocId::ledger(ctx.community, &ctx.me, now))?;
        doc.put(RETURN.key(movement.id), &Signed::seal(&self.key, &movement))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }
}

/// A payment or return that took its payer's account below zero.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overspend {
    /// The spending's id.
    pub entry: EntryId,
    /// The member whose account it overdrew.
    pub member: MemberKey,
    /// The device that signed it.
    pub signer: MemberKey,
    /// The partner paid, or `None` for the community (the community house,
    /// or a partner's return).
    pub payee: Option<MemberKey>,
    /// How much.
    pub amount: u64,
    /// What for (a return's note).
    pub what: String,
    /// When it claims to be signed.
    pub at: DateTime<Utc>,
    /// The account's balance right after it.
    pub balance_after: i64,
}

impl Engine {
    /// The payments and returns that overdrew an account this device holds
    /// (a coordinator's: every member's), the same on every device that
    /// holds the same records (see [`flag`]). Kept per member between
    /// calls: only the accounts whose rows changed since are judged again
    /// (`accounts.rs`).
    pub fn overspends(&self) -> Result<Vec<Overspend>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        self.account_flags(&ctx, &who)
    }

    /// [`Engine::overspends`] judged afresh from every row, for tests that
    /// check the kept verdicts against it.
    #[doc(hidden)]
    pub fn overspends_afresh(&self) -> Result<Vec<Overspend>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        self.flags_afresh(&ctx, &who)
    }
}

/// The lowest balance the community's credit limit allows (0 unless the
/// rules say otherwise).
pub(crate) fn floor(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<i64> {
    Ok(-i64::from(
        super::rules::in_force(conn, ctx, who)?.credit_limit,
    ))
}

/// The spendings that overdrew an account, per member: each member's
/// movements (`flows`, the `paid` payments and the `returned` points), all
/// their devices as one account, ordered by the time they claim and then
/// by id; every spending that leaves the account below `floor` is flagged.
pub(crate) fn flag(
    flows: &[super::rewards::AccountFlow],
    paid: &[Paid],
    returned: &[Returned],
    who: &Authority,
    floor: i64,
) -> BTreeMap<MemberKey, Vec<Overspend>> {
    /// The tie-breaker of a step, compared as the id's text, without
    /// writing each id out on the heap (a million of them on a five-year
    /// store).
    enum Tie<'a> {
        Text(&'a str),
        Id([u8; uuid::fmt::Hyphenated::LENGTH]),
    }
    impl Tie<'_> {
        fn of(id: EntryId) -> Self {
            let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
            id.0.as_hyphenated().encode_lower(&mut text);
            Tie::Id(text)
        }
        fn bytes(&self) -> &[u8] {
            match self {
                Tie::Text(t) => t.as_bytes(),
                Tie::Id(t) => t,
            }
        }
    }
    /// The spending a step is, if one: a payment or a return, by place.
    enum Spend {
        Paid(usize),
        Returned(usize),
    }
    // (time, tie, change, the spending it is)
    type Step<'a> = (DateTime<Utc>, Tie<'a>, i64, Option<Spend>);
    let mut accounts: BTreeMap<MemberKey, Vec<Step<'_>>> = BTreeMap::new();
    for f in flows {
        accounts
            .entry(f.member)
            .or_default()
            .push((f.at, Tie::Text(&f.id), f.delta, None));
    }
    for (i, p) in paid.iter().enumerate() {
        let amount = i64::try_from(p.amount).unwrap_or(i64::MAX);
        if let Some(payee) = p.payee {
            accounts
                .entry(payee)
                .or_default()
                .push((p.at, Tie::of(p.id), amount, None));
        }
        accounts.entry(who.identity(&p.payer)).or_default().push((
            p.at,
            Tie::of(p.id),
            -amount,
            Some(Spend::Paid(i)),
        ));
    }
    for (i, r) in returned.iter().enumerate() {
        accounts.entry(r.partner).or_default().push((
            r.at,
            Tie::of(r.id),
            -i64::try_from(r.amount).unwrap_or(i64::MAX),
            Some(Spend::Returned(i)),
        ));
    }
    let mut flags = BTreeMap::new();
    for (member, mut steps) in accounts {
        steps.sort_by(|a, b| (a.0, a.1.bytes()).cmp(&(b.0, b.1.bytes())));
        let mut balance = 0i64;
        let mut theirs = Vec::new();
        for (_, _, delta, spend) in steps {
            balance = balance.saturating_add(delta);
            let Some(spend) = spend.filter(|_| balance < floor) else {
                continue;
            };
            theirs.push(match spend {
                Spend::Paid(i) => {
                    let p = &paid[i];
                    Overspend {
                        entry: p.id,
                        member: who.identity(&p.payer),
                        signer: p.payer,
                        payee: p.payee,
                        amount: p.amount,
                        what: p.what.clone(),
                        at: p.at,
                        balance_after: balance,
                    }
                }
                Spend::Returned(i) => {
                    let r = &returned[i];
                    Overspend {
                        entry: r.id,
                        member: r.partner,
                        signer: r.partner,
                        payee: None,
                        amount: r.amount,
                        what: r.note.clone(),
                        at: r.at,
                        balance_after: balance,
                    }
                }
            });
        }
        if !theirs.is_empty() {
            flags.insert(member, theirs);
        }
    }
    flags
}

/// `overspend/<entry id>`: a coordinator's acceptance of a flagged spending
/// as a debt, in the community document.
pub(crate) const OVERSPEND_ACCEPTED: Kind<nabo_shared::rewards::payments::OverspendAccepted> =
    Kind::new(KindDecl {
        record: RecordKind::OverspendAccepted,
        prefix: "overspend",
        singleton: false,
        home: DocKind::Community,
        writer: Writer::Coordinator,
        superseded_by: "nothing: the first acceptance signed by a coordinator in office settles \
                        the flag for good",
        tables: &[TableDecl {
            table: Table::OverspendDecisions,
            columns: "entry TEXT NOT NULL, community TEXT NOT NULL, signer TEXT NOT NULL, \
                      issued_at TEXT NOT NULL",
            indexes: &[],
            signed_at: Some("issued_at"),
        }],
        project: project_accepted,
    });

fn project_accepted(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let entry: EntryId = kinds::id_of(id)?;
    let a = kinds::open::<nabo_shared::rewards::payments::OverspendAccepted>(bytes)?;
    row.expect(a.value.community == row.doc.community && a.value.entry == entry)?;
    row.insert(
        Table::OverspendDecisions,
        &[
            &entry.to_string(),
            &row.doc.community.to_string(),
            &a.signer.to_hex(),
            &ts(a.value.issued_at),
        ],
    )
}

impl Engine {
    /// The flagged spendings a coordinator in office settled: accepted as
    /// debts, or reversed with a correction that names them.
    pub(crate) fn settled_overspends(
        &self,
        ctx: &Ctx,
        who: &Authority,
    ) -> Result<BTreeSet<EntryId>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT entry FROM overspend_decisions WHERE community = ?1 AND ",
            in_office!("signer", "issued_at", "?2"),
            " UNION SELECT corrects FROM movements
              WHERE community = ?1 AND corrects IS NOT NULL AND reason = 'correction' AND ",
            in_office!("signer", "at", "?2")
        ))?;
        let rows = stmt
            .query_map(
                params![ctx.community.to_string(), super::sql::office_json(who)],
                |r| r.get::<_, String>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter()
            .map(|e| super::sql::parse(e, "entry id"))
            .collect()
    }

    /// A flag a coordinator has not yet settled (accepted or reversed).
    fn open_flag(&self, ctx: &Ctx, who: &Authority, entry: EntryId) -> Result<Overspend> {
        let settled = self.settled_overspends(ctx, who)?;
        self.overspends()?
            .into_iter()
            .find(|f| f.entry == entry && !settled.contains(&entry))
            .ok_or_else(|| Refused::NotFound(nabo_shared::api::Missing::Overspend).into())
    }

    /// Reverses a flagged spending: a coordinator's correction takes the
    /// points back from whoever was paid (a partner's account, or the
    /// community's for the community house and for returns) and another
    /// gives them back to the payer, both naming the spending and saying
    /// why. Nothing is edited or deleted; the flag leaves the review queue
    /// on every coordinator's device (coordinators only).
    pub fn reverse_overspend(&mut self, entry: EntryId, note: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let flag = self.open_flag(&ctx, &who, entry)?;
        let invalid = |field: &'static str, problem| -> EngineError {
            Refused::InvalidField { field, problem }.into()
        };
        let note = note.trim();
        if note.is_empty() {
            return Err(invalid("note", FieldProblem::Required));
        }
        if note.chars().count() > nabo_shared::rewards::MAX_REASON {
            return Err(invalid("note", FieldProblem::TooLong));
        }
        if i64::try_from(flag.amount).map_or(true, |a| a > nabo_shared::rewards::MAX_CORRECTION) {
            return Err(invalid("amount", FieldProblem::OutOfRange));
        }
        let at = self.signing_time(&ctx)?;
        let reason = Reason::Correction {
            note: note.to_owned(),
            corrects: Some(entry),
        };
        let mut legs = vec![(
            flag.member,
            Account::Community,
            Account::Member(flag.member),
        )];
        if let Some(payee) = flag.payee {
            legs.push((payee, Account::Member(payee), Account::Community));
        }
        let mut staged = Vec::new();
        for (member, from, to) in legs {
            let movement = Movement {
                id: EntryId::from_bytes(random()?),
                community: ctx.community,
                from,
                to,
                amount: flag.amount,
                reason: reason.clone(),
                at,
            };
            let i = self.stage_into(&mut staged, DocId::ledger(ctx.community, &member, at))?;
            staged[i].put(
                super::rewards::MOVEMENT.key(movement.id),
                &Signed::seal(&self.key, &movement),
            )?;
        }
        self.commit(staged, &[])?;
        Ok(())
    }

    /// Accepts a flagged spending as a debt the member works off: it leaves
    /// the review queue, on every coordinator's device (coordinators only).
    pub fn accept_overspend(&mut self, entry: EntryId) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        self.open_flag(&ctx, &who, entry)?;
        let accepted = nabo_shared::rewards::payments::OverspendAccepted {
            community: ctx.community,
            entry,
            issued_at: self.signing_time(&ctx)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            OVERSPEND_ACCEPTED.key(entry),
            &Signed::seal(&self.key, &accepted),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }
}

/// `statement/<member key>`: a coordinator's device's signed statement of a
/// member's balance, in the member's ledger document of its month.
pub(crate) const STATEMENT: Kind<BalanceStatement> = Kind::new(KindDecl {
    record: RecordKind::BalanceStatement,
    prefix: "statement",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Coordinator,
    superseded_by: "a newer statement for the same member signed by a coordinator in office (the \
                    newest `issued_at` is the one a payment carries)",
    tables: &[TableDecl {
        table: Table::Statements,
        columns: "community TEXT NOT NULL, member TEXT NOT NULL, balance INTEGER NOT NULL, \
                  issued_at TEXT NOT NULL, signer TEXT NOT NULL, bytes BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS statements_by_member ON statements(community, member, issued_at)",
        ],
        signed_at: Some("issued_at"),
    }],
    project: project_statement,
});

fn project_statement(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let member = kinds::member_key_in(id)?;
    let s = kinds::open::<BalanceStatement>(bytes)?;
    let v = &s.value;
    row.expect(
        v.community == row.doc.community
            && v.member == member
            && DocId::ledger(v.community, &member, v.issued_at) == *row.doc,
    )?;
    row.insert(
        Table::Statements,
        &[
            &row.doc.community.to_string(),
            &member.to_hex(),
            &v.balance,
            &ts(v.issued_at),
            &s.signer.to_hex(),
            &bytes.to_vec(),
        ],
    )
}

/// What a payee's device does with a payment that carries no balance
/// statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unstated {
    /// A phone's payment code: a phone that synced carries one, so a code
    /// without one is taken only within the credit the rules allow.
    Refuse,
    /// A member card's: a card carries none, and a partner's device may
    /// not have its holder's; it is taken with a warning, and checked after
    /// sync like every payment.
    Warn,
}

/// A stored statement: the balance it states, when, and its envelope.
struct Stated {
    balance: i64,
    at: DateTime<Utc>,
    bytes: Vec<u8>,
}

impl Engine {
    /// The newest statement of `member`'s balance a coordinator in office
    /// signed, as signed bytes.
    pub(crate) fn newest_statement_of(
        &self,
        ctx: &Ctx,
        who: &Authority,
        member: &MemberKey,
    ) -> Result<Option<Vec<u8>>> {
        Ok(self.newest_statement(ctx, who, member)?.map(|s| s.bytes))
    }

    /// The newest statement of `member`'s balance a coordinator in office
    /// signed.
    fn newest_statement(
        &self,
        ctx: &Ctx,
        who: &Authority,
        member: &MemberKey,
    ) -> Result<Option<Stated>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT balance, issued_at, bytes FROM statements
              WHERE community = ?1 AND member = ?3 AND ",
            in_office!("signer", "issued_at", "?2"),
            " ORDER BY issued_at DESC, bytes LIMIT 1"
        ))?;
        let found: Option<(i64, String, Vec<u8>)> = stmt
            .query_row(
                params![
                    ctx.community.to_string(),
                    super::sql::office_json(who),
                    member.to_hex()
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        found
            .map(|(balance, at, bytes)| {
                Ok(Stated {
                    balance,
                    at: time_of(&at)?,
                    bytes,
                })
            })
            .transpose()
    }

    /// Signs a statement of the balance of the member whose device is
    /// `device` (a coordinator's device does, at every sync with them),
    /// unless the newest one says the same and is less than an hour old.
    pub(crate) fn issue_statement(&mut self, ctx: &Ctx, device: &MemberKey) -> Result<()> {
        let who = self.authority(ctx)?;
        if !who.is_coordinator(&ctx.me) || who.member(device).is_none() {
            return Ok(());
        }
        let member = who.identity(device);
        let balance = self.balance_kept(ctx, &who, &member, Figure::Spendable)?;
        let now = self.signing_time(ctx)?;
        if let Some(s) = self.newest_statement(ctx, &who, &member)? {
            if s.balance == balance && now - s.at < Duration::hours(1) && now >= s.at {
                return Ok(());
            }
        }
        let statement = BalanceStatement {
            community: ctx.community,
            member,
            balance,
            issued_at: now,
        };
        let mut doc = self.stage(DocId::ledger(ctx.community, &member, now))?;
        doc.put(
            STATEMENT.key(member.to_hex()),
            &Signed::seal(&self.key, &statement),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// What a payer's statement leaves for a payment to this payee: the
    /// stated balance and credit, less what this payee took from the same
    /// member since; with the statement's time. `None` when the statement
    /// is not a coordinator's word on this payer.
    fn left_by_statement(
        &self,
        ctx: &Ctx,
        who: &Authority,
        payer: &MemberKey,
        payee: &Account,
        statement: &Verified<BalanceStatement>,
    ) -> Result<Option<(i64, DateTime<Utc>)>> {
        let s = &statement.value;
        let member = who.identity(payer);
        if s.community != ctx.community
            || s.member != member
            || !who.in_office_at(&statement.signer, s.issued_at)
        {
            return Ok(None);
        }
        let since = self.taken_from(ctx, who, &member, payee, Some(s.issued_at))?;
        let credit = i64::from(super::rules::in_force(&self.conn, ctx, who)?.credit_limit);
        Ok(Some((
            s.balance.saturating_add(credit).saturating_sub(since),
            s.issued_at,
        )))
    }

    /// What a payer without a statement may still pay this payee: the
    /// credit the rules allow, less all this payee took from them.
    fn left_unstated(
        &self,
        ctx: &Ctx,
        who: &Authority,
        payer: &MemberKey,
        payee: &Account,
    ) -> Result<i64> {
        let member = who.identity(payer);
        let taken = self.taken_from(ctx, who, &member, payee, None)?;
        let credit = i64::from(super::rules::in_force(&self.conn, ctx, who)?.credit_limit);
        Ok(credit.saturating_sub(taken))
    }

    /// What this payee took from `member` (since a time, if given). When a
    /// payment was taken is the time its payee's own closure says (the
    /// device that took it), never the payer's: a payer who dates her
    /// payments before her statement would otherwise spend it again at
    /// the same counter.
    fn taken_from(
        &self,
        ctx: &Ctx,
        who: &Authority,
        member: &MemberKey,
        payee: &Account,
        since: Option<DateTime<Utc>>,
    ) -> Result<i64> {
        let payee_key = match payee {
            Account::Member(p) => Some(*p),
            Account::Community => None,
        };
        let keys = who.keys_of(member);
        Ok(judged_in(&self.conn, ctx, who, Scope::Keys(&keys))?
            .counted
            .iter()
            .filter(|p| {
                who.identity(&p.payer) == *member
                    && p.payee == payee_key
                    // Counted ones are closed by their payee; one that is
                    // not yet would count, to be safe.
                    && since.is_none_or(|t| p.taken_at.is_none_or(|at| at >= t))
            })
            .map(|p| i64::try_from(p.amount).unwrap_or(i64::MAX))
            .fold(0i64, i64::saturating_add))
    }
}
