//! The coordinator's review queue: what needs a human. Today: values the
//! projection refused, records signed by someone without the right to write
//! them (checked for every kind that declares a coordinator as its writer),
//! join requests nobody may confirm, check-ins and volunteers' hours
//! waiting for a yes or no, and deletes and put-back versions
//! (which change nothing, see `history.rs`). Each item names its reason, the
//! signer and the device that wrote it.

use std::collections::{BTreeMap, BTreeSet};

use nabo_shared::crypto::MemberKey;
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{Party, RecordKind, RecordProblem, ReviewItem, ReviewReason, Writer};
use rusqlite::params;

use super::error::{EngineError, Result};
use super::kept::{self, What};
use super::kinds::KindDecl;
use super::registry::{decls, kind_of, KINDS};
use super::sql::{in_office, key_of, keys_json, office_json};
use super::{members, rewards, Engine};

impl Engine {
    /// Everything that needs a coordinator (coordinators only).
    pub fn review(&self) -> Result<Vec<ReviewItem>> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let coordinators = keys_json(&who.coordinators);
        let office = office_json(&who);
        let known = self.known_devices(&who)?;
        let party = |key: &MemberKey| Party {
            device: key.key_id().to_string(),
            name: self.member_name(key),
        };
        // The device behind an Automerge actor (the first 16 bytes of its key).
        let writer = |actor: &str| match known.get(actor) {
            Some(key) => party(key),
            None => Party {
                device: shown_actor(actor),
                name: None,
            },
        };
        let mut items = Vec::new();

        let mut stmt = self.conn.prepare_cached(
            "SELECT doc_id, doc_key, actor, record, signer, problem FROM rejected
              ORDER BY doc_id, doc_key, actor",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (doc, key, actor, record, signer, problem) in rows {
            let problem: RecordProblem = serde_json::from_str(&problem)
                .map_err(|_| EngineError::corrupt("refusal reason", &problem))?;
            let record = record
                .map(|r| {
                    serde_json::from_str::<RecordKind>(&r)
                        .map_err(|_| EngineError::corrupt("record kind", &r))
                })
                .transpose()?;
            let signer = signer.as_deref().map(key_of).transpose()?;
            items.push(ReviewItem {
                reason: ReviewReason::Refused { problem },
                record,
                signer: signer.as_ref().map(party),
                from: Some(writer(&actor)),
                location: format!("{doc} {key}"),
                subject: None,
            });
        }

        for found in self.unentitled(&office)? {
            items.push(ReviewItem {
                reason: ReviewReason::NotEntitled {
                    needs: found.kind.writer,
                },
                record: Some(found.kind.record),
                signer: Some(party(&key_of(&found.signer)?)),
                from: Some(writer(&found.actor)),
                location: format!("{} {}", found.doc, found.key),
                subject: None,
            });
        }

