//! Document ids and record keys.
//!
//! A community's data is split across documents so none grows without bound
//! and each device holds only what it may see: one `community/<id>` document
//! (genesis, members, join requests, activities) that every member holds,
//! and per member and month one document of their check-ins and one of their
//! ledger entries, held by that member and by coordinators. Each document is
//! a flat map from a record key to a signed envelope.

use std::fmt;

use chrono::{DateTime, Datelike, Utc};
use nabo_shared::crypto::{KeyId, MemberKey};
use nabo_shared::ids::{ActivityId, CheckinId, CommunityId, EntryId};

/// The kinds of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    /// Genesis, members, join requests, activities.
    Community,
    /// One member's check-ins of one month.
    Checkins,
    /// One member's ledger entries of one month.
    Ledger,
}

impl DocKind {
    /// Stable name, used in ids and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Community => "community",
            DocKind::Checkins => "checkins",
            DocKind::Ledger => "ledger",
        }
    }
}

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId {
    /// The kind.
    pub kind: DocKind,
    /// The community it belongs to.
    pub community: CommunityId,
    /// Whose records, for per-member documents.
    pub member: Option<KeyId>,
    /// `(year, month)` for monthly documents.
    pub month: Option<(i32, u32)>,
}

impl DocId {
    /// The community document.
    pub fn community(community: CommunityId) -> Self {
        Self {
            kind: DocKind::Community,
            community,
            member: None,
            month: None,
        }
    }

    /// `member`'s check-in document for the month of `at` (UTC).
    pub fn checkins(community: CommunityId, member: &MemberKey, at: DateTime<Utc>) -> Self {
        Self {
            kind: DocKind::Checkins,
            community,
            member: Some(member.key_id()),
            month: Some((at.year(), at.month())),
        }
    }

    /// `member`'s ledger document for the month of `at` (UTC).
    pub fn ledger(community: CommunityId, member: &MemberKey, at: DateTime<Utc>) -> Self {
        Self {
            kind: DocKind::Ledger,
            community,
            member: Some(member.key_id()),
            month: Some((at.year(), at.month())),
        }
    }

    /// Whether a device with key `device` may hold this document: a
    /// coordinator holds every document; anyone else the community document
    /// and their own.
    pub fn visible_to(&self, device: &MemberKey, coordinator: bool) -> bool {
        coordinator || self.member.is_none_or(|m| m == device.key_id())
    }

    /// Parses [`DocId`]'s `Display` form; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('/');
        let kind = match parts.next()? {
            "community" => DocKind::Community,
            "checkins" => DocKind::Checkins,
            "ledger" => DocKind::Ledger,
            _ => return None,
        };
        let community: CommunityId = parts.next()?.parse().ok()?;
        let member = match kind {
            DocKind::Community => None,
            _ => Some(KeyId::parse(parts.next()?)?),
        };
        let month = match kind {
            DocKind::Community => None,
            _ => {
                let (y, m) = parts.next()?.split_once('-')?;
                let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
                if !(1..=12).contains(&m) || !(2000..=9999).contains(&y) {
                    return None;
                }
                Some((y, m))
            }
        };
        if parts.next().is_some() {
            return None;
        }
        let id = Self {
            kind,
            community,
            member,
            month,
        };
        // Only the canonical spelling is accepted, so one document has one id.
        (id.to_string() == s).then_some(id)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.as_str(), self.community)?;
        if let Some(member) = self.member {
            write!(f, "/{member}")?;
        }
        if let Some((y, m)) = self.month {
            write!(f, "/{y:04}-{m:02}")?;
        }
        Ok(())
    }
}

/// A record's key inside its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKey {
    /// `genesis`
    Genesis,
    /// `member/<key hex>`
    Member(MemberKey),
    /// `join/<key hex>`
    Join(MemberKey),
    /// `revoked/<key hex>`
    Revoked(MemberKey),
    /// `activity/<id>`
    Activity(ActivityId),
    /// `checkin/<id>`
    Checkin(CheckinId),
    /// `reward/<id>`
    Reward(EntryId),
}

