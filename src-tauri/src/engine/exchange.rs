//! Exchange by file: a community's saved documents in one sync file (the
//! format is `nabo_shared::exchange::SyncFile`), for moving changes between
//! devices by hand (USB stick, e-mail, chat) until they meet on the
//! network. A file is checked whole before anything is merged, so a broken
//! file changes nothing.

use automerge::AutoCommit;
use nabo_shared::api::Missing;
use nabo_shared::crypto::MemberKey;
use nabo_shared::exchange::{ImportResult, Recipient, SyncFile, SyncFileProblem};
use nabo_shared::guard::{catching, plain_chunks};

use super::docs::{DocId, Holder};
use super::error::{Refused, Result};
use super::{members, store, Engine};

/// A written sync file.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// How many documents it holds.
    pub documents: u32,
}

impl Engine {
    /// A sync file for `to`, signed by this device, with the documents of
    /// this device's community that `to`'s device may hold: a member's file
    /// never carries a neighbour's check-ins or points.
    pub fn export_sync(&mut self, to: Recipient) -> Result<Export> {
        let ctx = self.ctx()?;
        self.close_requests(&ctx)?;
        let who = self.authority(&ctx)?;
        let may_hold = |id: &DocId| match to {
            Recipient::Coordinators => true,
            Recipient::Member(member) => id.visible_to(&Holder::of(&who, &member)),
        };
        let mut docs = Vec::new();
        for id in store::doc_ids(&self.conn, &ctx.community.to_string())? {
            if may_hold(&id) {
                docs.push((id.to_string(), self.doc_mut(id)?.save()));
            }
        }
        let documents = docs.len() as u32;
        Ok(Export {
            bytes: SyncFile::seal(&self.key, ctx.community, to, docs),
            documents,
        })
    }

    /// The member with this device key fingerprint: confirmed, or asking to
    /// join.
    pub(crate) fn member_by_device(&self, device: &str) -> Result<MemberKey> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let device = device.trim();
        let known = who.members.keys().chain(&who.coordinators).copied().chain(
            members::pending_joins(&self.conn, &ctx, &who)?
                .into_iter()
                .map(|p| p.member),
        );
        known
            .into_iter()
            .find(|key| key.key_id().to_string() == device)
            .ok_or_else(|| Refused::NotFound(Missing::Member).into())
    }

    /// Merges a sync file written for this device. The whole file is
    /// checked before anything is stored: its signature, its community, its
    /// recipient; of its documents, those its sender may not share or this
    /// device may not hold are left out (and counted). Then a coordinator's
    /// device confirms join requests and issues rewards for what arrived.
    pub fn import_sync(&mut self, bytes: &[u8]) -> Result<ImportResult> {
        let ctx = self.ctx()?;
        let bad = |problem| Refused::SyncFile(problem);
        let file = SyncFile::decode(bytes).map_err(bad)?;
        if file.community != ctx.community {
            return Err(bad(SyncFileProblem::OtherCommunity).into());
        }
        let who = self.authority(&ctx)?;
        let me_coordinator = who.is_coordinator(&ctx.me);
        let for_me = match file.recipient {
            Recipient::Coordinators => me_coordinator,
            Recipient::Member(member) => member == ctx.me,
        };
        if !for_me {
            return Err(bad(SyncFileProblem::NotForThisDevice).into());
        }
        let mut staged = Vec::new();
        let mut left_out = Vec::new();
        for (id, saved) in &file.docs {
            let id = DocId::parse(id)
                .filter(|id| id.community == ctx.community)
                .ok_or(bad(SyncFileProblem::Damaged))?;
            if !plain_chunks(saved) {
                return Err(bad(SyncFileProblem::Damaged).into());
            }
            let mut incoming = catching(|| AutoCommit::load(saved))
                .and_then(Result::ok)
                .ok_or(bad(SyncFileProblem::Damaged))?;
            if !id.visible_to(&Holder::of(&who, &file.sender))
                || !id.visible_to(&Holder::of(&who, &ctx.me))
            {
                left_out.push((id, incoming));
                continue;
            }
            let i = self.stage_into(&mut staged, id)?;
            catching(|| staged[i].doc.merge(&mut incoming))
                .and_then(Result::ok)
                .ok_or(bad(SyncFileProblem::Damaged))?;
        }
        let mut documents_changed = self.commit(staged, &[])?.documents;
        // The file may itself link this device to its member (a new phone's
        // first file): what it left out is judged again by the new verdict.
        let mut refused_documents = 0;
        if !left_out.is_empty() {
            let who = self.authority(&ctx)?;
            let mut staged = Vec::new();
            for (id, mut incoming) in left_out {
                if !id.visible_to(&Holder::of(&who, &file.sender))
                    || !id.visible_to(&Holder::of(&who, &ctx.me))
                {
                    log::warn!(
                        "sync file from {}: {id} left out (not theirs to share or not this device's to hold)",
                        file.sender.key_id()
                    );
                    refused_documents += 1;
                    continue;
                }
                let i = self.stage_into(&mut staged, id)?;
                catching(|| staged[i].doc.merge(&mut incoming))
                    .and_then(Result::ok)
                    .ok_or(bad(SyncFileProblem::Damaged))?;
            }
            documents_changed += self.commit(staged, &[])?.documents;
        }
        let done = self.reconcile()?;
        self.issue_statement(&ctx, &file.sender)?;
        Ok(ImportResult {
            documents_changed,
            members_confirmed: done.confirmed,
            rewards_issued: done.rewarded,
            capped: done.capped,
            refused_documents,
        })
    }
}
