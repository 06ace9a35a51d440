//! The invite QR (`nabo:i1:…`): what a new phone needs to trust the
//! community's coordinators offline, and a coordinator's signed word that
//! the holder may join.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::{encode, INVITE_KIND};
use crate::crypto::{sign, MemberKey, Signature, SigningKey};
use crate::ids::CommunityId;
use crate::members::Role;

const INVITE_DOMAIN: &str = "nabo/invite/v1";

#[derive(Serialize)]
struct InviteBody<'a> {
    community: &'a CommunityId,
    name: &'a str,
    founding_key: &'a MemberKey,
    issuer: &'a MemberKey,
    role: Role,
    expires_at: i64,
}

/// An invite QR: everything a new device needs to trust the community's
/// coordinators offline, and proof (the issuer's signature) that a
/// coordinator let the holder in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCode {
    /// The community.
    pub community: CommunityId,
    /// Its name, shown before joining.
    pub name: String,
    /// The founding coordinator key: the root of trust.
    pub founding_key: MemberKey,
    /// The coordinator who made the invite.
    pub issuer: MemberKey,
    /// The role the new member gets.
    pub role: Role,
    /// Unix seconds after which the invite no longer admits anyone.
    pub expires_at: i64,
    /// The issuer's signature over the fields above.
    pub sig: Signature,
}

impl InviteCode {
    /// Signs an invite.
    pub fn issue(
        issuer: &SigningKey,
        community: CommunityId,
        name: &str,
        founding_key: MemberKey,
        role: Role,
        expires_at: DateTime<Utc>,
    ) -> Self {
        let issuer_key = MemberKey::of(issuer);
        let expires_at = expires_at.timestamp();
        let sig = sign(
            issuer,
            INVITE_DOMAIN,
            &invite_body(
                &community,
                name,
                &founding_key,
                &issuer_key,
                role,
                expires_at,
            ),
        );
        Self {
            community,
            name: name.to_owned(),
            founding_key,
            issuer: issuer_key,
            role,
            expires_at,
            sig,
        }
    }

    /// Whether the issuer's signature holds.
    pub fn signature_ok(&self) -> bool {
        self.issuer
            .verify(
                INVITE_DOMAIN,
                &invite_body(
                    &self.community,
                    &self.name,
                    &self.founding_key,
                    &self.issuer,
                    self.role,
                    self.expires_at,
                ),
                &self.sig,
            )
            .is_ok()
    }

    /// Whether the invite still admits someone at `now`.
    pub fn valid_at(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() <= self.expires_at
    }

    /// The text put in the QR code.
    pub fn encode(&self) -> String {
        encode(INVITE_KIND, self)
    }
}

fn invite_body(
    community: &CommunityId,
    name: &str,
    founding_key: &MemberKey,
    issuer: &MemberKey,
    role: Role,
    expires_at: i64,
) -> Vec<u8> {
    let body = InviteBody {
        community,
        name,
        founding_key,
        issuer,
        role,
        expires_at,
    };
    postcard::to_allocvec(&body).expect("code bodies always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Scanned;
    use chrono::TimeZone;

    fn invite() -> InviteCode {
        let key = SigningKey::from_bytes(&[7; 32]);
        InviteCode::issue(
            &key,
            CommunityId::from_bytes([1; 16]),
            "Tingbjerg",
            MemberKey::of(&key),
            Role::Resident,
            Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap(),
        )
    }

    #[test]
    fn an_invite_round_trips_and_verifies() {
        let i = invite();
        assert!(i.signature_ok());
        assert_eq!(Scanned::parse(&i.encode()), Ok(Scanned::Invite(i)));
    }

    #[test]
    fn a_changed_invite_no_longer_verifies() {
        let mut i = invite();
        i.role = Role::Coordinator;
        assert!(!i.signature_ok());
    }
}
