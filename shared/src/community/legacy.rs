//! Records of earlier formats that stores may still hold, read so that
//! nothing signed is lost when the format moves on. They are never written
//! again, and grant nothing new: a join request made with an invite of the
//! first format (no use limit, no pass) waits for a coordinator.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::{sign, MemberKey, Signature, SigningKey};
use crate::ids::CommunityId;
use crate::members::Role;
use crate::signed::Record;

const INVITE_V1_DOMAIN: &str = "nabo/invite/v1";

#[derive(Serialize)]
struct InviteV1Body<'a> {
    community: &'a CommunityId,
    name: &'a str,
    founding_key: &'a MemberKey,
    issuer: &'a MemberKey,
    role: Role,
    expires_at: i64,
}

/// An invite of the first format (`nabo:i1:`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteV1 {
    /// The community.
    pub community: CommunityId,
    /// Its name.
    pub name: String,
    /// The founding key.
    pub founding_key: MemberKey,
    /// The coordinator who made it.
    pub issuer: MemberKey,
    /// The role it gives.
    pub role: Role,
    /// Unix seconds after which it admits nobody.
    pub expires_at: i64,
    /// The issuer's signature.
    pub sig: Signature,
}

impl InviteV1 {
    /// Signs an invite of the first format, as earlier versions did (for
    /// tests of stores they wrote).
    pub fn issue(
        issuer: &SigningKey,
        community: CommunityId,
        name: &str,
        founding_key: MemberKey,
        role: Role,
        expires_at: i64,
    ) -> Self {
        let mut invite = Self {
            community,
            name: name.to_owned(),
            founding_key,
            issuer: MemberKey::of(issuer),
            role,
            expires_at,
            sig: Signature::from_bytes(&[0; 64]),
        };
        invite.sig = sign(issuer, INVITE_V1_DOMAIN, &invite.body());
        invite
    }

    fn body(&self) -> Vec<u8> {
        let body = InviteV1Body {
            community: &self.community,
            name: &self.name,
            founding_key: &self.founding_key,
            issuer: &self.issuer,
            role: self.role,
            expires_at: self.expires_at,
        };
        postcard::to_allocvec(&body).expect("code bodies always serialize")
    }

    /// Whether the issuer's signature holds.
    pub fn signature_ok(&self) -> bool {
        self.issuer
            .verify(INVITE_V1_DOMAIN, &self.body(), &self.sig)
            .is_ok()
    }
}

/// A join request of the first format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequestV1 {
    /// The community.
    pub community: CommunityId,
    /// The new device's key.
    pub member: MemberKey,
    /// The name the person gave.
    pub name: String,
    /// The invite they scanned.
    pub invite: InviteV1,
    /// When they asked.
    pub requested_at: DateTime<Utc>,
}

impl Record for JoinRequestV1 {
    const DOMAIN: &'static str = "nabo/join-request/v1";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_format_invite_verifies_and_a_changed_one_does_not() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let mut invite = InviteV1::issue(
            &key,
            CommunityId::from_bytes([1; 16]),
            "Tingbjerg",
            MemberKey::of(&key),
            Role::Resident,
            1_800_000_000,
        );
        assert!(invite.signature_ok());
        invite.role = Role::Coordinator;
        assert!(!invite.signature_ok());
    }
}
