//! Partners' offers: the catalogue of what points buy (the record is in
//! `nabo_shared::rewards::offers`).

use chrono::Duration;
use nabo_shared::api::{Missing, Table};
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::OfferId;
use nabo_shared::members::Role;
use nabo_shared::review::{RecordKind, Writer};
use nabo_shared::rewards::ledger::MAX_AMOUNT;
use nabo_shared::rewards::offers::{Offer, OfferView};
use nabo_shared::rewards::payments::MAX_WHAT;
use nabo_shared::signed::Signed;
use rusqlite::params;

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{key_of, parse, time_of, ts};
use super::Engine;

/// `offer/<id>`: a version of a partner's offer, signed by the partner, in
/// the community document.
pub(crate) const OFFER: Kind<Offer> = Kind::new(KindDecl {
    record: RecordKind::Offer,
    prefix: "offer",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "a newer version of the same offer signed by the same partner (the newest \
                    `updated_at` counts; a withdrawn one is no longer listed)",
    tables: &[TableDecl {
        table: Table::Offers,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, partner TEXT NOT NULL, \
                  title TEXT NOT NULL, price INTEGER NOT NULL, withdrawn INTEGER NOT NULL, \
                  updated_at TEXT NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_offer,
});

fn project_offer(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let offer: OfferId = kinds::id_of(id)?;
    let o = kinds::open::<Offer>(bytes)?;
    let v = &o.value;
    row.expect(v.community == row.doc.community && v.id == offer && v.partner == o.signer)?;
    if !v.well_formed() {
        return Err(kinds::invalid("price", FieldProblem::OutOfRange));
    }
    row.insert(
        Table::Offers,
        &[
            &offer.to_string(),
            &row.doc.community.to_string(),
            &v.partner.to_hex(),
            &v.title.trim(),
            &i64::try_from(v.price).unwrap_or(i64::MAX),
            &v.withdrawn,
            &ts(v.updated_at),
        ],
    )
}

impl Engine {
    /// What partners offer now: the newest version of each offer its
    /// partner signed, not withdrawn, of a member who is a partner now (any
    /// of their devices), by partner and title.
    pub fn offers(&self) -> Result<Vec<OfferView>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let me = who.identity(&ctx.me);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, partner, title, price, withdrawn, MAX(updated_at || partner)
               FROM offers WHERE community = ?1 GROUP BY id, partner",
        )?;
        let rows = stmt
            .query_map([ctx.community.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for (id, partner, title, price, withdrawn) in rows {
            let key = key_of(&partner)?;
            let Some(m) = who.member(&key).filter(|m| m.role == Role::Partner) else {
                continue;
            };
            if withdrawn {
                continue;
            }
            out.push(OfferView {
                id: parse(&id, "offer id")?,
                partner: m.name.clone(),
                title,
                price: u64::try_from(price).map_err(|_| EngineError::corrupt("price", price))?,
                mine: who.identity(&key) == me,
            });
        }
        out.sort_by(|a, b| (&a.partner, &a.title, a.id).cmp(&(&b.partner, &b.title, b.id)));
        Ok(out)
    }

    /// Saves a new offer of this device's partner, or a new version of one
    /// it signed (partners only).
    pub fn save_offer(
        &mut self,
        id: Option<OfferId>,
        title: &str,
        price: u64,
    ) -> Result<OfferView> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none_or(|m| m.role != Role::Partner) {
            return Err(Refused::Payment(
                nabo_shared::rewards::payments::PaymentProblem::NotAPartner,
            )
            .into());
        }
        let invalid = |field: &'static str, problem| -> EngineError {
            Refused::InvalidField { field, problem }.into()
        };
        let title = title.trim();
        if title.is_empty() {
            return Err(invalid("title", FieldProblem::Required));
        }
        if title.chars().count() > MAX_WHAT {
            return Err(invalid("title", FieldProblem::TooLong));
        }
        if !(1..=MAX_AMOUNT).contains(&price) {
            return Err(invalid("price", FieldProblem::OutOfRange));
        }
        let id = match id {
            Some(id) => {
                self.own_offer(&ctx, id)?;
                id
            }
            None => OfferId::from_bytes(super::random()?),
        };
        self.sign_offer(&ctx, id, title, price, false)?;
        self.offers()?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| EngineError::Invariant {
                what: "a saved offer is listed".into(),
            })
    }

    /// Withdraws one of this device's offers.
    pub fn withdraw_offer(&mut self, id: OfferId) -> Result<()> {
        let ctx = self.ctx()?;
        let (title, price) = self.own_offer(&ctx, id)?;
        self.sign_offer(&ctx, id, &title, price, true)
    }

    /// The title and price of this device's own offer `id`.
    fn own_offer(&self, ctx: &super::Ctx, id: OfferId) -> Result<(String, u64)> {
        let found: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT title, price FROM offers
                  WHERE community = ?1 AND id = ?2 AND partner = ?3
                  ORDER BY updated_at DESC LIMIT 1",
                params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let (title, price) = found.ok_or(Refused::NotFound(Missing::Offer))?;
        Ok((title, u64::try_from(price).unwrap_or(0)))
    }

    fn sign_offer(
        &mut self,
        ctx: &super::Ctx,
        id: OfferId,
        title: &str,
        price: u64,
        withdrawn: bool,
    ) -> Result<()> {
        // Just after this device's newest version, so it supersedes it.
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(updated_at) FROM offers WHERE community = ?1 AND id = ?2 AND partner = ?3",
            params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
            |r| r.get(0),
        )?;
        let now = self.now();
        let updated_at = match newest.as_deref().map(time_of).transpose()? {
            Some(newest) if newest >= now => newest + Duration::milliseconds(1),
            _ => now,
        };
        let offer = Offer {
            id,
            community: ctx.community,
            partner: ctx.me,
            title: title.to_owned(),
            price,
            withdrawn,
            updated_at,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(OFFER.key(id), &Signed::seal(&self.key, &offer))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }
}
