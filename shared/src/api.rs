//! The typed API between the UI and the engine: command names, the views the
//! engine returns, the inputs the UI sends, and [`ApiError`], serialized with a
//! `kind` tag so the UI can match on it and show a translated message.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::CodeError;
use crate::ids::{ActivityId, CheckinId, CommunityId};
use crate::records::{Role, Schedule};
use crate::rules::{CheckinRejection, FieldProblem};

/// Command names, shared so the UI and the engine cannot drift apart.
pub mod cmd {
    /// → [`super::Status`]
    pub const STATUS: &str = "status";
    /// [`super::CreateCommunity`] → [`super::Status`]
    pub const CREATE_COMMUNITY: &str = "create_community";
    /// [`super::JoinCommunity`] → [`super::Status`]
    pub const JOIN_COMMUNITY: &str = "join_community";
    /// → [`super::Status`]
    pub const START_DEMO: &str = "start_demo";
    /// `{ lang }` → `()`
    pub const SET_LANGUAGE: &str = "set_language";
    /// → `Vec<`[`super::ActivityView`]`>`
    pub const LIST_ACTIVITIES: &str = "list_activities";
    /// [`super::ActivityInput`] → [`super::ActivityView`]
    pub const SAVE_ACTIVITY: &str = "save_activity";
    /// `{ activity }` → [`super::QrView`]
    pub const CHECKIN_QR: &str = "checkin_qr";
    /// `{ text }` → [`super::ScanOutcome`]
    pub const SCAN_TEXT: &str = "scan_text";
    /// file bytes (raw body) → [`super::ScanOutcome`]
    pub const SCAN_IMAGE: &str = "scan_image";
    /// file bytes (raw body) → `String` (the text of the QR code in it)
    pub const READ_QR_IMAGE: &str = "read_qr_image";
    /// → [`super::WalletView`]
    pub const WALLET: &str = "wallet";
    /// → `Vec<`[`super::MemberView`]`>`
    pub const LIST_MEMBERS: &str = "list_members";
    /// `{ role }` → [`super::QrView`]
    pub const INVITE_QR: &str = "invite_qr";
    /// → [`super::ExportResult`]
    pub const EXPORT_SYNC_FILE: &str = "export_sync_file";
    /// file bytes (raw body) → [`super::ImportResult`]
    pub const IMPORT_SYNC_FILE: &str = "import_sync_file";
    /// → [`super::SyncStatus`]
    pub const SYNC_STATUS: &str = "sync_status";
    /// `{ on }` → [`super::SyncStatus`]: starts or stops this device's hub.
    pub const SET_HUB: &str = "set_hub";
    /// `{ code }` (pairing QR text or short code) → [`super::KnownHub`]
    pub const PAIR_HUB: &str = "pair_hub";
    /// `{ hub }` (key id) → `()`
    pub const FORGET_HUB: &str = "forget_hub";
    /// `{ device }` (key id) → `()`: withdraws a member's membership.
    pub const REVOKE_MEMBER: &str = "revoke_member";
    /// `{ device }` (key id) → `()`: gives a removed member access again.
    pub const REINSTATE_MEMBER: &str = "reinstate_member";
    /// → [`super::SyncTotals`]: syncs with every known hub now.
    pub const SYNC_NOW: &str = "sync_now";

    /// Every command, for checking that the engine serves exactly these.
    pub const ALL: [&str; 23] = [
        STATUS,
        CREATE_COMMUNITY,
        JOIN_COMMUNITY,
        START_DEMO,
        SET_LANGUAGE,
        LIST_ACTIVITIES,
        SAVE_ACTIVITY,
        CHECKIN_QR,
        SCAN_TEXT,
        SCAN_IMAGE,
        READ_QR_IMAGE,
        WALLET,
        LIST_MEMBERS,
        INVITE_QR,
        EXPORT_SYNC_FILE,
        IMPORT_SYNC_FILE,
        SYNC_STATUS,
        SET_HUB,
        PAIR_HUB,
        FORGET_HUB,
        SYNC_NOW,
        REVOKE_MEMBER,
        REINSTATE_MEMBER,
    ];
}

/// The event the engine emits after every committed change, naming the
/// projection tables that changed so only the views that read them refetch.
pub const STORE_CHANGED: &str = "store-changed";

