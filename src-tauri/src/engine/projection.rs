//! Projects document records into SQLite tables, one key at a time.
//!
//! For a key, every value Automerge holds (there can be several after
//! concurrent writes) is opened and checked on its own: signature, that the
//! record sits under its own key and in the right document, and that its
//! fields make sense. Each value that passes becomes a row; each that fails
//! becomes a `rejected` row with its reason. Whether the signer had the right
//! to write it is not decided here but by the queries, so a key's rows depend
//! on nothing but that key's values: projecting keys in any order, once each
//! or again and again, gives the same tables.

use automerge::{AutoCommit, ReadDoc, ROOT};
use chrono::{DateTime, SecondsFormat, Utc};
use nabo_shared::records::{
    Activity, CheckIn, EntryReason, Genesis, JoinRequest, LedgerEntry, Membership, Revocation,
    Signed,
};
use nabo_shared::rules::validate_activity;
use rusqlite::{params, Transaction};

use super::docs::{DocId, DocKind, RecordKey};
use super::error::{EngineError, Result};

/// Timestamps are stored as RFC 3339 UTC with milliseconds, so text order is
/// time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Re-projects one key of one document.
pub fn project_key(tx: &Transaction<'_>, id: &DocId, doc: &AutoCommit, key: &str) -> Result<()> {
    let doc_id = id.to_string();
    for table in super::store::PROJECTION_TABLES {
        tx.execute(
            &format!("DELETE FROM {table} WHERE doc_id = ?1 AND doc_key = ?2"),
            params![doc_id, key],
        )?;
    }
    let values = doc
        .get_all(ROOT, key)
        .map_err(|e| EngineError::doc(id, e))?;
    if values.is_empty() {
        return Ok(());
    }
    let Some(record_key) = RecordKey::parse(key).filter(|k| k.home() == id.kind) else {
        return reject(tx, &doc_id, key, "a key Nabo does not write here");
    };
    for (value, _) in values {
        let Some(bytes) = value.as_scalar().and_then(|s| match s {
            automerge::ScalarValue::Bytes(b) => Some(b.as_slice()),
            _ => None,
        }) else {
            reject(tx, &doc_id, key, "not a signed record")?;
            continue;
        };
        if let Err(reason) = project_value(tx, id, &doc_id, key, record_key, bytes) {
            reject(tx, &doc_id, key, &reason)?;
        }
    }
    Ok(())
}

fn reject(tx: &Transaction<'_>, doc_id: &str, key: &str, reason: &str) -> Result<()> {
    log::warn!("refused {doc_id} {key}: {reason}");
    tx.execute(
        "INSERT INTO rejected(doc_id, doc_key, reason) VALUES (?1, ?2, ?3)",
        params![doc_id, key, reason],
    )?;
    Ok(())
}

