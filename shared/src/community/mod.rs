//! A community (*boligområde*): founding it, joining it with an invite, and
//! this device's place in it.

mod invite;
pub mod legacy;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use invite::{Invite, InviteCode, InviteTerms, InviteWithdrawal, MAX_USES};

use crate::codes::QrView;
use crate::crypto::{MemberKey, Signature};
use crate::ids::{CommunityId, InviteId};
use crate::members::Role;
use crate::signed::Record;

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

/// A new device's request to join, signed by that device. It carries the
/// invite it was made from, which proves a coordinator let this person in,
/// and the invite's pass for this device, which proves the person held the
/// QR (see [`Invite`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The community.
    pub community: CommunityId,
    /// The new device's key.
    pub member: MemberKey,
    /// The name the person gave.
    pub name: String,
    /// The invite they scanned.
    pub invite: Invite,
    /// The invite's pass signature over this device's key.
    pub pass: Signature,
    /// When they asked (their clock's word: the confirmer judges by its own).
    pub requested_at: DateTime<Utc>,
}

impl Record for JoinRequest {
    const DOMAIN: &'static str = "nabo/join-request/v2";
}

impl JoinRequest {
    /// Whether the request stands on a whole invite of this community:
    /// the issuer's signature, the pass for this device, and asked before
    /// the invite's expiry by its own word. Whether the issuer is a
    /// coordinator, and the expiry and use limit by the confirmer's clock,
    /// are for the confirming device to judge.
    pub fn invite_holds(&self) -> bool {
        self.invite.community == self.community
            && self.invite.signature_ok()
            && self.invite.pass_ok(&self.member, &self.pass)
            && self.requested_at.timestamp() <= self.invite.expires_at
    }

    /// The invite's id.
    pub fn invite_id(&self) -> InviteId {
        self.invite.id
    }
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

/// UI languages. Danish first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Dansk.
    #[default]
    Da,
    /// English.
    En,
    /// العربية (Arabic, written right to left).
    Ar,
}

impl Lang {
    /// BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// Parses [`Lang::tag`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            _ => None,
        }
    }

    /// The language's name in itself, for the language picker.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Da => "Dansk",
            Lang::En => "English",
            Lang::Ar => "العربية",
        }
    }

    /// The writing direction (`ltr` or `rtl`), for the page's `dir`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Da | Lang::En => "ltr",
            Lang::Ar => "rtl",
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
    /// Whether the community is the demo (every screen says so).
    pub demo: bool,
    /// The text size chosen on this device, in percent (100 unless chosen).
    pub text_size: u16,
}

/// The text sizes a member can choose, in percent.
pub const TEXT_SIZES: [u16; 4] = [100, 125, 150, 200];

/// → `()`: chooses the text size (one of [`TEXT_SIZES`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetTextSize {
    /// Percent.
    pub percent: u16,
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

/// → [`Status`]: which screen to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetStatus;

/// → [`Status`]: founds a community with this device as its first coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCommunity {
    /// The neighbourhood's name.
    pub community_name: String,
    /// The coordinator's own name.
    pub my_name: String,
}

/// → [`Status`]: joins with an invite's text (scanned, pasted, or read from
/// a picture).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinCommunity {
    /// The invite QR's text.
    pub invite: String,
    /// The new member's name.
    pub my_name: String,
}

/// → [`Status`]: fills a fresh device with the demo neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartDemo;

/// → [`Status`]: this device leaves its neighbourhood (or the demo): every
/// record, setting and sync partner on it is forgotten, and it gets a new
/// key, as a fresh install. What others hold is not touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaveCommunity;

/// → [`Status`]: a coordinator changes their own name as members see it
/// (a new membership they sign for themselves).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetMyName {
    /// The new name.
    pub name: String,
}

/// → `()`: chooses the UI language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetLanguage {
    /// The language.
    pub lang: Lang,
}

/// An invite this device issued that still admits someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenInvite {
    /// The invite.
    pub id: InviteId,
    /// The role it gives.
    pub role: Role,
    /// How many devices it may admit.
    pub uses: u8,
    /// How many it admitted so far.
    pub used: u8,
    /// When it stops admitting anyone.
    pub expires_at: DateTime<Utc>,
    /// Its QR code.
    pub qr: QrView,
}

/// → [`OpenInvite`]: a fresh invite for a new member (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateInvite {
    /// The role the new member gets.
    pub role: Role,
    /// How many devices it may admit: 1, or up to [`MAX_USES`] for a
    /// household.
    pub uses: u8,
}

/// → `Vec<`[`OpenInvite`]`>`: the invites this device issued that still
/// admit someone, newest first (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListInvites;

/// → `()`: withdraws an invite (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawInvite {
    /// The invite.
    pub id: InviteId,
}

crate::commands! {
    GetStatus => "status" -> Status;
    CreateCommunity => "create_community" -> Status;
    JoinCommunity => "join_community" -> Status;
    StartDemo => "start_demo" -> Status;
    LeaveCommunity => "leave_community" -> Status;
    SetMyName => "set_my_name" -> Status;
    SetLanguage => "set_language" -> ();
    SetTextSize => "set_text_size" -> ();
    CreateInvite => "create_invite" -> OpenInvite;
    ListInvites => "list_invites" -> Vec<OpenInvite>;
    WithdrawInvite => "withdraw_invite" -> ();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SigningKey;
    use chrono::TimeZone;

    #[test]
    fn only_the_founding_key_can_found_a_community_id() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let salt = [3; 16];
        let mut g = Genesis {
            community: CommunityId::derive(&MemberKey::of(&key), &salt),
            name: "Tingbjerg".into(),
            founding_key: MemberKey::of(&key),
            time_zone: "Europe/Copenhagen".into(),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            salt,
        };
        assert!(g.is_self_certifying());
        g.founding_key = MemberKey::of(&SigningKey::from_bytes(&[5; 32]));
        assert!(!g.is_self_certifying());
    }
}
