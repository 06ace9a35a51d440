//! The invite QR (`nabo:i2:…`): what a new phone needs to trust the
//! community's coordinators offline, a coordinator's signed word that its
//! holder may join, and the secret that proves a join request was made by
//! someone who saw the QR.
//!
//! A join request carries the signed [`Invite`] so that any coordinator's
//! device can check it, and every member's device holds the community
//! document the request lives in. So the invite itself must not be enough
//! to join: the QR also holds the secret half of a one-off key pair (the
//! *pass*), whose public half the issuer signed into the invite. A join
//! request is valid only with the pass's signature over the joining
//! device's key, which nobody can make from a request they read.
//!
//! An invite admits at most [`Invite::uses`] devices (one unless the
//! coordinator makes a household invite) until it expires, unless a
//! coordinator withdraws it first. Use limit, expiry and withdrawal are
//! judged by the coordinator's device that confirms, by its own clock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::{encode, INVITE_KIND, INVITE_VERSION};
use crate::crypto::{sign, MemberKey, Signature, SigningKey};
use crate::ids::{CommunityId, InviteId};
use crate::members::Role;
use crate::signed::Record;

const INVITE_DOMAIN: &str = "nabo/invite/v2";
const PASS_DOMAIN: &str = "nabo/invite-pass/v1";

/// The most devices one invite may admit (a household).
pub const MAX_USES: u8 = 8;

#[derive(Serialize)]
struct InviteBody<'a> {
    id: &'a InviteId,
    community: &'a CommunityId,
    name: &'a str,
    founding_key: &'a MemberKey,
    issuer: &'a MemberKey,
    role: Role,
    expires_at: i64,
    uses: u8,
    pass: &'a MemberKey,
}

/// A coordinator's signed invite, as a join request carries it: who may
/// join, as what, until when, how many devices, and the public half of the
/// pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    /// Names the invite, for its use limit and its withdrawal.
    pub id: InviteId,
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
    /// How many devices it may admit.
    pub uses: u8,
    /// The public half of the pass: a join request must be signed with the
    /// secret half too.
    pub pass: MemberKey,
    /// The issuer's signature over the fields above.
    pub sig: Signature,
}

/// What the invite QR holds: the signed invite and the pass's secret half.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCode {
    /// The signed invite.
    pub invite: Invite,
    /// The pass's secret half.
    pass_secret: [u8; 32],
}

impl std::fmt::Debug for InviteCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret stays out of logs.
        f.debug_struct("InviteCode")
            .field("invite", &self.invite)
            .finish_non_exhaustive()
    }
}

/// What an issuer decides about a new invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteTerms {
    /// The invite's id.
    pub id: InviteId,
    /// The community.
    pub community: CommunityId,
    /// Its name.
    pub name: String,
    /// The founding key.
    pub founding_key: MemberKey,
    /// The role the new member gets.
    pub role: Role,
    /// When it stops admitting anyone.
    pub expires_at: DateTime<Utc>,
    /// How many devices it may admit.
    pub uses: u8,
}

impl InviteCode {
    /// Signs an invite; `pass_secret` is fresh randomness (the engine draws
    /// it).
    pub fn issue(issuer: &SigningKey, terms: InviteTerms, pass_secret: [u8; 32]) -> Self {
        let pass = MemberKey::of(&SigningKey::from_bytes(&pass_secret));
        let mut invite = Invite {
            id: terms.id,
            community: terms.community,
            name: terms.name,
            founding_key: terms.founding_key,
            issuer: MemberKey::of(issuer),
            role: terms.role,
            expires_at: terms.expires_at.timestamp(),
            uses: terms.uses,
            pass,
            sig: Signature::from_bytes(&[0; 64]),
        };
        invite.sig = sign(issuer, INVITE_DOMAIN, &invite.body());
        Self {
            invite,
            pass_secret,
        }
    }

    /// The pass's signature that `member` may join with this invite: what a
    /// join request carries as its proof.
    pub fn pass_for(&self, member: &MemberKey) -> Signature {
        let pass = SigningKey::from_bytes(&self.pass_secret);
        sign(&pass, PASS_DOMAIN, &pass_message(&self.invite, member))
    }

    /// Whether the QR is whole: its secret belongs to the invite's pass.
    pub fn is_whole(&self) -> bool {
        MemberKey::of(&SigningKey::from_bytes(&self.pass_secret)) == self.invite.pass
    }