        let mut stmt = self.conn.prepare_cached(
            "SELECT doc_id, doc_key, actor, member_key FROM join_requests
              WHERE community = ?1
                AND NOT (invite_ok = 1 AND invite_issuer IN (SELECT value FROM json_each(?2)))
              ORDER BY doc_id, doc_key, actor",
        )?;
        let rows = stmt
            .query_map(params![ctx.community.to_string(), coordinators], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (doc, key, actor, member) in rows {
            let member = key_of(&member)?;
            if who.knows(&member) {
                continue;
            }
            items.push(ReviewItem {
                reason: ReviewReason::BadInvite,
                record: Some(RecordKind::JoinRequest),
                signer: Some(party(&member)),
                from: Some(writer(&actor)),
                location: format!("{doc} {key}"),
                subject: None,
            });
        }
        // Join requests from valid invites that wait for a human.
        let now = self.now();
        let invites = members::InviteState::load(&self.conn, &ctx, &who)?;
        for pending in members::pending_joins(&self.conn, &ctx, &who)? {
            let Some(why) = pending
                .valid
                .as_ref()
                .and_then(|v| v.needs_approval(now, &invites))
            else {
                continue;
            };
            items.push(ReviewItem {
                reason: ReviewReason::AwaitingApproval { why },
                record: Some(RecordKind::JoinRequest),
                signer: Some(party(&pending.member)),
                from: None,
                location: format!(
                    "community/{} join/{}",
                    ctx.community,
                    pending.member.to_hex()
                ),
                subject: Some(pending.member.key_id().to_string()),
            });
        }
        // Check-ins made with a poster, and those whose claimed time this
        // device does not believe.
        for late in rewards::late_checkins(&self.conn, &ctx, &who)? {
            let (activity, at) = (late.activity, late.at);
            items.push(ReviewItem {
                reason: if late.poster {
                    ReviewReason::PosterCheckin { activity, at }
                } else {
                    ReviewReason::LateCheckin { activity, at }
                },
                record: Some(RecordKind::CheckIn),
                signer: Some(party(&late.member)),
                from: None,
                location: late.location,
                subject: Some(late.checkin.to_string()),
            });
        }
        // Volunteers' hours waiting for a yes or no.
        for (volunteer, doc, line) in self.waiting_hours(&ctx, &who)? {
            items.push(ReviewItem {
                reason: ReviewReason::Hours {
                    activity: line.title,
                    date: line.date,
                    quarters: line.quarters,
                    points: line.points,
                    note: line.note,
                },
                record: Some(RecordKind::HourClaim),
                signer: Some(party(&volunteer)),
                from: None,
                location: format!("{doc} hours/{}", line.claim),
                subject: Some(
                    nabo_shared::rewards::hours::HoursRef {
                        claim: line.claim,
                        volunteer,
                    }
                    .to_string(),
                ),
            });
        }
        // Spendings that overdrew an account (two places spent one balance).
        let house =
            super::community::community_name(&self.conn, &ctx.community)?.unwrap_or_default();
        let settled = self.settled_overspends(&ctx, &who)?;
        for flag in self.overspends()? {
            if settled.contains(&flag.entry) {
                continue;
            }
            let payee = match flag.payee {
                Some(p) => who
                    .members
                    .get(&p)
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                None => house.clone(),
            };
            items.push(ReviewItem {
                reason: ReviewReason::Overspend {
                    payee,
                    amount: flag.amount,
                    what: flag.what,
                    at: flag.at,
                    balance_after: flag.balance_after,
                },
                record: Some(RecordKind::Payment),
                signer: Some(party(&flag.signer)),
                from: None,
                location: format!("payment/{}", flag.entry),
                subject: Some(flag.entry.to_string()),
            });
        }
        // Deletes, and earlier values put back: they changed nothing, but
        // the device that made them is worth a word.
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.doc_id, c.doc_key, c.actor, c.deleted FROM history_changes c
              WHERE c.deleted = 1
                 OR EXISTS (SELECT 1 FROM history_values v
                             WHERE v.doc_id = c.doc_id AND v.doc_key = c.doc_key
                               AND v.hash = c.hash AND v.puts > 1)
              ORDER BY c.doc_id, c.doc_key, c.actor, c.change",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (doc, key, actor, deleted) in rows {
            items.push(ReviewItem {
                reason: if deleted {
                    ReviewReason::Erased
                } else {
                    ReviewReason::PutBack
                },
                record: kind_of(&key).map(|(kind, _)| kind.record),
                signer: None,
                from: Some(writer(&actor)),
                location: format!("{doc} {key}"),
                subject: None,
            });
        }