impl RecordKey {
    /// Parses a document key; `None` for keys Nabo never writes.
    pub fn parse(s: &str) -> Option<Self> {
        if s == "genesis" {
            return Some(RecordKey::Genesis);
        }
        let (kind, rest) = s.split_once('/')?;
        let key = match kind {
            "member" => RecordKey::Member(MemberKey::from_hex(rest)?),
            "join" => RecordKey::Join(MemberKey::from_hex(rest)?),
            "revoked" => RecordKey::Revoked(MemberKey::from_hex(rest)?),
            "activity" => RecordKey::Activity(rest.parse().ok()?),
            "checkin" => RecordKey::Checkin(rest.parse().ok()?),
            "reward" => RecordKey::Reward(rest.parse().ok()?),
            _ => return None,
        };
        (key.to_string() == s).then_some(key)
    }

    /// The kind of document this key belongs in.
    pub fn home(&self) -> DocKind {
        match self {
            RecordKey::Genesis
            | RecordKey::Member(_)
            | RecordKey::Join(_)
            | RecordKey::Revoked(_)
            | RecordKey::Activity(_) => DocKind::Community,
            RecordKey::Checkin(_) => DocKind::Checkins,
            RecordKey::Reward(_) => DocKind::Ledger,
        }
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordKey::Genesis => write!(f, "genesis"),
            RecordKey::Member(k) => write!(f, "member/{}", k.to_hex()),
            RecordKey::Join(k) => write!(f, "join/{}", k.to_hex()),
            RecordKey::Revoked(k) => write!(f, "revoked/{}", k.to_hex()),
            RecordKey::Activity(id) => write!(f, "activity/{id}"),
            RecordKey::Checkin(id) => write!(f, "checkin/{id}"),
            RecordKey::Reward(id) => write!(f, "reward/{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn doc_ids_round_trip_and_only_canonical_forms_parse() {
        let c = CommunityId::from_bytes([1; 16]);
        let at = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        let m = MemberKey([7; 32]);
        let k = m.key_id();
        for id in [
            DocId::community(c),
            DocId::checkins(c, &m, at),
            DocId::ledger(c, &m, at),
        ] {
            assert_eq!(DocId::parse(&id.to_string()), Some(id));
        }
        assert_eq!(
            DocId::checkins(c, &m, at).to_string(),
            format!("checkins/{c}/{k}/2026-03")
        );
        assert_eq!(DocId::parse(&format!("checkins/{c}/{k}/2026-3")), None);
        assert_eq!(DocId::parse(&format!("checkins/{c}/{k}/2026-13")), None);
        assert_eq!(DocId::parse(&format!("checkins/{c}/2026-03")), None);
        assert_eq!(DocId::parse(&format!("checkins/{c}/zz/2026-03")), None);
        assert_eq!(DocId::parse(&format!("community/{c}/2026-01")), None);
        assert_eq!(DocId::parse("../../etc/passwd"), None);
    }

    #[test]
    fn members_see_the_community_document_and_their_own() {
        let c = CommunityId::from_bytes([1; 16]);
        let at = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        let (me, other) = (MemberKey([7; 32]), MemberKey([8; 32]));
        assert!(DocId::community(c).visible_to(&me, false));
        assert!(DocId::checkins(c, &me, at).visible_to(&me, false));
        assert!(DocId::ledger(c, &me, at).visible_to(&me, false));
        assert!(!DocId::checkins(c, &other, at).visible_to(&me, false));
        assert!(!DocId::ledger(c, &other, at).visible_to(&me, false));
        assert!(DocId::ledger(c, &other, at).visible_to(&me, true));
    }

    #[test]
    fn record_keys_round_trip() {
        let k = MemberKey([7; 32]);
        for key in [
            RecordKey::Genesis,
            RecordKey::Member(k),
            RecordKey::Join(k),
            RecordKey::Activity(ActivityId::from_bytes([1; 16])),
            RecordKey::Checkin(CheckinId::from_bytes([2; 16])),
            RecordKey::Reward(EntryId::from_bytes([3; 16])),
        ] {
            assert_eq!(RecordKey::parse(&key.to_string()), Some(key));
        }
        assert_eq!(RecordKey::parse("member/zz"), None);
        assert_eq!(RecordKey::parse("nonsense"), None);
    }
}
