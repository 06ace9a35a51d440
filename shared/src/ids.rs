//! Stable identifiers. Every collection in a document is a map keyed by one of
//! these, never a position in a list, so concurrent inserts on two devices
//! merge instead of colliding.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Builds the id from its 16 raw bytes (the engine draws them at random).
            pub fn from_bytes(bytes: [u8; 16]) -> Self {
                Self(Uuid::from_bytes(bytes))
            }

            /// The id's 16 raw bytes.
            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.as_hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// One neighbourhood (*boligområde*) and everything that belongs to it.
    CommunityId
);
id_type!(
    /// An activity residents check in to (homework café, garden day, ...).
    ActivityId
);
id_type!(
    /// One resident's check-in at one activity.
    CheckinId
);
id_type!(
    /// One invite, for its use limit and its withdrawal.
    InviteId
);
id_type!(
    /// One immutable ledger entry.
    EntryId
);
id_type!(
    /// One volunteer's claim of hours (all its versions share it).
    HourClaimId
);
id_type!(
    /// One change of a community's rules.
    RulesId
);
id_type!(
    /// One reward a partner offers (all its versions share it).
    OfferId
);
id_type!(
    /// One neighbourhood budget round (all its versions share it).
    RoundId
);
id_type!(
    /// One proposal to a budget round (all its versions share it).
    ProposalId
);
id_type!(
    /// One one-time census code printed on a paper ballot of a round (a
    /// hash of the round and the code: the code itself is not stored).
    CensusId
);
id_type!(
    /// One application to the small-grants pool (all its versions share it).
    ApplicationId
);
id_type!(
    /// One payout from the neighbourhood budget (all its versions share it).
    PayoutId
);

impl CommunityId {
    /// A community's id follows from its founding key and a random salt, so
    /// the id itself names who may found it.
    pub fn derive(founding_key: &crate::crypto::MemberKey, salt: &[u8; 16]) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"nabo/community-id/v1");
        h.update(founding_key.0);
        h.update(salt);
        let digest = h.finalize();
        let mut id = [0; 16];
        id.copy_from_slice(&digest[..16]);
        Self::from_bytes(id)
    }
}

impl EntryId {
    /// The id of the reward for a check-in. It is the check-in's own id, so two
    /// coordinators who both reward the same check-in write the same document
    /// key: one payment, never two.
    pub fn reward_for(checkin: CheckinId) -> Self {
        Self(checkin.0)
    }

    /// The id of the expiry of a member's points of one month: every
    /// device that expires that month writes this id, so only one counts.
    pub fn expiry_of(
        community: CommunityId,
        member: &crate::crypto::MemberKey,
        month: crate::rewards::expiry::Month,
    ) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"nabo/expiry-id/v1");
        h.update(community.0);
        h.update(member.0);
        h.update(month.year.to_be_bytes());
        h.update(month.month.to_be_bytes());
        let digest = h.finalize();
        let mut id = [0; 16];
        id.copy_from_slice(&digest[..16]);
        Self::from_bytes(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_parse_back() {
        let id = ActivityId::from_bytes([9; 16]);
        assert_eq!(id.to_string().parse::<ActivityId>().unwrap(), id);
    }

    #[test]
    fn a_reward_is_keyed_by_its_checkin() {
        let c = CheckinId::from_bytes([3; 16]);
        assert_eq!(EntryId::reward_for(c).as_bytes(), c.as_bytes());
    }
}