/// The projection tables [`STORE_CHANGED`] can name: the engine's SQLite
/// tables that views read.
pub const PROJECTION_TABLES: [&str; 8] = [
    "communities",
    "members",
    "revocations",
    "join_requests",
    "activities",
    "checkins",
    "ledger",
    "rejected",
];

/// [`STORE_CHANGED`] names this when device settings (language, membership)
/// changed.
pub const SETTINGS_TABLE: &str = "settings";

/// The event a live sync emits as it goes, with a [`SyncProgress`].
pub const SYNC_PROGRESS: &str = "sync-progress";

/// The table [`STORE_CHANGED`] names when the sync screen's data (peers,
/// hubs, the hub's state) changed.
pub const SYNC_TABLE: &str = "sync";

/// Payload of [`STORE_CHANGED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreChanged {
    /// Tables that changed, e.g. `["activities"]`.
    pub tables: Vec<String>,
}

/// UI languages. Danish first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Dansk.
    #[default]
    Da,
    /// English.
    En,
}

impl Lang {
    /// BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Parses [`Lang::tag`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Everything the UI needs to decide which screen to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The chosen language.
    pub lang: Lang,
    /// This device's key fingerprint, for reading aloud to a coordinator.
    pub device: String,
    /// `None` until the device has created or joined a community.
    pub profile: Option<Profile>,
}

/// This device's place in its community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The community.
    pub community: CommunityId,
    /// Its name.
    pub community_name: String,
    /// The name this person gave.
    pub my_name: String,
    /// The role this device holds (or asked for, while pending).
    pub role: Role,
    /// `false` while the join request has not been signed by a coordinator.
    pub confirmed: bool,
    /// Whether this device may do coordinator things.
    pub is_coordinator: bool,
}

/// Create a new community with this device as founding coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCommunity {
    /// The neighbourhood's name.
    pub community_name: String,
    /// The coordinator's own name.
    pub my_name: String,
}

/// Join with an invite's text (scanned, pasted, or read from an image).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinCommunity {
    /// The invite QR's text.
    pub invite: String,
    /// The new member's name.
    pub my_name: String,
}

/// An activity as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    /// Id.
    pub id: ActivityId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Place.
    pub place: String,
    /// Schedule (local time).
    pub schedule: Schedule,
    /// The next session's date, if any.
    pub next_session: Option<NaiveDate>,
    /// Reward per check-in.
    pub reward: u32,
    /// Most currency issued per day, across all members.
    pub daily_cap: Option<u32>,
    /// Check-ins today (local day).
    pub checkins_today: u32,
}

/// An activity form. `id: None` creates; `Some` edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityInput {
    /// The activity to edit, or none to create one.
    pub id: Option<ActivityId>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Place.
    pub place: String,
    /// Schedule.
    pub schedule: Schedule,
    /// Reward per check-in.
    pub reward: u32,
    /// Most currency issued per day across all members (`None`: no cap).
    pub daily_cap: Option<u32>,
}

/// A QR code to show: the SVG and the text inside it (shown too, for typing
/// in when a camera fails).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrView {
    /// SVG markup.
    pub svg: String,
    /// The encoded text.
    pub text: String,
    /// When the code stops being valid.
    pub expires_at: DateTime<Utc>,
    /// What it is for (activity title or community name).
    pub title: String,
}

/// What a successful scan did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScanOutcome {
    /// Checked in; the reward is pending until a coordinator's device issues it.
    CheckedIn {
        /// The new check-in.
        checkin: CheckinId,
        /// The activity's title.
        activity: String,
        /// The reward the activity promises.
        reward: u32,
    },
    /// A hub's pairing code: the hub is remembered for syncing.
    HubPaired {
        /// The hub.
        hub: KnownHub,
    },
}

/// How a wallet line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// A check-in not yet rewarded.
    Pending,
    /// Currency issued.
    Issued,
    /// Recorded with no currency: the activity's daily cap was reached, or
    /// the member was already rewarded for it that day.
    Capped,
}

/// One line of a wallet's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletLine {
    /// When.
    pub at: DateTime<Utc>,
    /// The activity's title.
    pub title: String,
    /// The amount (issued, or expected while pending).
    pub amount: u32,
    /// Pending or issued.
    pub status: LineStatus,
}

/// A member's wallet: a derived balance and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletView {
    /// Sum of the currency issued to this member.
    pub balance: u64,
    /// Sum of rewards still waiting for a coordinator.
    pub pending: u64,
    /// Newest first.
    pub history: Vec<WalletLine>,
}

