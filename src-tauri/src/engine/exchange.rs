//! Exchange by file: a community's saved documents in one sync file (the
//! format is `nabo_shared::exchange::SyncFile`), for moving changes between
//! devices by hand (USB stick, e-mail, chat) until they meet on the
//! network. A file is checked whole before anything is merged, so a broken
//! file changes nothing.

use automerge::AutoCommit;
use nabo_shared::exchange::{ImportResult, SyncFile, SyncFileProblem};

use super::docs::DocId;
use super::error::{Refused, Result};
use super::{store, Engine};

impl Engine {
    /// Every document of this device's community, as a sync file.
    pub fn export_sync(&mut self) -> Result<SyncFile> {
        let ctx = self.ctx()?;
        let mut docs = Vec::new();
        for id in store::doc_ids(&self.conn, &ctx.community.to_string())? {
            docs.push((id.to_string(), self.doc_mut(id)?.save()));
        }
        Ok(SyncFile {
            community: ctx.community,
            docs,
        })
    }

    /// Merges a sync file. The whole file is checked before anything is
    /// stored; then a coordinator's device confirms join requests and issues
    /// rewards for what arrived.
    pub fn import_sync(&mut self, bytes: &[u8]) -> Result<ImportResult> {
        let ctx = self.ctx()?;
        let bad = |problem| Refused::SyncFile(problem);
        let file = SyncFile::decode(bytes).map_err(bad)?;
        if file.community != ctx.community {
            return Err(bad(SyncFileProblem::OtherCommunity).into());
        }
        let coordinator = self.is_coordinator(&ctx)?;
        let mut staged = Vec::new();
        for (id, saved) in &file.docs {
            let id = DocId::parse(id)
                .filter(|id| id.community == ctx.community)
                .ok_or(bad(SyncFileProblem::Damaged))?;
            if !id.visible_to(&ctx.me, coordinator) {
                // Another member's records: a coordinator's file holds them,
                // this device keeps only its own.
                continue;
            }
            let mut incoming =
                AutoCommit::load(saved).map_err(|_| bad(SyncFileProblem::Damaged))?;
            let i = self.stage_into(&mut staged, id)?;
            staged[i]
                .doc
                .merge(&mut incoming)
                .map_err(|_| bad(SyncFileProblem::Damaged))?;
        }
        let documents_changed = self.commit(staged, &[])?.documents;
        let done = self.reconcile()?;
        Ok(ImportResult {
            documents_changed,
            members_confirmed: done.confirmed,
            rewards_issued: done.rewarded,
            capped: done.capped,
        })
    }
}
