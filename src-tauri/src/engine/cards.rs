//! Member cards for residents without a smartphone: enrolling a holder and
//! printing their card, a new card for a lost one, checking a holder in by
//! card, and taking a payment by card with the holder's PIN. The records
//! and the reasoning are in `nabo_shared::members::cards`.
//!
//! The card's secret key exists in this module only while a card is being
//! printed or a payment signed: it is sealed under the holder's PIN
//! (Argon2id, then ChaCha20-Poly1305) into the card's QR code and dropped.
//! A payee's device allows [`TRIES_PER_DAY`] wrong PINs per card a day, so
//! a stolen card cannot be tried at a counter; a photocopy can be tried
//! offline, and each guess costs an Argon2id run of 64 MiB (see
//! THREAT-MODEL.md for what that buys).

use std::collections::BTreeMap;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use nabo_shared::activities::{CheckIn, CheckinCode, ScanOutcome};
use nabo_shared::api::{Missing, Table};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::fields::{FieldProblem, MAX_TITLE};
use nabo_shared::ids::{ActivityId, CheckinId, EntryId};
use nabo_shared::members::authority::Authority;
use nabo_shared::members::cards::{
    pin_digits, Card, CardCode, CardLock, CardProblem, CardScanned, CardTexts,
};
use nabo_shared::members::devices::{DeviceLink, DeviceRetirement};
use nabo_shared::members::{Membership, Role};
use nabo_shared::review::{RecordKind, Writer};
use nabo_shared::rewards::ledger::Account;
use nabo_shared::rewards::payments::{payment_for, BalanceStatement, PaymentReceipt};
use nabo_shared::scan::Scanned;
use nabo_shared::signed::Signed;
use rusqlite::{params, Connection};

use super::activities::{checked_in_on, CHECK_IN};
use super::devices::{DEVICE_LINK, DEVICE_RETIREMENT};
use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::members::MEMBERSHIP;
use super::print::{self, Weight};
use super::sql::{in_office, key_of, office_json, ts};
use super::{community, random, required, Ctx, Engine};
use nabo_shared::time::local_day;

/// `card/<card key>`: a coordinator's word that a key is a printed card.
pub(crate) const CARD: Kind<Card> = Kind::new(KindDecl {
    record: RecordKind::Card,
    prefix: "card",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "nothing: the earliest signed by a coordinator in office names the card's \
                    holder; a device retirement blocks a lost card",
    tables: &[TableDecl {
        table: Table::Cards,
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, card_key TEXT NOT NULL, \
                  signer TEXT NOT NULL, issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_card,
});

fn project_card(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let card = kinds::member_key_in(id)?;
    let c = kinds::open::<Card>(bytes)?;
    row.expect(c.value.community == row.doc.community && c.value.card == card)?;
    row.insert(
        Table::Cards,
        &[
            &row.doc.community.to_string(),
            &c.value.member.to_hex(),
            &card.to_hex(),
            &c.signer.to_hex(),
            &ts(c.value.issued_at),
        ],
    )
}

/// Wrong PINs per card, counted on this device only.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS card_tries (
    card TEXT NOT NULL,
    day TEXT NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (card, day)
);
";

/// Wrong PINs a payee's device takes per card and day.
pub const TRIES_PER_DAY: u32 = 5;

/// Argon2id at 64 MiB, three passes: about a second on a phone, and as
/// much memory per guess on whatever tries a photocopied card.
fn stretch(pin: &str, salt: &[u8; 16]) -> Result<[u8; 32]> {
    let params = Params::new(64 * 1024, 3, 1, Some(32)).map_err(|e| EngineError::Invariant {
        what: format!("Argon2 parameters: {e}"),
    })?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, &mut out)
        .map_err(|e| EngineError::Invariant {
            what: format!("Argon2: {e}"),
        })?;
    Ok(out)
}