/// A member as a coordinator sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Their device key's fingerprint.
    pub device: String,
    /// `false` while only a join request exists (or access was removed).
    pub confirmed: bool,
    /// A coordinator removed their access.
    pub revoked: bool,
    /// Their balance.
    pub balance: u64,
}

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

/// Which form field an [`ApiError::InvalidField`] is about.
pub type FieldName = String;

/// Every error the UI can get back, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApiError {
    /// The device has not created or joined a community yet.
    #[error("this device has not joined a neighbourhood")]
    NotSetUp,
    /// The device already belongs to a community.
    #[error("this device already belongs to a neighbourhood")]
    AlreadySetUp,
    /// Only a coordinator may do this.
    #[error("only a coordinator can do this")]
    NotCoordinator,
    /// The thing asked for does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for (`activity`, ...).
        what: String,
    },
    /// A form field is wrong.
    #[error("{field} {problem}")]
    InvalidField {
        /// The field.
        field: FieldName,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// The scanned text is not a readable Nabo code.
    #[error("unreadable code: {problem}")]
    UnreadableCode {
        /// Why.
        problem: CodeError,
    },
    /// A readable code of the wrong kind here (an invite on the check-in screen...).
    #[error("this is not the kind of code expected here")]
    WrongKindOfCode,
    /// The check-in code was refused.
    #[error("check-in refused: {reason}")]
    CheckinRefused {
        /// Why.
        reason: CheckinRejection,
    },
    /// The invite was refused.
    #[error("invite refused: {reason}")]
    InviteRefused {
        /// Why.
        reason: InviteProblem,
    },
    /// An image could not be read as a picture.
    #[error("the file is not a picture this app can read")]
    ImageUnreadable,
    /// The picture holds no QR code that could be found.
    #[error("no QR code found in the picture")]
    NoQrInImage,
    /// A sync file is broken or not a Nabo sync file.
    #[error("the sync file cannot be used: {problem}")]
    BadSyncFile {
        /// Why.
        problem: SyncFileProblem,
    },
    /// Reading or writing a file failed.
    #[error("file error at {path}: {detail}")]
    File {
        /// The file.
        path: String,
        /// The operating system's words.
        detail: String,
    },
    /// The local database failed. Nothing was changed.
    #[error("storage failed: {detail}")]
    Storage {
        /// The database's words.
        detail: String,
    },
    /// A pairing code is for another neighbourhood's hub.
    #[error("this hub belongs to another neighbourhood")]
    HubOfOtherCommunity,
    /// Text typed as a hub's short code is not one.
    #[error("not a hub code: expected address:port/fingerprint")]
    BadShortCode,
    /// No hub is paired yet.
    #[error("no hub is paired yet")]
    NoHub,
    /// The hub could not be started (the port is taken, no network).
    #[error("the hub could not start: {detail}")]
    HubFailed {
        /// The operating system's words.
        detail: String,
    },
    /// A live sync failed.
    #[error("sync failed: {problem}")]
    SyncFailed {
        /// Why.
        problem: SyncProblem,
    },
    /// The UI could not reach the engine or read its answer (a bug, or a
    /// UI and engine from different builds).
    #[error("the app's engine did not answer as expected: {detail}")]
    Ipc {
        /// What went wrong.
        detail: String,
    },
}

/// Why an invite cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteProblem {
    /// The signature does not verify: forged or damaged.
    #[error("forged")]
    Forged,
    /// Past its expiry.
    #[error("expired")]
    Expired,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_a_kind_tag_for_the_ui() {
        let e = ApiError::CheckinRefused {
            reason: CheckinRejection::Expired,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "checkin_refused");
        assert_eq!(json["reason"]["kind"], "expired");
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), e);
    }

    #[test]
    fn field_errors_name_the_field() {
        let e = ApiError::InvalidField {
            field: "title".into(),
            problem: FieldProblem::Required,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind":"invalid_field","field":"title","problem":"required"})
        );
    }
}

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
    /// It is not the device this side set out to reach (pinned key id).
    #[error("the device is not the one that was paired")]
    UnexpectedPeer,
    /// Its claimed identity did not sign the key it used.
    #[error("the device's identity does not verify")]
    BadIdentity,
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
