//! Exchange by file: a device's documents written to a sync file that
//! another device merges, for when two devices cannot meet on a network.
//!
//! Layout: the 8 bytes `NABOSYNC`, a little-endian `u16` format version, then
//! a postcard body.

use serde::{Deserialize, Serialize};

use crate::ids::CommunityId;

/// A written sync file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportResult {
    /// Where it was written.
    pub path: String,
    /// How many documents it holds.
    pub documents: u32,
    /// Its size.
    pub bytes: u64,
}

/// What merging a sync file brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    /// Documents that changed.
    pub documents_changed: u32,
    /// Join requests this coordinator device signed.
    pub members_confirmed: u32,
    /// Rewards this coordinator device issued.
    pub rewards_issued: u32,
    /// Check-ins not rewarded because the daily cap was reached.
    pub capped: u32,
}

/// Why a sync file cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncFileProblem {
    /// Not a Nabo sync file at all.
    #[error("not a sync file")]
    NotASyncFile,
    /// Made by a newer version of Nabo.
    #[error("made by a newer app")]
    TooNew,
    /// Cut short or damaged.
    #[error("damaged")]
    Damaged,
    /// From another neighbourhood.
    #[error("from another neighbourhood")]
    OtherCommunity,
}

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

/// → [`ExportResult`]: writes this device's documents to a sync file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportSyncFile;

/// → [`ImportResult`]: merges a sync file (its bytes are the raw request
/// body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSyncFile;

crate::commands! {
    ExportSyncFile => "export_sync_file" -> ExportResult;
    ImportSyncFile => "import_sync_file", raw -> ImportResult;
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