/// Seals a card's secret key under `pin` (already checked and in ASCII
/// digits).
fn seal(secret: &SigningKey, pin: &str) -> Result<CardLock> {
    let salt: [u8; 16] = random()?;
    let nonce: [u8; 12] = random()?;
    let key = stretch(pin, &salt)?;
    let sealed = ChaCha20Poly1305::new(Key::from_slice(&key))
        .encrypt(Nonce::from_slice(&nonce), secret.to_bytes().as_slice())
        .map_err(|_| EngineError::Invariant {
            what: "sealing a card key".into(),
        })?;
    Ok(CardLock {
        salt,
        nonce,
        sealed,
    })
}

/// A new card key, sealed under the PIN the holder chose (refused unless
/// it is 6 to 12 digits): its public half and its lock. The secret half is
/// dropped here.
fn new_key(pin: &str) -> Result<(MemberKey, CardLock)> {
    let pin = pin_digits(pin).ok_or(Refused::InvalidField {
        field: "pin",
        problem: FieldProblem::Invalid,
    })?;
    let secret = SigningKey::from_bytes(&random()?);
    Ok((MemberKey::of(&secret), seal(&secret, &pin)?))
}

/// Opens a card's lock with `pin`: its secret key, if the PIN is right and
/// the key is the card's.
fn unseal(code: &CardCode, pin: &str) -> Result<Option<SigningKey>> {
    let key = stretch(pin, &code.lock.salt)?;
    let Ok(secret) = ChaCha20Poly1305::new(Key::from_slice(&key)).decrypt(
        Nonce::from_slice(&code.lock.nonce),
        code.lock.sealed.as_slice(),
    ) else {
        return Ok(None);
    };
    let Ok(bytes) = <[u8; 32]>::try_from(secret.as_slice()) else {
        return Ok(None);
    };
    let key = SigningKey::from_bytes(&bytes);
    // A lock copied onto another card's key opens, but to the wrong key.
    Ok((MemberKey::of(&key) == code.card).then_some(key))
}