        // Members who voted on paper and by phone (the paper ballot
        // counts), and census codes entered more than once (the newest
        // counts).
        let (doubles, codes) = self.double_votes(&ctx, &who)?;
        for (round, member) in doubles {
            items.push(ReviewItem {
                reason: ReviewReason::DoubleVote { round },
                record: Some(RecordKind::PaperBallot),
                signer: Some(party(&member)),
                from: None,
                location: String::new(),
                subject: None,
            });
        }
        for (round, census) in codes {
            items.push(ReviewItem {
                reason: ReviewReason::CodeUsedTwice { round },
                record: Some(RecordKind::CensusBallot),
                signer: None,
                from: None,
                location: format!("census-ballot/{census}"),
                subject: None,
            });
        }
        Ok(items)
    }

    /// Values of kinds a coordinator writes, signed by a key that was not a
    /// coordinator's in office then, in the order of [`KINDS`] and then of
    /// document, key and actor. Kept between calls ([`Unentitled`]): only
    /// keys re-projected since are looked at again.
    fn unentitled(&self, office: &str) -> Result<Vec<Unsigned>> {
        let mut slot = self.unentitled.borrow_mut();
        let unentitled = match slot.as_mut() {
            Some(unentitled) => unentitled,
            None => {
                let mut found: BTreeMap<(String, String), Vec<Unsigned>> = BTreeMap::new();
                for kind in decls() {
                    for row in unentitled_rows(&self.conn, kind, office, None)? {
                        found
                            .entry((row.doc.clone(), row.key.clone()))
                            .or_default()
                            .push(row);
                    }
                }
                let ctx = self.ctx()?;
                let heads = kept::community_heads(&self.conn, ctx.community)?;
                let verdicts: Vec<_> = found
                    .iter()
                    .map(|(at, rows)| kept_verdict(at, rows))
                    .collect();
                kept::save(&self.conn, What::Signatures, Some(&heads), &verdicts);
                slot.insert(Unentitled {
                    found,
                    stale: BTreeSet::new(),
                })
            }
        };
        if !unentitled.stale.is_empty() {
            let mut verdicts = Vec::new();
            for (doc, key) in std::mem::take(&mut unentitled.stale) {
                let at = (doc, key);
                unentitled.found.remove(&at);
                let rows = match kind_of(&at.1) {
                    Some((kind, _)) => {
                        unentitled_rows(&self.conn, kind, office, Some((&at.0, &at.1)))?
                    }
                    None => Vec::new(),
                };
                verdicts.push(kept_verdict(&at, &rows));
                if !rows.is_empty() {
                    unentitled.found.insert(at, rows);
                }
            }
            kept::save(&self.conn, What::Signatures, None, &verdicts);
        }
        let mut out: Vec<Unsigned> = unentitled.found.values().flatten().cloned().collect();
        out.sort_by(|a, b| {
            (a.order, &a.doc, &a.key, &a.actor).cmp(&(b.order, &b.doc, &b.key, &b.actor))
        });
        Ok(out)
    }

    /// The devices this device knows in its community (members, devices
    /// asking to join, signers of refused values), by the Automerge actor
    /// each writes as.
    fn known_devices(&self, who: &Authority) -> Result<BTreeMap<String, MemberKey>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT member_key FROM join_requests
             UNION SELECT signer FROM rejected WHERE signer IS NOT NULL",
        )?;
        let seen = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut keys: Vec<MemberKey> = seen.iter().map(|k| key_of(k)).collect::<Result<_>>()?;
        keys.extend(
            who.coordinators
                .iter()
                .chain(who.members.keys())
                .chain(who.devices.keys())
                .chain(&who.revoked),
        );
        keys.push(self.device_key());
        Ok(keys
            .into_iter()
            .map(|key| (hex_of(&key.0[..16]), key))
            .collect())
    }
}

/// A value of a kind a coordinator writes, signed out of office.
#[derive(Clone)]
struct Unsigned {
    /// Its kind's place in [`KINDS`] (the queue's order).
    order: usize,
    kind: &'static KindDecl,
    doc: String,
    key: String,
    actor: String,
    signer: String,
}

/// The values of kinds a coordinator writes that were signed out of office,
/// by document and key, kept between calls; dropped when the community
/// document changes (who held office may have changed).
#[derive(Default)]
pub(crate) struct Unentitled {
    found: BTreeMap<(String, String), Vec<Unsigned>>,
    /// Keys re-projected since, to look at again.
    stale: BTreeSet<(String, String)>,
}

impl Unentitled {
    /// Marks keys just re-projected (`(doc, key)`) to be looked at again.
    pub(crate) fn moved(&mut self, keys: impl IntoIterator<Item = (String, String)>) {
        self.stale.extend(keys);
    }

