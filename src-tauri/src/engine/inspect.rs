//! What tests and benchmarks look at to compare devices: document heads,
//! projection dumps, a rebuilt projection, the changes that arrived.

use std::collections::BTreeMap;

use automerge::ChangeHash;
use nabo_shared::crypto::MemberKey;

use super::docs::{DocId, Holder};
use super::error::Result;
use super::{kept, projection, registry, store, Engine};

impl Engine {
    /// Heads of every stored document (tests compare devices with this).
    pub fn doc_heads(&mut self) -> Result<BTreeMap<String, Vec<ChangeHash>>> {
        let mut out = BTreeMap::new();
        for id in store::all_doc_ids(&self.conn)? {
            let heads = store::heads(&self.conn, &id)?.unwrap_or_default();
            out.insert(id.to_string(), heads);
        }
        Ok(out)
    }

    /// Clears the projection and rebuilds it from the documents alone.
    pub fn rebuild_projection(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        projection::clear(&tx)?;
        projection::rebuild(&tx, projection::Docs::AsCommitted)?;
        // Rowids restarted: reconcile's kept marks mean nothing now.
        tx.execute("DELETE FROM reconcile_marks", [])?;
        kept::forget(&tx)?;
        tx.commit()?;
        self.docs.clear();
        self.community_changed();
        self.changed
            .extend(registry::projection_tables().map(|t| t.table));
        Ok(())
    }

    /// The heads and projection rows of the documents `device` may hold (a
    /// coordinator: all). Two devices agree on everything they share when
    /// these are equal.
    #[allow(clippy::type_complexity)]
    pub fn shared_state(
        &mut self,
        device: &MemberKey,
        coordinator: bool,
    ) -> Result<(BTreeMap<String, Vec<ChangeHash>>, Vec<String>)> {
        let holder = Holder::alone(device, coordinator);
        let visible = |doc: &str| DocId::parse(doc).is_some_and(|id| id.visible_to(&holder));
        let mut heads = self.doc_heads()?;
        heads.retain(|doc, _| visible(doc));
        Ok((heads, projection::dump_where(&self.conn, visible)?))
    }

    /// Every projection row, sorted, as text: equal dumps mean equal projections.
    pub fn projection_dump(&self) -> Result<Vec<String>> {
        projection::dump_where(&self.conn, |_| true)
    }

    /// The changes other devices made that arrived here since `before` (the
    /// heads of [`Engine::doc_heads`] then): how many, and their size as
    /// Automerge encodes them (compressed change chunks). Benchmarks compare
    /// bytes on the wire with this.
    pub fn received_since(
        &mut self,
        before: &BTreeMap<String, Vec<automerge::ChangeHash>>,
    ) -> Result<(u64, u64)> {
        let (mut count, mut bytes) = (0, 0);
        for id in store::all_doc_ids(&self.conn)? {
            let heads = before.get(&id.to_string()).cloned().unwrap_or_default();
            let actor = self.actor.clone();
            let doc = self.doc_mut(id)?;
            for change in doc.get_changes(&heads) {
                if *change.actor_id() != actor {
                    count += 1;
                    bytes += change.raw_bytes().len() as u64;
                }
            }
        }
        Ok((count, bytes))
    }
}
