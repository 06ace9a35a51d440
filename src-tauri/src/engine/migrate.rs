//! Bringing files written by older versions of Nabo up to date, in place,
//! without losing a record.

use automerge::{transaction::Transactable, ReadDoc, ROOT};
use nabo_shared::ids::CommunityId;
use nabo_shared::records::{CheckIn, LedgerEntry, Signed};
use rusqlite::params;

use super::{store, DocId, DocKind, Engine, Result};

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
    /// Version 1 kept each community's check-ins and ledger entries in one
    /// document per month; version 2 keeps one per member and month. Every
    /// record moves, as the same signed bytes, into its member's document;
    /// the old documents go; the projection is rebuilt. All in one go: if
    /// anything fails, the file stays as it was and the next start retries.
    pub(super) fn migrate_from_v1(&mut self) -> Result<()> {
        let names: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM docs WHERE kind IN ('checkins', 'ledger')")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut staged = Vec::new();
        let mut old = Vec::new();
        let (mut moved, mut dropped) = (0, 0);
        for name in names {
            let Some((kind, community, month)) = legacy(&name) else {
                continue;
            };
            let Some(doc) = store::load_named(&self.conn, &name)? else {
                continue;
            };
            for key in doc.keys(ROOT).collect::<Vec<_>>() {
                let values = doc
                    .get_all(ROOT, &key)
                    .map_err(|e| super::EngineError::doc(&name, e))?;
                for (value, _) in values {
                    let Some(bytes) = value.as_bytes().map(<[u8]>::to_vec) else {
                        dropped += 1;
                        continue;
                    };
                    // Where it belongs: its member's document. A record that
                    // does not verify was never counted; it is not carried over.
                    let target = match kind {
                        DocKind::Checkins => Signed::<CheckIn>::open_bytes(&bytes)
                            .ok()
                            .map(|c| DocId::checkins(community, &c.value.member, c.value.at)),
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
                    let i = self.stage_into(&mut staged, target)?;
                    staged[i]
                        .doc
                        .put(ROOT, key.as_str(), bytes)
                        .map_err(|e| super::EngineError::doc(target, e))?;
                    moved += 1;
                }
            }
            old.push(name);
        }
        self.commit(staged, &[])?;
        let tx = self.conn.transaction()?;
        for name in &old {
            tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", params![name])?;
            tx.execute("DELETE FROM docs WHERE id = ?1", params![name])?;
        }
        tx.commit()?;
        self.rebuild_projection()?;
        store::set_version(&self.conn)?;
        log::info!(
            "store migrated to one document per member: {moved} records moved from {} documents, \
             {dropped} unverifiable values left behind",
            old.len()
        );
        Ok(())
    }
}
