//! A member is not a device: the records that give a member more than one
//! key, and take a lost one away.
//!
//! A member's identity is the key of the device they first joined with
//! (the key their membership names). A coordinator's [`DeviceLink`] makes
//! another key act for the same member: what it earns, spends and signs is
//! the member's, and the member's devices hold each other's documents, so a
//! new phone shows the whole history. A [`DeviceRetirement`] takes a lost
//! device away: from its signing time nothing that device signs counts,
//! while what it signed before stays valid. A [`Replacement`] marks an
//! invite as the way in for a member's new phone: whichever coordinator's
//! device confirms the join request made with it links the new key to the
//! member instead of making a new member.
//!
//! Coordinators' own keys are not linked or retired this way: a
//! coordinator's office belongs to a key, and a lost coordinator phone is
//! removed by another coordinator (a revocation) and replaced by a new
//! coordinator invite.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::ids::{CommunityId, InviteId};
use crate::signed::Record;

/// A coordinator's word that `device` acts for `member` from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceLink {
    /// The community.
    pub community: CommunityId,
    /// The member: the key their membership names.
    pub member: MemberKey,
    /// The new device's key.
    pub device: MemberKey,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for DeviceLink {
    const DOMAIN: &'static str = "nabo/device-link/v1";
}

/// A coordinator's word that one of `member`'s devices is lost: nothing it
/// signs from `issued_at` on counts, and it is refused on the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRetirement {
    /// The community.
    pub community: CommunityId,
    /// The member the device acts for.
    pub member: MemberKey,
    /// The lost device's key.
    pub device: MemberKey,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for DeviceRetirement {
    const DOMAIN: &'static str = "nabo/device-retirement/v1";
}

/// A coordinator's word that the invite `invite` is for `member`'s new
/// device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replacement {
    /// The community.
    pub community: CommunityId,
    /// The invite the new device joins with.
    pub invite: InviteId,
    /// The member it is for.
    pub member: MemberKey,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for Replacement {
    const DOMAIN: &'static str = "nabo/replacement/v1";
}

/// One of a member's devices, as a coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The device key's fingerprint.
    pub device: String,
    /// Since when it acts for the member (`None`: the device they joined
    /// with).
    pub linked_at: Option<DateTime<Utc>>,
    /// When a coordinator said it was lost, if one did.
    pub retired_at: Option<DateTime<Utc>>,
    /// A printed member card, not a phone.
    #[serde(default)]
    pub card: bool,
}

/// → [`OpenInvite`](crate::community::OpenInvite): a one-device invite
/// for a member's new phone, with the member's role; with `retire`, their
/// devices are taken away first (lost or stolen; coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplaceDevice {
    /// The member's fingerprint ([`MemberView::device`](super::MemberView)).
    pub member: String,
    /// Whether the member's devices are lost: nothing they sign from now on
    /// counts.
    pub retire: bool,
}

crate::commands! {
    ReplaceDevice => "replace_device" -> crate::community::OpenInvite;
}
