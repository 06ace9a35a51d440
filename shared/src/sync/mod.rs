//! Live sync at the community house: the hub's pairing code
//! ([`pairing`]), what a sync reports as it goes and when it ends, why one
//! fails, and the sync screen's commands.

pub mod pairing;
pub mod wire;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use pairing::{PairingCode, ShortCode};

use crate::codes::QrView;

/// Why a device refuses another on the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// It belongs to another community.
    #[error("the device belongs to another neighbourhood")]
    OtherCommunity,
    /// It is not a current member (never confirmed).
    #[error("the device is not a member")]
    NotMember,
    /// Its membership was revoked by a coordinator.
    #[error("the device's membership was revoked")]
    Revoked,
    /// The device itself was taken out of use by a coordinator (replaced by
    /// a new phone or a card, or blocked when lost); its member may still
    /// be one, on another device.
    #[error("the device was taken out of use")]
    Retired,
    /// It is not the device this side set out to reach (pinned key id).
    #[error("the device is not the one that was paired")]
    UnexpectedPeer,
    /// Its claimed identity did not sign the key it used.
    #[error("the device's identity does not verify")]
    BadIdentity,
    /// It could not check its records just now (its storage failed); trying
    /// again later may work.
    #[error("the device could not check its records just now")]
    Unavailable,
}

/// Why a live sync failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SyncProblem {
    /// No device answered at the hub's addresses.
    #[error("the hub did not answer")]
    Unreachable,
    /// The other device refused this one.
    #[error("the other device refused this one: {reason}")]
    RefusedByPeer {
        /// Its reason.
        reason: Refusal,
    },
    /// This device refused the other one.
    #[error("refused the other device: {reason}")]
    RefusedPeer {
        /// The reason.
        reason: Refusal,
    },
    /// The other device sent something broken or hostile; nothing of it was stored.
    #[error("the other device sent damaged data")]
    Damaged,
    /// The other device sent a document of another neighbourhood.
    #[error("the other device sent another neighbourhood's data")]
    OtherCommunity,
    /// The other device stopped answering.
    #[error("the other device stopped answering")]
    Timeout,
    /// The connection was cut; what arrived before is kept.
    #[error("the connection was cut")]
    Interrupted,
    /// The local database failed.
    #[error("the local database failed")]
    Storage,
}

/// Counts for one live sync (or a sum of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncTotals {
    /// Documents that changed here.
    pub documents_in: u32,
    /// Documents this device sent changes for.
    pub documents_out: u32,
    /// Records (check-ins, ledger entries, members, ...) that arrived.
    pub records_in: u32,
    /// Rewards and memberships this (coordinator) device issued for what arrived.
    pub issued: u32,
    /// Bytes received (encrypted, on the wire).
    pub bytes_in: u64,
    /// Bytes sent.
    pub bytes_out: u64,
    /// Messages each way.
    pub rounds: u32,
}

impl SyncTotals {
    /// Adds another sync's counts.
    pub fn add(&mut self, other: &SyncTotals) {
        self.documents_in += other.documents_in;
        self.documents_out += other.documents_out;
        self.records_in += other.records_in;
        self.issued += other.issued;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.rounds += other.rounds;
    }
}

/// Where a live sync is, for [`SYNC_PROGRESS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum SyncPhase {
    /// Connecting to the other device.
    Connecting,
    /// Exchanging; the counts so far.
    Syncing {
        /// So far.
        totals: SyncTotals,
    },
    /// Finished.
    Done {
        /// In all.
        totals: SyncTotals,
    },
    /// Failed.
    Failed {
        /// Why.
        problem: SyncProblem,
    },
}

/// Payload of [`SYNC_PROGRESS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    /// The other device's key id (empty while connecting to a hub not yet reached).
    pub peer: String,
    /// Its name if it is a known member.
    pub name: Option<String>,
    /// Where the sync is.
    pub phase: SyncPhase,
}

/// A device this one has synced with (or tried to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerView {
    /// Its key id.
    pub device: String,
    /// Its member's name, if known.
    pub name: Option<String>,
    /// The last sync that completed.
    pub last_sync: Option<DateTime<Utc>>,
    /// The last attempt.
    pub last_attempt: DateTime<Utc>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<SyncProblem>,
    /// The counts of the last completed sync.
    pub last_totals: SyncTotals,
}

/// A paired hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownHub {
    /// Its key id.
    pub key_id: String,
    /// Whose device it is ("Sara"), once this device knows its member.
    pub name: Option<String>,
    /// `address:port` to try, in order.
    pub endpoints: Vec<String>,
    /// The short code to type on another phone.
    pub short_code: String,
    /// When it was paired.
    pub paired_at: DateTime<Utc>,
    /// The last time this device tried to sync with it.
    pub last_attempt: Option<DateTime<Utc>>,
    /// The last sync that completed.
    pub last_sync: Option<DateTime<Utc>>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<SyncProblem>,
}

/// This device's own hub, while it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubView {
    /// The port it listens on.
    pub port: u16,
    /// The pairing QR code.
    pub qr: QrView,
    /// The same as a short code to type.
    pub short_code: String,
    /// Devices connected now.
    pub connected: u32,
}

/// Everything the sync screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// This device's hub, when it is on.
    pub hub: Option<HubView>,
    /// Paired hubs.
    pub hubs: Vec<KnownHub>,
    /// Devices synced with, latest first.
    pub peers: Vec<PeerView>,
}

/// → [`SyncStatus`]: what the sync screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetSyncStatus;

/// → [`SyncStatus`]: starts or stops this device's hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetHub {
    /// On or off.
    pub on: bool,
}

/// → [`KnownHub`]: remembers a hub from its pairing QR text or short code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairHub {
    /// The text.
    pub code: String,
}

/// → `()`: forgets a paired hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForgetHub {
    /// Its key id ([`KnownHub::key_id`]).
    pub hub: String,
}

/// What a sync meant for this device's member, in their terms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSummary {
    /// A coordinator confirmed this member in this sync.
    pub confirmed_now: bool,
    /// Points that arrived.
    pub points_in: u64,
    /// Check-ins of this member that got their points (or were held back
    /// by a cap) in this sync.
    pub checkins_settled: u32,
    /// Activities this device had not seen before.
    pub new_activities: u32,
    /// This device's own news (check-ins, requests) went to the hub.
    pub sent: bool,
    /// The technical counts (logs, the coordinator's list of devices).
    pub totals: SyncTotals,
}

/// → [`SyncSummary`]: syncs with every paired hub now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncNow;

crate::commands! {
    GetSyncStatus => "sync_status" -> SyncStatus;
    SetHub => "set_hub" -> SyncStatus;
    PairHub => "pair_hub" -> KnownHub;
    ForgetHub => "forget_hub" -> ();
    SyncNow => "sync_now" -> SyncSummary;
}
