//! Signed records: the only things Nabo's documents hold.
//!
//! A document is a flat map from a stable key to the bytes of a [`Signed`]
//! envelope. The envelope carries the record's canonical bytes, the signer's
//! public key and the signature, so any device can check it without asking
//! anyone. Whether the signer was *allowed* to write it (a coordinator, a
//! member) is decided over the merged state by the reader.

use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::codes::{CheckinCode, InviteCode};
use crate::crypto::{sign, CryptoError, MemberKey, Signature, SigningKey};
use crate::ids::{ActivityId, CheckinId, CommunityId, EntryId};

/// A kind of record, with the signature domain that keeps kinds apart.
pub trait Record: Serialize + DeserializeOwned {
    /// Signature domain: a signature for one kind never verifies as another.
    const DOMAIN: &'static str;
}

/// Why stored bytes are not a usable record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The envelope itself could not be decoded.
    #[error("envelope is not readable: {0}")]
    Envelope(String),
    /// The signature does not verify.
    #[error("signature: {0}")]
    Signature(#[from] CryptoError),
    /// The signed body is not a record of the expected kind.
    #[error("record body is not readable: {0}")]
    Body(String),
}

/// A record and the proof of who wrote it.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Signed<T> {
    body: Vec<u8>,
    signer: MemberKey,
    sig: Signature,
    #[serde(skip)]
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Signed<T> {
    fn clone(&self) -> Self {
        Self {
            body: self.body.clone(),
            signer: self.signer,
            sig: self.sig,
            kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Signed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signed")
            .field("signer", &self.signer)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A record whose signature has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified<T> {
    /// The record.
    pub value: T,
    /// Who signed it.
    pub signer: MemberKey,
    /// The signature's bytes: a stable tie-breaker when two valid versions
    /// of the same key meet after a merge.
    pub sig: [u8; 64],
}

impl<T: Record> Signed<T> {
    /// Signs `value` with `key`.
    pub fn seal(key: &SigningKey, value: &T) -> Self {
        // Records are plain structs of sized fields; postcard cannot fail on them.
        let body = postcard::to_allocvec(value).expect("records always serialize");
        let sig = sign(key, T::DOMAIN, &body);
        Self {
            body,
            signer: MemberKey::of(key),
            sig,
            kind: PhantomData,
        }
    }

    /// Checks the signature, then decodes the record.
    pub fn open(&self) -> Result<Verified<T>, RecordError> {
        self.signer.verify(T::DOMAIN, &self.body, &self.sig)?;
        let value =
            postcard::from_bytes(&self.body).map_err(|e| RecordError::Body(e.to_string()))?;
        Ok(Verified {
            value,
            signer: self.signer,
            sig: self.sig.to_bytes(),
        })
    }

    /// The envelope as stored in a document.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("envelopes always serialize")
    }

    /// Reads an envelope from document bytes (without verifying it).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RecordError> {
        postcard::from_bytes(bytes).map_err(|e| RecordError::Envelope(e.to_string()))
    }

    /// Decodes and verifies in one step.
    pub fn open_bytes(bytes: &[u8]) -> Result<Verified<T>, RecordError> {
        Self::from_bytes(bytes)?.open()
    }
}

/// What a member may do in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Checks in, earns and spends currency, votes.
    Resident,
    /// A resident who also logs volunteer hours.
    Volunteer,
    /// Runs the community: activities, approvals, memberships, currency.
    Coordinator,
}

impl Role {
    /// The role's stable name (storage, translations).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Volunteer => "volunteer",
            Role::Coordinator => "coordinator",
        }
    }

    /// Parses [`Role::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "resident" => Some(Role::Resident),
            "volunteer" => Some(Role::Volunteer),
            "coordinator" => Some(Role::Coordinator),
            _ => None,
        }
    }
}

/// The founding record of a community, signed by its founding key. Whoever
/// holds that key is the first coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Genesis {
    /// The community.
    pub community: CommunityId,
    /// Its name, e.g. "Tingbjerg".
    pub name: String,
    /// The founding coordinator's key.
    pub founding_key: MemberKey,
    /// IANA time zone used for "per day" rules (caps, repeated check-ins).
    pub time_zone: String,
    /// When it was founded.
    pub created_at: DateTime<Utc>,
    /// Random bytes that, with the founding key, determine the community id.
    pub salt: [u8; 16],
}

impl Record for Genesis {
    const DOMAIN: &'static str = "nabo/genesis/v1";
}

impl Genesis {
    /// Whether this record really founds its community: its id must be the
    /// one derived from the founding key, so nobody else can publish a
    /// competing genesis for the same id.
    pub fn is_self_certifying(&self) -> bool {
        CommunityId::derive(&self.founding_key, &self.salt) == self.community
    }
}

/// A membership, signed by a coordinator (or the founding key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    /// The community.
    pub community: CommunityId,
    /// The member's device key.
    pub member: MemberKey,
    /// The name the member gave.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for Membership {
    const DOMAIN: &'static str = "nabo/membership/v1";
}