    /// What the store keeps, if it holds for the community document's
    /// `heads` (on opening the store).
    pub(crate) fn restore(conn: &rusqlite::Connection, heads: &[u8]) -> Result<Option<Self>> {
        kept::restore(conn, What::Signatures, heads, |kept| {
            let at = |key: &str| {
                serde_json::from_str::<(String, String)>(key).map_err(|e| e.to_string())
            };
            let mut found = BTreeMap::new();
            for (key, verdict) in &kept.verdicts {
                let (doc, key) = at(key)?;
                let rows: Vec<(String, String, String)> =
                    serde_json::from_str(verdict).map_err(|e| e.to_string())?;
                let rows = rows
                    .into_iter()
                    .map(|(prefix, actor, signer)| {
                        let order = decls()
                            .position(|k| k.prefix == prefix)
                            .ok_or_else(|| prefix.clone())?;
                        Ok(Unsigned {
                            order,
                            kind: KINDS[order].decl(),
                            doc: doc.clone(),
                            key: key.clone(),
                            actor,
                            signer,
                        })
                    })
                    .collect::<std::result::Result<_, String>>()?;
                found.insert((doc, key), rows);
            }
            let stale = kept
                .marks
                .iter()
                .map(|k| at(k))
                .collect::<std::result::Result<_, _>>()?;
            Ok(Self { found, stale })
        })
    }
}

/// A document key as the store keeps what it found there.
pub(crate) fn kept_key((doc, key): &(String, String)) -> String {
    serde_json::to_string(&(doc, key)).unwrap_or_default()
}

/// What was found at a document key as the store keeps it (`None`:
/// nothing).
fn kept_verdict(at: &(String, String), rows: &[Unsigned]) -> (String, Option<String>) {
    let rows: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r.kind.prefix, r.actor.as_str(), r.signer.as_str()))
        .collect();
    (
        kept_key(at),
        // Plain strings: they always serialize.
        (!rows.is_empty()).then(|| serde_json::to_string(&rows).unwrap_or_default()),
    )
}

/// Whether a key's values may need a coordinator's signature (its kind is
/// one a coordinator writes).
pub(crate) fn needs_office(key: &str) -> bool {
    kind_of(key).is_some_and(|(kind, _)| kind.writer == Writer::Coordinator)
}

/// The values of `kind` (of one document key, or all) whose signer was not
/// a coordinator in office when it signed.
fn unentitled_rows(
    conn: &rusqlite::Connection,
    kind: &'static KindDecl,
    office: &str,
    only: Option<(&str, &str)>,
) -> Result<Vec<Unsigned>> {
    let mut out = Vec::new();
    if kind.writer != Writer::Coordinator {
        return Ok(out);
    }
    let order = decls()
        .position(|k| k.prefix == kind.prefix)
        .unwrap_or(usize::MAX);
    for table in kind.tables.iter() {
        let Some(at) = table.signed_at else { continue };
        let only_key = if only.is_some() {
            "doc_id = ?2 AND doc_key = ?3 AND"
        } else {
            "?2 IS NULL AND ?3 IS NULL AND"
        };
        let mut stmt = conn.prepare_cached(&format!(
            // No ORDER BY: the caller sorts what it finds (a few rows),
            // and an order would make SQLite walk the table through an
            // index, row by row, instead of reading it straight.
            "SELECT doc_id, doc_key, actor, signer FROM {}
              WHERE {only_key} NOT {}",
            table.table,
            in_office!("signer", "{at}", "?1").replace("{at}", at)
        ))?;
        let (doc, key) = only.unzip();
        let rows = stmt.query_map(params![office, doc, key], |r| {
            Ok(Unsigned {
                order,
                kind,
                doc: r.get(0)?,
                key: r.get(1)?,
                actor: r.get(2)?,
                signer: r.get(3)?,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An unknown device as the queue shows it: the first 8 bytes of the key
/// it wrote under, grouped like a key fingerprint.
fn shown_actor(actor: &str) -> String {
    let digits: String = actor.chars().take(16).collect();
    digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}
