//! Every value a document's history has ever held. The projection is derived
//! from these, not from the values a document holds now, so a delete or an
//! overwrite that arrives from a peer takes nothing away from what was
//! signed: **a signed record only grows**. A change of state is always a new
//! signed record (a newer version, a reinstatement), decided by each kind's
//! rule over all the values it ever had.
//!
//! Deletes, and overwrites that put an earlier value back, change nothing,
//! but are kept with the device that made them, for the coordinator's review
//! queue. Everything here follows from the changes alone, so a device that
//! receives the same history (in any order) keeps the same rows, and a
//! rebuild equals the incremental result.

use std::collections::BTreeSet;

use automerge::{Change, ScalarValue};
use rusqlite::{params, Connection, Transaction};
use sha2::{Digest, Sha256};

use super::docs::DocId;
use super::error::Result;

/// The history tables. Part of the projection: cleared and refilled by a
/// rebuild, compared by the convergence tests.
pub const SCHEMA: &str = "
-- Every value ever put under a document's root key. `bytes` is NULL for a
-- value that is not bytes (never a signed record); `actor` is the smallest
-- Automerge actor that put it; `puts` how many operations put it.
CREATE TABLE IF NOT EXISTS history_values (
    doc_id TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    hash BLOB NOT NULL,
    bytes BLOB,
    actor TEXT NOT NULL,
    puts INTEGER NOT NULL,
    PRIMARY KEY (doc_id, doc_key, hash)
);
-- Operations that deleted a root key or replaced its value: what the review
-- queue shows when they delete, or put an earlier value back.
CREATE TABLE IF NOT EXISTS history_changes (
    doc_id TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    change BLOB NOT NULL,
    op INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    hash BLOB,
    actor TEXT NOT NULL,
    PRIMARY KEY (change, op)
);
CREATE INDEX IF NOT EXISTS history_changes_by_key ON history_changes(doc_id, doc_key);
";

/// The history tables, for clearing and comparing.
pub const TABLES: [&str; 2] = ["history_values", "history_changes"];

/// Records what the changes did to the document's root keys; returns the
/// keys they touched.
pub fn record(tx: &Transaction<'_>, id: &DocId, changes: &[Change]) -> Result<BTreeSet<String>> {
    use automerge::legacy::{Key, ObjectId, OpType};
    let doc_id = id.to_string();
    let mut keys = BTreeSet::new();
    for change in changes {
        let actor = change.actor_id().to_hex_string();
        let hash = change.hash();
        for (index, op) in change.decode().operations.iter().enumerate() {
            let (ObjectId::Root, Key::Map(key)) = (&op.obj, &op.key) else {
                // Nabo writes flat maps; a write inside a nested object was
                // recorded as the object's root key (not a signed record).
                continue;
            };
            let key = key.to_string();
            let value = match &op.action {
                OpType::Put(ScalarValue::Bytes(bytes)) => {
                    Some((digest(bytes), Some(bytes.clone())))
                }
                OpType::Put(other) => Some((digest(format!("{other:?}").as_bytes()), None)),
                OpType::Make(kind) => Some((digest(format!("make {kind:?}").as_bytes()), None)),
                OpType::Delete => None,
                // Counters and marks: not Nabo's, and nothing to record.
                OpType::Increment(_) | OpType::MarkBegin(_) | OpType::MarkEnd(_) => continue,
            };
            if let Some((value_hash, bytes)) = &value {
                tx.prepare_cached(
                    "INSERT INTO history_values(doc_id, doc_key, hash, bytes, actor, puts)
                     VALUES (?1, ?2, ?3, ?4, ?5, 1)
                     ON CONFLICT(doc_id, doc_key, hash) DO UPDATE SET
                        actor = min(actor, excluded.actor), puts = puts + 1",
                )?
                .execute(params![
                    doc_id,
                    key,
                    value_hash.to_vec(),
                    bytes,
                    actor
                ])?;
            }
            let replaced = !op.pred.is_empty();
            if value.is_none() || replaced {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO history_changes(doc_id, doc_key, change, op, deleted, hash, actor)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    doc_id,
                    key,
                    hash.0.to_vec(),
                    index as i64,
                    value.is_none(),
                    value.as_ref().map(|(h, _)| h.to_vec()),
                    actor
                ])?;
            }
            keys.insert(key);
        }
    }
    Ok(keys)
}

/// Every value a key ever held: `(bytes, actor)`, `None` for a value that
/// is not bytes. In hash order, so every device reads them alike.
pub fn values(
    conn: &Connection,
    doc_id: &str,
    key: &str,
) -> Result<Vec<(Option<Vec<u8>>, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT bytes, actor FROM history_values WHERE doc_id = ?1 AND doc_key = ?2 ORDER BY hash",
    )?;
    let rows = stmt
        .query_map(params![doc_id, key], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}
