//! Exchange by file: a device's documents written to a sync file that
//! another device merges, for when two devices cannot meet on a network.
//!
//! Layout: the 8 bytes `NABOSYNC`, a little-endian `u16` format version, then
//! a postcard body.

use serde::{Deserialize, Serialize};

use crate::crypto::{MemberKey, SigningKey};
use crate::ids::CommunityId;
use crate::signed::{Record, RecordError, Signed};

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
    /// Documents in the file that its sender may not share or this device
    /// may not hold: left out.
    pub refused_documents: u32,
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
    /// Made by an older Nabo, before files named their sender.
    #[error("made by an older app")]
    TooOld,
    /// Its signature does not verify: altered or forged.
    #[error("altered or forged")]
    Forged,
    /// Written for another device.
    #[error("written for another device")]
    NotForThisDevice,
}

const MAGIC: &[u8; 8] = b"NABOSYNC";
/// Version 2: signed by its sender, for one recipient. Version 1 files
/// (unsigned, for anyone) are refused: make a new file.
const VERSION: u16 = 2;
/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// Who a sync file is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipient {
    /// Any coordinator's device.
    Coordinators,
    /// One member's device.
    Member(MemberKey),
}

/// What a sync file's sender signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Body {
    community: CommunityId,
    recipient: Recipient,
    docs: Vec<(String, Vec<u8>)>,
}

impl Record for Body {
    const DOMAIN: &'static str = "nabo/sync-file/v2";
}

/// A sync file, as read: who sent it, for whom, and its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFile {
    /// The community.
    pub community: CommunityId,
    /// The device that wrote and signed it.
    pub sender: MemberKey,
    /// Who it is for.
    pub recipient: Recipient,
    /// `(document id, saved document)` pairs.
    pub docs: Vec<(String, Vec<u8>)>,
}

impl SyncFile {
    /// A file of `docs` for `recipient`, signed by the sending device.
    pub fn seal(
        sender: &SigningKey,
        community: CommunityId,
        recipient: Recipient,
        docs: Vec<(String, Vec<u8>)>,
    ) -> Vec<u8> {
        let body = Body {
            community,
            recipient,
            docs,
        };
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend(Signed::seal(sender, &body).to_bytes());
        out
    }

    /// Reads a file, refusing anything that is not a whole sync file signed
    /// by its sender.
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
        if version == 1 {
            return Err(SyncFileProblem::TooOld);
        }
        if version == 0 {
            return Err(SyncFileProblem::Damaged);
        }
        let signed =
            Signed::<Body>::from_bytes(&bytes[10..]).map_err(|_| SyncFileProblem::Damaged)?;
        let body = signed.open().map_err(|e| match e {
            RecordError::Signature(_) => SyncFileProblem::Forged,
            RecordError::Envelope(_) | RecordError::Body(_) => SyncFileProblem::Damaged,
        })?;
        // Trailing bytes would give one file two readings.
        if signed.to_bytes().len() != bytes.len() - 10 {
            return Err(SyncFileProblem::Damaged);
        }
        Ok(SyncFile {
            community: body.value.community,
            sender: body.signer,
            recipient: body.value.recipient,
            docs: body.value.docs,
        })
    }
}

/// → [`ExportResult`]: writes a sync file for one recipient, with only the
/// documents its device may hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportSyncFile {
    /// The member it is for, by device key fingerprint; `None`: for the
    /// coordinators.
    pub to: Option<String>,
}

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

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[4; 32])
    }

    fn file() -> Vec<u8> {
        SyncFile::seal(
            &key(),
            CommunityId::from_bytes([1; 16]),
            Recipient::Coordinators,
            vec![("community/x".into(), vec![1, 2, 3])],
        )
    }

    #[test]
    fn a_file_round_trips_and_names_its_sender() {
        let read = SyncFile::decode(&file()).unwrap();
        assert_eq!(read.sender, MemberKey::of(&key()));
        assert_eq!(read.recipient, Recipient::Coordinators);
        assert_eq!(read.docs, vec![("community/x".to_owned(), vec![1, 2, 3])]);
    }

    #[test]
    fn other_files_are_named_for_what_they_are() {
        let problem = |b: &[u8]| SyncFile::decode(b).unwrap_err();
        assert_eq!(problem(b"%PDF-1.7 hello"), SyncFileProblem::NotASyncFile);
        assert_eq!(problem(b""), SyncFileProblem::NotASyncFile);
        let mut newer = file();
        newer[8] = 9;
        assert_eq!(problem(&newer), SyncFileProblem::TooNew);
        let mut older = file();
        older[8] = 1;
        assert_eq!(problem(&older), SyncFileProblem::TooOld);
        let whole = file();
        assert_eq!(problem(&whole[..whole.len() - 2]), SyncFileProblem::Damaged);
        let mut longer = file();
        longer.push(0);
        assert_eq!(problem(&longer), SyncFileProblem::Damaged);
        // A document changed after signing.
        let mut altered = file();
        let at = altered.len() - 70;
        altered[at] ^= 1;
        assert!(matches!(
            problem(&altered),
            SyncFileProblem::Forged | SyncFileProblem::Damaged
        ));
    }

    #[test]
    fn a_changed_byte_in_the_documents_is_caught_by_the_signature() {
        let mut altered = file();
        // The last document byte sits just before the signer and signature.
        let body_end = altered.len() - 32 - 64 - 1;
        altered[body_end] ^= 0x10;
        assert_eq!(SyncFile::decode(&altered), Err(SyncFileProblem::Forged));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_after_the_header_are_refused_or_read_never_panic(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..400)
        ) {
            let mut bytes = b"NABOSYNC\x02\x00".to_vec();
            bytes.extend(body);
            let _ = SyncFile::decode(&bytes);
        }
    }
}
