//! Exchange by file: a device's documents written to a sync file that
//! another device merges, for when two devices cannot meet on a network.

use serde::{Deserialize, Serialize};

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
