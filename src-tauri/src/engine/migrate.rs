//! Bringing files written by older versions of Nabo up to date, in place,
//! without losing a record. Every step runs in one SQLite transaction: if
//! anything fails, the file stays exactly as it was and the next start
//! tries again.

use std::collections::BTreeMap;

use automerge::{transaction::Transactable, AutoCommit, ReadDoc, ROOT};
use nabo_shared::ids::CommunityId;
use nabo_shared::rewards::LedgerEntry;
use nabo_shared::signed::Signed;
use rusqlite::Transaction;

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Result};
use super::{projection, registry, store, Engine};

/// A version-1 name: `checkins/<community>/YYYY-MM` or `ledger/<community>/YYYY-MM`.
fn legacy(name: &str) -> Option<(DocKind, CommunityId, (i32, u32))> {
    let mut parts = name.split('/');
    let kind = match parts.next()? {
        "checkins" => DocKind::Checkins,
        "ledger" => DocKind::Ledger,
        _ => return None,
    };
    let community = parts.next()?.parse().ok()?;
    let (y, m) = parts.next()?.split_once('-')?;
    let month = (y.parse().ok()?, m.parse().ok()?);
    parts.next().is_none().then_some((kind, community, month))
}

impl Engine {
    /// Migrates a file of schema `from` to the current one.
    pub(super) fn migrate(&mut self, from: i64) -> Result<()> {
        let actor = self.actor.clone();
        let tx = self.conn.transaction()?;
        if !store::has_heads_column(&tx)? {
            tx.execute("ALTER TABLE docs ADD COLUMN heads BLOB", [])?;
        }
        let moved = if from < 2 {
            split_by_member(&tx, &actor)?
        } else {
            None
        };
        fill_heads(&tx)?;
        // The projection is rebuilt from the documents, in today's tables.
        for table in projection::table_names().chain(projection::DERIVED) {
            tx.execute(&format!("DROP TABLE IF EXISTS {table}"), [])?;
        }
        tx.execute_batch(&projection::schema())?;
        projection::rebuild(&tx, projection::Docs::ChangedHere)?;
        // Rowids restarted: reconcile's kept marks mean nothing now.
        tx.execute("DELETE FROM reconcile_marks", [])?;
        super::kept::forget(&tx)?;
        tx.pragma_update(None, "user_version", store::SCHEMA_VERSION)?;
        tx.commit()?;
        self.docs.clear();
        self.community_changed();
        self.changed
            .extend(registry::projection_tables().map(|t| t.table));
        if let Some((records, documents, dropped)) = moved {
            log::info!(
                "store migrated to one document per member: {records} records moved from \
                 {documents} documents, {dropped} unverifiable values left behind"
            );
        }
        log::info!(
            "store migrated from schema {from} to {}",
            store::SCHEMA_VERSION
        );
        Ok(())
    }
}

/// Version 1 kept each community's check-ins and ledger entries in one
/// document per month; version 2 keeps one per member and month. Every
/// record moves, as the same signed bytes, into its member's document; the
/// old documents go. Returns `(records moved, documents removed, values
/// left behind)`.
fn split_by_member(
    tx: &Transaction<'_>,
    actor: &automerge::ActorId,
) -> Result<Option<(u32, usize, u32)>> {
    let names: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM docs WHERE kind IN ('checkins', 'ledger')")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Each target with the heads it had (none: it is new).
    let mut targets: BTreeMap<DocId, (AutoCommit, Vec<automerge::ChangeHash>)> = BTreeMap::new();
    let mut old = Vec::new();
    let (mut moved, mut dropped) = (0, 0);
    for name in names {
        let Some((kind, community, month)) = legacy(&name) else {
            continue;
        };
        let Some(doc) = store::load_named(tx, &name)? else {
            continue;
        };
        for key in doc.keys(ROOT).collect::<Vec<_>>() {
            let values = doc
                .get_all(ROOT, &key)
                .map_err(|e| EngineError::doc(&name, e))?;
            for (value, _) in values {
                let Some(bytes) = value.as_bytes().map(<[u8]>::to_vec) else {
                    dropped += 1;
                    continue;
                };
                // Where it belongs: its member's document. A record that
                // does not verify was never counted; it is not carried over.
                let target = match kind {
                    DocKind::Checkins => {
                        Signed::<nabo_shared::activities::CheckIn>::open_bytes(&bytes)
                            .ok()
                            .map(|c| DocId::checkins(community, &c.value.member, c.value.at))
                    }
                    _ => Signed::<LedgerEntry>::open_bytes(&bytes)
                        .ok()
                        .map(|e| DocId {
                            kind: DocKind::Ledger,
                            community,
                            member: Some(e.value.to.key_id()),
                            month: Some(month),
                        }),
                };
                let Some(target) = target else {
                    dropped += 1;
                    continue;
                };
                let (doc, _) = match targets.entry(target) {
                    std::collections::btree_map::Entry::Occupied(slot) => slot.into_mut(),
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        let mut existing = store::load_doc(tx, &target)?
                            .unwrap_or_default()
                            .with_actor(actor.clone());
                        let before = existing.get_heads();
                        slot.insert((existing, before))
                    }
                };
                doc.put(ROOT, key.as_str(), bytes)
                    .map_err(|e| EngineError::doc(target, e))?;
                moved += 1;
            }
        }
        old.push(name);
    }
    for (id, (mut doc, before)) in targets {
        let chunk = doc.save_after(&before);
        store::append_chunk(tx, &id, &chunk, &mut doc)?;
    }
    for name in &old {
        store::remove_doc(tx, name)?;
    }
    Ok(Some((moved, old.len(), dropped)))
}

/// Records the heads of documents saved before the `docs` table kept them.
fn fill_heads(tx: &Transaction<'_>) -> Result<()> {
    let names: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM docs WHERE heads IS NULL")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for name in names {
        let mut doc = store::load_named(tx, &name)?.unwrap_or_default();
        store::put_heads(tx, &name, &doc.get_heads())?;
    }
    Ok(())
}