/// Checks one value and inserts its row. `Err` carries the reason it was refused.
fn project_value(
    tx: &Transaction<'_>,
    id: &DocId,
    doc_id: &str,
    key: &str,
    record_key: RecordKey,
    bytes: &[u8],
) -> std::result::Result<(), String> {
    let community = id.community;
    let sql = |e: rusqlite::Error| e.to_string();
    let wrong = |what: &str| Err(format!("{what} does not match where it is stored"));
    match record_key {
        RecordKey::Genesis => {
            let g = Signed::<Genesis>::open_bytes(bytes).map_err(|e| e.to_string())?;
            if g.value.community != community || g.signer != g.value.founding_key {
                return wrong("genesis");
            }
            if !g.value.is_self_certifying() {
                return Err("the community id does not belong to the founding key".into());
            }
            tx.execute(
                "INSERT INTO communities VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    community.to_string(),
                    g.value.name,
                    g.value.founding_key.to_hex(),
                    g.value.time_zone,
                    ts(g.value.created_at),
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
        RecordKey::Member(member) => {
            let m = Signed::<Membership>::open_bytes(bytes).map_err(|e| e.to_string())?;
            if m.value.community != community || m.value.member != member {
                return wrong("membership");
            }
            tx.execute(
                "INSERT INTO members VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    community.to_string(),
                    member.to_hex(),
                    m.value.name,
                    m.value.role.as_str(),
                    m.signer.to_hex(),
                    ts(m.value.issued_at),
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
        RecordKey::Revoked(member) => {
            let r = Signed::<Revocation>::open_bytes(bytes).map_err(|e| e.to_string())?;
            if r.value.community != community || r.value.member != member {
                return wrong("revocation");
            }
            tx.execute(
                "INSERT INTO revocations VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    community.to_string(),
                    member.to_hex(),
                    r.signer.to_hex(),
                    ts(r.value.issued_at),
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
        RecordKey::Join(member) => {
            let j = Signed::<JoinRequest>::open_bytes(bytes).map_err(|e| e.to_string())?;
            if j.value.community != community || j.value.member != member || j.signer != member {
                return wrong("join request");
            }
            let invite = &j.value.invite;
            let invite_ok = invite.community == community
                && invite.signature_ok()
                && j.value.requested_at.timestamp() <= invite.expires_at;
            tx.execute(
                "INSERT INTO join_requests VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    community.to_string(),
                    member.to_hex(),
                    j.value.name,
                    invite.role.as_str(),
                    invite.issuer.to_hex(),
                    invite_ok,
                    ts(j.value.requested_at),
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
        RecordKey::Activity(activity) => {
            let a = Signed::<Activity>::open_bytes(bytes).map_err(|e| e.to_string())?;
            if a.value.community != community || a.value.id != activity {
                return wrong("activity");
            }
            validate_activity(&a.value).map_err(|(field, problem)| format!("{field} {problem}"))?;
            let schedule = serde_json::to_string(&a.value.schedule).map_err(|e| e.to_string())?;
            tx.execute(
                "INSERT INTO activities VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    activity.to_string(),
                    community.to_string(),
                    a.value.title.trim(),
                    a.value.description,
                    a.value.place,
                    schedule,
                    a.value.reward,
                    a.value.daily_cap,
                    ts(a.value.updated_at),
                    a.signer.to_hex(),
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
        RecordKey::Checkin(checkin) => {
            let c = Signed::<CheckIn>::open_bytes(bytes).map_err(|e| e.to_string())?;
            let v = &c.value;
            if v.community != community
                || v.id != checkin
                || v.member != c.signer
                || v.code.community != community
                || v.code.activity != v.activity
                || DocId::checkins(community, &v.member, v.at) != *id
            {
                return wrong("check-in");
            }
            let code = postcard::to_allocvec(&v.code).map_err(|e| e.to_string())?;
            tx.execute(
                "INSERT INTO checkins VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    checkin.to_string(),
                    community.to_string(),
                    v.activity.to_string(),
                    v.member.to_hex(),
                    ts(v.at),
                    code,
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
        RecordKey::Reward(entry) => {
            let e = Signed::<LedgerEntry>::open_bytes(bytes).map_err(|e| e.to_string())?;
            let v = &e.value;
            let EntryReason::CheckIn { checkin, activity } = &v.reason;
            if v.community != community
                || v.id != entry
                || entry.as_bytes() != checkin.as_bytes()
                || id.member != Some(v.to.key_id())
            {
                return wrong("ledger entry");
            }
            debug_assert_eq!(id.kind, DocKind::Ledger);
            tx.execute(
                "INSERT INTO ledger VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    entry.to_string(),
                    community.to_string(),
                    v.to.to_hex(),
                    v.amount,
                    checkin.to_string(),
                    activity.to_string(),
                    ts(v.issued_at),
                    e.signer.to_hex(),
                    doc_id,
                    key
                ],
            )
            .map_err(sql)?;
        }
    }
    Ok(())
}
