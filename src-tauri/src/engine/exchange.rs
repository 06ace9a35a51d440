//! Exchange by file: a community's saved documents in one sync file, for
//! moving changes between devices by hand (USB stick, e-mail, chat) until
//! they meet on the network.
//!
//! Layout: the 8 bytes `NABOSYNC`, a little-endian `u16` format version, then
//! a postcard body. A file is checked whole before anything is merged, so a
//! broken file changes nothing.

use automerge::AutoCommit;
use nabo_shared::exchange::{ImportResult, SyncFileProblem};
use nabo_shared::ids::CommunityId;
use serde::{Deserialize, Serialize};

use super::docs::DocId;
use super::error::{Refused, Result};
use super::{store, Engine};

const MAGIC: &[u8; 8] = b"NABOSYNC";
const VERSION: u16 = 1;
/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// What a sync file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncFile {
    /// The community.
    pub community: CommunityId,
    /// `(document id, saved document)` pairs.
    pub docs: Vec<(String, Vec<u8>)>,
}

impl SyncFile {
    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend(postcard::to_allocvec(self).expect("sync files always serialize"));
        out
    }

    /// Reads a file, refusing anything that is not a whole sync file.
    pub fn decode(bytes: &[u8]) -> Result<Self, SyncFileProblem> {
        if bytes.len() > MAX_FILE_BYTES
            || bytes.len() < MAGIC.len() + 2
            || !bytes.starts_with(MAGIC)
        {
            return Err(SyncFileProblem::NotASyncFile);
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version > VERSION {
            return Err(SyncFileProblem::TooNew);
        }
        if version == 0 {
            return Err(SyncFileProblem::Damaged);
        }
        match postcard::take_from_bytes::<SyncFile>(&bytes[10..]) {
            Ok((file, [])) => Ok(file),
            _ => Err(SyncFileProblem::Damaged),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> SyncFile {
        SyncFile {
            community: CommunityId::from_bytes([1; 16]),
            docs: vec![("community/x".into(), vec![1, 2, 3])],
        }
    }

    #[test]
    fn a_file_round_trips() {
        assert_eq!(SyncFile::decode(&file().encode()), Ok(file()));
    }

    #[test]
    fn other_files_are_named_for_what_they_are() {
        let problem = |b: &[u8]| match SyncFile::decode(b) {
            Err(problem) => problem,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(problem(b"%PDF-1.7 hello"), SyncFileProblem::NotASyncFile);
        assert_eq!(problem(b""), SyncFileProblem::NotASyncFile);
        let mut newer = file().encode();
        newer[8] = 9;
        assert_eq!(problem(&newer), SyncFileProblem::TooNew);
        let whole = file().encode();
        assert_eq!(problem(&whole[..whole.len() - 2]), SyncFileProblem::Damaged);
        let mut longer = file().encode();
        longer.push(0);
        assert_eq!(problem(&longer), SyncFileProblem::Damaged);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_after_the_header_are_refused_or_read_never_panic(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..400)
        ) {
            let mut bytes = b"NABOSYNC\x01\x00".to_vec();
            bytes.extend(body);
            let _ = SyncFile::decode(&bytes);
        }
    }
}