    /// The text put in the QR code.
    pub fn encode(&self) -> String {
        encode(INVITE_KIND, INVITE_VERSION, self)
    }
}

impl Invite {
    fn body(&self) -> Vec<u8> {
        let body = InviteBody {
            id: &self.id,
            community: &self.community,
            name: &self.name,
            founding_key: &self.founding_key,
            issuer: &self.issuer,
            role: self.role,
            expires_at: self.expires_at,
            uses: self.uses,
            pass: &self.pass,
        };
        postcard::to_allocvec(&body).expect("code bodies always serialize")
    }

    /// Whether the issuer's signature holds and the use limit is sane.
    pub fn signature_ok(&self) -> bool {
        (1..=MAX_USES).contains(&self.uses)
            && self
                .issuer
                .verify(INVITE_DOMAIN, &self.body(), &self.sig)
                .is_ok()
    }

    /// Whether `proof` is the pass's signature for `member`: the request was
    /// made by someone who held the QR.
    pub fn pass_ok(&self, member: &MemberKey, proof: &Signature) -> bool {
        self.pass
            .verify(PASS_DOMAIN, &pass_message(self, member), proof)
            .is_ok()
    }

    /// Whether the invite still admits someone at `now`.
    pub fn valid_at(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() <= self.expires_at
    }
}

fn pass_message(invite: &Invite, member: &MemberKey) -> Vec<u8> {
    let mut msg = Vec::with_capacity(16 + 16 + 32);
    msg.extend_from_slice(invite.id.as_bytes());
    msg.extend_from_slice(invite.community.as_bytes());
    msg.extend_from_slice(&member.0);
    msg
}

/// A coordinator's withdrawal of an invite: from then on, a join request
/// made with it waits for a human.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteWithdrawal {
    /// The community.
    pub community: CommunityId,
    /// The invite.
    pub invite: InviteId,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for InviteWithdrawal {
    const DOMAIN: &'static str = "nabo/invite-withdrawal/v1";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Scanned;
    use chrono::TimeZone;

    fn code(uses: u8) -> InviteCode {
        let key = SigningKey::from_bytes(&[7; 32]);
        InviteCode::issue(
            &key,
            InviteTerms {
                id: InviteId::from_bytes([9; 16]),
                community: CommunityId::from_bytes([1; 16]),
                name: "Tingbjerg".into(),
                founding_key: MemberKey::of(&key),
                role: Role::Resident,
                expires_at: Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap(),
                uses,
            },
            [3; 32],
        )
    }

    #[test]
    fn an_invite_round_trips_and_verifies() {
        let c = code(1);
        assert!(c.invite.signature_ok());
        assert!(c.is_whole());
        assert_eq!(Scanned::parse(&c.encode()), Ok(Scanned::Invite(c)));
    }

    #[test]
    fn a_changed_invite_no_longer_verifies() {
        let mut c = code(1);
        c.invite.role = Role::Coordinator;
        assert!(!c.invite.signature_ok());
        let mut c = code(1);
        c.invite.uses = 5;
        assert!(!c.invite.signature_ok());
    }

    #[test]
    fn a_use_limit_outside_its_bounds_is_refused() {
        assert!(!code(0).invite.signature_ok());
        assert!(code(MAX_USES).invite.signature_ok());
        assert!(!code(MAX_USES + 1).invite.signature_ok());
    }

    #[test]
    fn only_the_qrs_holder_can_prove_a_join() {
        let c = code(2);
        let amina = MemberKey::of(&SigningKey::from_bytes(&[4; 32]));
        let intruder = MemberKey::of(&SigningKey::from_bytes(&[5; 32]));
        let proof = c.pass_for(&amina);
        assert!(c.invite.pass_ok(&amina, &proof));
        // Someone who read Amina's request cannot reuse her proof.
        assert!(!c.invite.pass_ok(&intruder, &proof));
        // Nor sign one with any other key.
        let forged = sign(
            &SigningKey::from_bytes(&[6; 32]),
            PASS_DOMAIN,
            &pass_message(&c.invite, &intruder),
        );
        assert!(!c.invite.pass_ok(&intruder, &forged));
    }

    #[test]
    fn a_qr_whose_secret_is_not_its_pass_is_not_whole() {
        let mut c = code(1);
        c.pass_secret = [8; 32];
        assert!(!c.is_whole());
    }
}
