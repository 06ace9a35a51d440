//! Members: the roles, the memberships coordinators sign, the revocations
//! that withdraw them, and [`authority`]: who counts as what, computed from
//! the merged records.

pub mod authority;
pub mod cards;
pub mod devices;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::ids::CommunityId;
use crate::signed::Record;

/// What a member may do in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Checks in, earns and spends currency, votes.
    Resident,
    /// A resident who also logs volunteer hours.
    Volunteer,
    /// Runs the community: activities, approvals, memberships, currency.
    Coordinator,
    /// A local business or association where members spend points.
    Partner,
}

impl Role {
    /// The role's stable name (storage, translations).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Volunteer => "volunteer",
            Role::Coordinator => "coordinator",
            Role::Partner => "partner",
        }
    }

    /// Parses [`Role::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "resident" => Some(Role::Resident),
            "volunteer" => Some(Role::Volunteer),
            "coordinator" => Some(Role::Coordinator),
            "partner" => Some(Role::Partner),
            _ => None,
        }
    }
}

/// A membership, signed by a coordinator (or the founding key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
/// network and confirmed no more, until a newer [`Reinstatement`].
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

/// A coordinator's giving back of a membership that was withdrawn. It
/// supersedes every revocation signed before it; a newer revocation
/// supersedes it in turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reinstatement {
    /// The community.
    pub community: CommunityId,
    /// The member's device key.
    pub member: MemberKey,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for Reinstatement {
    const DOMAIN: &'static str = "nabo/reinstatement/v1";
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
    pub balance: i64,
    /// Their devices, first the one they joined with.
    pub devices: Vec<devices::DeviceView>,
}

/// → `Vec<`[`MemberView`]`>`: members and pending join requests
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListMembers;

/// → `()`: withdraws a member's membership (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevokeMember {
    /// The member's device key fingerprint ([`MemberView::device`]).
    pub device: String,
}

/// → `()`: gives a removed member access again (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReinstateMember {
    /// The member's device key fingerprint ([`MemberView::device`]).
    pub device: String,
}

/// → `()`: confirms by hand a join request that waits in the review queue
/// (a coordinator invite, or one that expired before the request arrived;
/// coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApproveJoin {
    /// The asking device's key fingerprint.
    pub device: String,
}

crate::commands! {
    ListMembers => "list_members" -> Vec<MemberView>;
    ApproveJoin => "approve_join" -> ();
    RevokeMember => "revoke_member" -> ();
    ReinstateMember => "reinstate_member" -> ();
}