/// Every printed card a coordinator in office signed for, with its holder
/// (the earliest word counts).
fn cards(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<BTreeMap<MemberKey, MemberKey>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT card_key, member_key FROM cards WHERE community = ?1 AND ",
        in_office!("signer", "issued_at", "?2"),
        " ORDER BY issued_at DESC, signer DESC"
    ))?;
    let rows = stmt
        .query_map(params![ctx.community.to_string(), office_json(who)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    // Newest first, so the earliest is inserted last and stays.
    for (card, member) in rows {
        out.insert(key_of(&card)?, key_of(&member)?);
    }
    Ok(out)
}

/// The card keys a coordinator's word made printed cards.
pub(crate) fn card_keys(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<MemberKey>> {
    Ok(cards(conn, ctx, who)?.into_keys().collect())
}

/// A card's words, each cut to a line's worth.
fn cut(text: &str) -> String {
    text.trim().chars().take(MAX_TITLE).collect()
}

/// One A4 page with the card to cut out: the neighbourhood, the word
/// "member card", the holder's name and the short written code on the
/// left, the QR code on the right, and how to use it under the card.
fn card_page(
    community: &str,
    name: &str,
    short: &str,
    qr: &str,
    texts: &CardTexts,
    language: &str,
) -> Result<Vec<u8>> {
    // ISO/IEC 7810 ID-1: 85.6 × 54 mm.
    const W: f32 = 242.6;
    const H: f32 = 153.1;
    const X: f32 = 56.0;
    const Y: f32 = 56.0;
    const PAD: f32 = 10.0;
    // About 42 mm: modules of 0.7 mm, which a phone camera reads up close.
    const QR: f32 = 118.0;
    let title = format!("{} – {}", cut(&texts.heading), cut(name));
    print::page(595.0, 842.0, &title, language, |pen| {
        pen.frame(X, Y, W, H);
        let column = (X + PAD, X + W - QR - PAD / 2.0);
        let mut y = Y + PAD - 4.0;
        pen.paragraph(&mut y, &cut(community), (Weight::Regular, 8.0), column);
        pen.paragraph(&mut y, &cut(&texts.heading), (Weight::Bold, 10.0), column);
        y += 6.0;
        pen.paragraph(&mut y, &cut(name), (Weight::Bold, 12.0), column);
        y += 6.0;
        pen.paragraph(&mut y, &cut(&texts.code), (Weight::Regular, 7.0), column);
        pen.paragraph(&mut y, short, (Weight::Bold, 7.5), column);
        let mut below = Y + H + 12.0;
        pen.paragraph(
            &mut below,
            &texts.how.trim().chars().take(600).collect::<String>(),
            (Weight::Regular, 11.0),
            (X, 595.0 - X),
        );
        pen.qr(qr, X + W - QR - PAD / 2.0, Y + (H - QR) / 2.0, QR)
    })
}

/// A card that was printed: the PDF, and what the UI says about it.
pub struct Printed {
    pub pdf: Vec<u8>,
    pub holder: String,
    pub member: MemberKey,
    pub code: String,
}

impl Engine {
    /// Enrols a resident without a phone: a membership for a new card key,
    /// the record that says it is a card, and the printed card (PDF bytes).
    /// Coordinators only.
    pub fn enrol_card(&mut self, name: &str, pin: &str, texts: &CardTexts) -> Result<Printed> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let name = required("name", name, MAX_TITLE)?;
        let (card, lock) = new_key(pin)?;
        let now = self.signing_time(&ctx)?;
        let membership = Membership {
            community: ctx.community,
            member: card,
            name: name.clone(),
            role: Role::Resident,
            issued_at: now,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            MEMBERSHIP.key(card.to_hex()),
            &Signed::seal(&self.key, &membership),
        )?;
        self.put_card(&ctx, &mut doc, card, card, now)?;
        self.commit(vec![doc], &[])?;
        self.print_card(&ctx, card, card, lock, &name, texts)
    }

    /// Prints a new card for a member (a card holder whose card was lost,
    /// or a member with a phone who wants a card too): their earlier cards
    /// are blocked from now on, the new one is linked to them. Coordinators
    /// only; not for a coordinator's own account.
    pub fn new_card(&mut self, member: &str, pin: &str, texts: &CardTexts) -> Result<Printed> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let (member, name) = who
            .members
            .iter()
            .find(|(key, _)| key.key_id().to_string() == member.trim())
            .map(|(key, m)| (*key, m.name.clone()))
            .ok_or(Refused::NotFound(Missing::Member))?;
        if who.office.contains_key(&member) {
            return Err(Refused::CoordinatorDevice.into());
        }
        let (card, lock) = new_key(pin)?;
        let now = self.signing_time(&ctx)?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        for (old, holder) in cards(&self.conn, &ctx, &who)? {
            if holder == member && who.retired_at(&old).is_none() {
                let retirement = DeviceRetirement {
                    community: ctx.community,
                    member,
                    device: old,
                    issued_at: now,
                };
                doc.put(
                    DEVICE_RETIREMENT.key(old.to_hex()),
                    &Signed::seal(&self.key, &retirement),
                )?;
            }
        }
        let link = DeviceLink {
            community: ctx.community,
            member,
            device: card,
            issued_at: now,
        };
        doc.put(
            DEVICE_LINK.key(card.to_hex()),
            &Signed::seal(&self.key, &link),
        )?;
        self.put_card(&ctx, &mut doc, member, card, now)?;
        self.commit(vec![doc], &[])?;
        self.print_card(&ctx, member, card, lock, &name, texts)
    }

    fn put_card(
        &self,
        ctx: &Ctx,
        doc: &mut super::commit::Staged,
        member: MemberKey,
        card: MemberKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let record = Card {
            community: ctx.community,
            member,
            card,
            issued_at: now,
        };
        doc.put(CARD.key(card.to_hex()), &Signed::seal(&self.key, &record))
    }

    fn print_card(
        &self,
        ctx: &Ctx,
        member: MemberKey,
        card: MemberKey,
        lock: CardLock,
        name: &str,
        texts: &CardTexts,
    ) -> Result<Printed> {
        let code = CardCode {
            community: ctx.community,
            card,
            lock,
        };
        let community = community::community_name(&self.conn, &ctx.community)?.unwrap_or_default();
        let short = card.key_id().to_string();
        let language = self.setting("lang")?.unwrap_or_else(|| "da".into());
        let pdf = card_page(&community, name, &short, &code.encode(), texts, &language)?;
        Ok(Printed {
            pdf,
            holder: name.to_owned(),
            member,
            code: short,
        })
    }

    /// The card a scanned text or a typed short code names, and its holder:
    /// a card of this neighbourhood a coordinator issued, not blocked.
    pub(crate) fn card_holder(
        &self,
        ctx: &Ctx,
        who: &Authority,
        text: &str,
    ) -> Result<(MemberKey, MemberKey, Option<CardCode>)> {
        let refuse = |p| -> Result<(MemberKey, MemberKey, Option<CardCode>)> {
            Err(Refused::Card(p).into())
        };
        let known = cards(&self.conn, ctx, who)?;
        let (card, code) = match Scanned::parse(text) {
            Ok(Scanned::Card(code)) => {
                if code.community != ctx.community {
                    return refuse(CardProblem::OtherCommunity);
                }
                (code.card, Some(code))
            }
            Ok(other) => return Err(Refused::WrongKindOfCode(other.kind()).into()),
            // Typed in: the short code printed on the card.
            Err(_) => {
                let typed = text.trim().to_ascii_lowercase();
                match known.keys().find(|k| k.key_id().to_string() == typed) {
                    Some(card) => (*card, None),
                    None => return refuse(CardProblem::Unknown),
                }
            }
        };
        let Some(holder) = known.get(&card).copied() else {
            return refuse(CardProblem::Unknown);
        };
        if who.member(&card).is_none() || who.identity(&card) != holder {
            return refuse(CardProblem::Blocked);
        }
        if who.retired_at(&card).is_some() || who.shut_out(&card) {
            return refuse(CardProblem::Blocked);
        }
        Ok((card, holder, code))
    }

    /// A card scanned on the scan screen: whose it is (coordinators and
    /// partners; others are told it is not for them).
    pub(crate) fn scanned_card(&self, text: &str) -> Result<ScanOutcome> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let desk = who.is_coordinator(&ctx.me)
            || who.member(&ctx.me).is_some_and(|m| m.role == Role::Partner);
        if !desk {
            return Err(Refused::WrongKindOfCode(nabo_shared::codes::CodeKind::Card).into());
        }
        let (_, holder, _) = self.card_holder(&ctx, &who, text)?;
        Ok(ScanOutcome::Card(CardScanned {
            holder: who
                .member(&holder)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            member: holder.key_id().to_string(),
            card: text.trim().to_owned(),
        }))
    }

    /// Checks a card's holder in to an activity: this coordinator's device
    /// signs the check-in with its own current code (it saw the holder
    /// there), and rewards it at once. Once a day per activity, as for a
    /// phone.
    pub fn check_in_card(&mut self, text: &str, activity: ActivityId) -> Result<ScanOutcome> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let (card, _, _) = self.card_holder(&ctx, &who, text)?;
        let a = self
            .activity(&ctx, activity)?
            .ok_or(Refused::NotFound(Missing::Activity))?;
        if a.archived {
            return Err(Refused::ActivityArchived.into());
        }
        let now = self.now();
        if checked_in_on(
            &self.conn,
            &ctx,
            &who,
            &card,
            activity,
            local_day(now, ctx.tz),
        )? {
            return Ok(ScanOutcome::AlreadyCheckedIn { activity: a.title });
        }
        let checkin = CheckIn {
            id: CheckinId::from_bytes(random()?),
            community: ctx.community,
            activity,
            member: card,
            at: now,
            code: CheckinCode::issue(&self.key, ctx.community, activity, now),
        };
        let mut doc = self.stage(DocId::checkins(ctx.community, &card, now))?;
        doc.put(CHECK_IN.key(checkin.id), &Signed::seal(&self.key, &checkin))?;
        self.commit(vec![doc], &[])?;
        self.reconcile()?;
        Ok(ScanOutcome::CheckedIn {
            checkin: checkin.id,
            activity: a.title,
            reward: Some(a.reward),
            needs_approval: false,
        })
    }

    /// A card's holder pays one of this device's open requests with their
    /// PIN: the card's key, opened on this device for the moment, signs the
    /// payment, which this device then takes as any payment.
    pub fn pay_by_card(&mut self, request: &str, text: &str, pin: &str) -> Result<PaymentReceipt> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let request = match Scanned::parse(request).map_err(Refused::UnreadableCode)? {
            Scanned::PaymentRequest(r) if r.request.signer == MemberKey::of(&self.key) => r.request,
            Scanned::PaymentRequest(_) => {
                return Err(Refused::Payment(
                    nabo_shared::rewards::payments::PaymentProblem::UnknownRequest,
                )
                .into())
            }
            other => return Err(Refused::WrongKindOfCode(other.kind()).into()),
        };
        let (card, holder, code) = self.card_holder(&ctx, &who, text)?;
        // The PIN opens the card's QR, not its short code.
        let Some(code) = code else {
            return Err(Refused::WrongKindOfCode(nabo_shared::codes::CodeKind::Card).into());
        };
        let day = ts(self.now())[..10].to_owned();
        let failures: u32 = self.conn.query_row(
            "SELECT COALESCE((SELECT failures FROM card_tries WHERE card = ?1 AND day = ?2), 0)",
            params![card.to_hex(), day],
            |r| r.get(0),
        )?;
        if failures >= TRIES_PER_DAY {
            return Err(Refused::Card(CardProblem::TooManyTries).into());
        }
        let opened = match pin_digits(pin) {
            Some(pin) => unseal(&code, &pin)?,
            None => None,
        };
        let Some(secret) = opened else {
            self.conn.execute(
                "INSERT INTO card_tries(card, day, failures) VALUES (?1, ?2, 1)
                 ON CONFLICT(card, day) DO UPDATE SET failures = failures + 1",
                params![card.to_hex(), day],
            )?;
            return Err(Refused::Card(CardProblem::WrongPin {
                left: TRIES_PER_DAY - failures - 1,
            })
            .into());
        };
        self.conn
            .execute("DELETE FROM card_tries WHERE card = ?1", [card.to_hex()])?;
        // A coordinator's device knows the holder's balance: never more.
        if who.is_coordinator(&ctx.me) {
            self.require_covered(&ctx, &who, &holder, request.value.amount)?;
        }
        let payment = payment_for(
            &request.value,
            EntryId::from_bytes(random()?),
            Account::Member(card),
            self.now(),
        );
        let signed = Signed::seal(&secret, &payment);
        drop(secret);
        let verified = signed.open().map_err(|_| EngineError::Invariant {
            what: "a card payment's own signature".into(),
        })?;
        let statement = self
            .newest_statement_of(&ctx, &who, &holder)?
            .map(|bytes| Signed::<BalanceStatement>::open_bytes(&bytes))
            .transpose()
            .map_err(|_| EngineError::corrupt("statement", "envelope"))?;
        self.receive_payment(
            &signed,
            &verified,
            statement.as_ref(),
            None,
            super::payments::Unstated::Warn,
        )
    }
}
