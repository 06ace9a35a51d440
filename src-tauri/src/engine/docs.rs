//! Document ids, and who may hold each kind of document.
//!
//! A community's data is split across documents so none grows without bound
//! and each device holds only what it may see: one `community/<id>` document
//! (genesis, members, join requests, activities) that every member holds,
//! and per member and month one document of their check-ins and one of their
//! ledger entries, held by that member and by coordinators. Each document is
//! a flat map from a record key to a signed envelope; which keys belong in
//! which kind of document is declared by the record kinds (`kinds.rs`).

use std::fmt;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};
use nabo_shared::crypto::{KeyId, MemberKey};
use nabo_shared::ids::CommunityId;
use nabo_shared::members::authority::Authority;

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

/// Who may hold a kind of document: the share policy of live sync and
/// of sync files follows from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the community.
    Everyone,
    /// The member the document belongs to, and coordinators.
    OwnerAndCoordinators,
}

impl DocKind {
    /// Who may hold documents of this kind.
    pub fn audience(self) -> Audience {
        match self {
            DocKind::Community => Audience::Everyone,
            DocKind::Checkins | DocKind::Ledger => Audience::OwnerAndCoordinators,
        }
    }

    /// Stable name, used in ids and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Community => "community",
            DocKind::Checkins => "checkins",
            DocKind::Ledger => "ledger",
        }
    }
}

/// A device as a holder of documents: the keys of the member it acts for
/// (all their devices' documents are theirs), and whether it is a
/// coordinator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    keys: BTreeSet<KeyId>,
    coordinator: bool,
}

impl Holder {
    /// The device with key `device`, as the verdict `who` sees it.
    pub fn of(who: &Authority, device: &MemberKey) -> Self {
        let member = who.identity(device);
        let mut keys: BTreeSet<KeyId> = who.keys_of(&member).iter().map(|k| k.key_id()).collect();
        keys.insert(device.key_id());
        Self {
            keys,
            coordinator: who.is_coordinator(device),
        }
    }

    /// A device that holds only its own documents, or every document.
    pub fn alone(device: &MemberKey, coordinator: bool) -> Self {
        Self {
            keys: BTreeSet::from([device.key_id()]),
            coordinator,
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

    /// Whether `holder` may hold this document: a coordinator holds every
    /// document; anyone else the community document and their member's
    /// own (of each of the member's devices).
    pub fn visible_to(&self, holder: &Holder) -> bool {
        match self.kind.audience() {
            Audience::Everyone => true,
            Audience::OwnerAndCoordinators => {
                holder.coordinator || self.member.is_some_and(|m| holder.keys.contains(&m))
            }
        }
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
        let (alone, coordinator) = (Holder::alone(&me, false), Holder::alone(&me, true));
        assert!(DocId::community(c).visible_to(&alone));
        assert!(DocId::checkins(c, &me, at).visible_to(&alone));
        assert!(DocId::ledger(c, &me, at).visible_to(&alone));
        assert!(!DocId::checkins(c, &other, at).visible_to(&alone));
        assert!(!DocId::ledger(c, &other, at).visible_to(&alone));
        assert!(DocId::ledger(c, &other, at).visible_to(&coordinator));
    }
}
