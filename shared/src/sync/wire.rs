//! What two devices say to each other on the encrypted channel: the
//! handshake's [`Hello`], and the sync conversation's [`Wire`] messages.
//! These decode bytes from another device, which may send anything: each
//! decoder returns `None` for what is not a message and never panics
//! (fuzzed, see `tests/fuzz`).

use serde::{Deserialize, Serialize};

use crate::crypto::{sign, MemberKey, Signature, SigningKey};
use crate::ids::CommunityId;

/// Signature domain of a device key's word for the channel key it uses.
const BINDING_DOMAIN: &str = "nabo/channel-static-key/v1";

/// A device's handshake payload: its community, its device key, that key's
/// signature over the channel (X25519) key it is using, and a ticket (its
/// signed join request while it is not a member yet, else empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The community it belongs to.
    pub community: CommunityId,
    /// Its device key.
    pub device: MemberKey,
    /// The device key's signature over the channel key.
    pub binding: Signature,
    /// Its signed join request, or empty.
    pub ticket: Vec<u8>,
}

impl Hello {
    /// This device's hello for a channel key.
    pub fn new(me: &SigningKey, community: CommunityId, channel_key: &[u8], ticket: &[u8]) -> Self {
        Self {
            community,
            device: MemberKey::of(me),
            binding: sign(me, BINDING_DOMAIN, channel_key),
            ticket: ticket.to_vec(),
        }
    }

    /// Whether the device key signed this channel key.
    pub fn binds(&self, channel_key: &[u8]) -> bool {
        self.device
            .verify(BINDING_DOMAIN, channel_key, &self.binding)
            .is_ok()
    }

    /// The bytes sent.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("hellos always serialize")
    }

    /// Reads a hello; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes(bytes).ok()
    }
}

/// One message of a sync conversation. The dialling side speaks first
/// (`Start`); a side with nothing to add after taking in a batch says `Done`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Wire {
    /// `(document id, Automerge sync message)` pairs.
    Round(Vec<(String, Vec<u8>)>),
    /// Nothing more to say.
    Done,
    /// The opening: the documents with news, and the digest of the shared
    /// heads of the rest.
    Start {
        /// The digest of the shared heads of the documents not mentioned.
        digest: [u8; 32],
        /// The documents with news.
        messages: Vec<(String, Vec<u8>)>,
    },
    /// The answer to a `Start` whose digest did not match: compare everything.
    Full(Vec<(String, Vec<u8>)>),
}

impl Wire {
    /// The bytes sent.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("sync messages always serialize")
    }

    /// Reads a message; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hello_round_trips_and_binds_only_its_channel_key() {
        let me = SigningKey::from_bytes(&[3; 32]);
        let hello = Hello::new(&me, CommunityId::from_bytes([1; 16]), &[9; 32], b"ticket");
        let back = Hello::decode(&hello.encode()).expect("decodes");
        assert_eq!(back, hello);
        assert!(back.binds(&[9; 32]));
        assert!(!back.binds(&[8; 32]));
    }

    #[test]
    fn messages_round_trip() {
        for wire in [
            Wire::Done,
            Wire::Round(vec![("community/x".into(), vec![1, 2])]),
            Wire::Start {
                digest: [7; 32],
                messages: vec![],
            },
            Wire::Full(vec![]),
        ] {
            assert_eq!(Wire::decode(&wire.encode()), Some(wire));
        }
        assert_eq!(Wire::decode(&[9, 9, 9]), None);
    }
}