/// A coordinator's withdrawal of a membership: the device is refused on the
/// network and confirmed no more. Deleting the record reinstates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    /// The community.
    pub community: CommunityId,
    /// The member's device key.
    pub member: MemberKey,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for Revocation {
    const DOMAIN: &'static str = "nabo/revocation/v1";
}

/// A new device's request to join, signed by that device. It carries the
/// invite it was made from, which proves a coordinator let this person in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The community.
    pub community: CommunityId,
    /// The new device's key.
    pub member: MemberKey,
    /// The name the person gave.
    pub name: String,
    /// The invite they scanned.
    pub invite: InviteCode,
    /// When they asked.
    pub requested_at: DateTime<Utc>,
}

impl Record for JoinRequest {
    const DOMAIN: &'static str = "nabo/join-request/v1";
}

/// How often an activity happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Once, on the first date.
    Once,
    /// Every week on the first date's weekday.
    Weekly,
}

/// When an activity happens, in the community's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schedule {
    /// The first (or only) date.
    pub date: NaiveDate,
    /// Local start time.
    pub start: NaiveTime,
    /// Local end time (after start).
    pub end: NaiveTime,
    /// Once or weekly.
    pub repeat: Repeat,
}

/// An activity residents can check in to. Coordinators edit it by signing a
/// new version under the same key; the newest valid version wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Stable id.
    pub id: ActivityId,
    /// The community.
    pub community: CommunityId,
    /// Short title, e.g. "Lektiecafé".
    pub title: String,
    /// What happens there.
    pub description: String,
    /// Where.
    pub place: String,
    /// When.
    pub schedule: Schedule,
    /// Currency earned per check-in.
    pub reward: u32,
    /// Most currency this activity issues in one local day, across all
    /// members: the coordinator's budget for it. Check-ins past it are
    /// recorded with a reward of zero, visibly, never dropped.
    pub daily_cap: Option<u32>,
    /// When this version was signed (newest wins).
    pub updated_at: DateTime<Utc>,
}

impl Record for Activity {
    const DOMAIN: &'static str = "nabo/activity/v1";
}

/// A resident's check-in, signed by their own device. The scanned code is kept
/// as evidence: whoever rewards it re-checks the code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    /// Stable id.
    pub id: CheckinId,
    /// The community.
    pub community: CommunityId,
    /// The activity.
    pub activity: ActivityId,
    /// The resident's device key (also the signer).
    pub member: MemberKey,
    /// When the resident scanned.
    pub at: DateTime<Utc>,
    /// The code they scanned.
    pub code: CheckinCode,
}

impl Record for CheckIn {
    const DOMAIN: &'static str = "nabo/checkin/v1";
}

/// Why currency moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryReason {
    /// A reward for a check-in.
    CheckIn {
        /// The check-in rewarded.
        checkin: CheckinId,
        /// Its activity.
        activity: ActivityId,
    },
}

/// An immutable ledger entry issued by a coordinator. Balances are sums of
/// these, never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Stable id (see [`EntryId::reward_for`]).
    pub id: EntryId,
    /// The community.
    pub community: CommunityId,
    /// Who receives the currency.
    pub to: MemberKey,
    /// How much.
    pub amount: u32,
    /// Why.
    pub reason: EntryReason,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

impl Record for LedgerEntry {
    const DOMAIN: &'static str = "nabo/ledger-entry/v1";
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn genesis(key: &SigningKey) -> Genesis {
        Genesis {
            community: CommunityId::from_bytes([1; 16]),
            name: "Tingbjerg".into(),
            founding_key: MemberKey::of(key),
            time_zone: "Europe/Copenhagen".into(),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            salt: [3; 16],
        }
    }

    #[test]
    fn only_the_founding_key_can_found_a_community_id() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let mut g = genesis(&key);
        g.community = CommunityId::derive(&g.founding_key, &g.salt);
        assert!(g.is_self_certifying());
        g.founding_key = MemberKey::of(&SigningKey::from_bytes(&[5; 32]));
        assert!(!g.is_self_certifying());
    }

    #[test]
    fn a_sealed_record_opens_to_itself() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let signed = Signed::seal(&key, &genesis(&key));
        let opened = Signed::<Genesis>::open_bytes(&signed.to_bytes()).unwrap();
        assert_eq!(opened.value, genesis(&key));
        assert_eq!(opened.signer, MemberKey::of(&key));
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let mut signed = Signed::seal(&key, &genesis(&key));
        let last = signed.body.len() - 1;
        signed.body[last] ^= 1;
        assert!(matches!(signed.open(), Err(RecordError::Signature(_))));
    }

    #[test]
    fn a_record_signed_as_one_kind_does_not_open_as_another() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let bytes = Signed::seal(&key, &genesis(&key)).to_bytes();
        assert!(matches!(
            Signed::<Membership>::open_bytes(&bytes),
            Err(RecordError::Signature(CryptoError::BadSignature))
        ));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Signed::<Genesis>::open_bytes(&[]).is_err());
        assert!(Signed::<Genesis>::open_bytes(&[0xff; 7]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = Signed::<CheckIn>::open_bytes(&bytes);
            let _ = Signed::<LedgerEntry>::open_bytes(&bytes);
        }
    }
}
