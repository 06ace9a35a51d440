//! A hub's pairing code (`nabo:p1:…`) and its typed short form.

use serde::{Deserialize, Serialize};

use crate::codes::{encode, CodeError, PAIRING_KIND, PAIRING_VERSION};
use crate::crypto::KeyId;
use crate::ids::CommunityId;

/// A hub's pairing QR: where a phone finds the community house's hub on
/// the local network, and the fingerprint of the hub's device key, which the
/// phone pins: the encrypted channel's handshake must prove that key.
/// Nothing here is secret, so it is not signed; a forged pairing code can
/// only point a phone at a device that then fails the handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingCode {
    /// The community the hub serves.
    pub community: CommunityId,
    /// The hub's device key fingerprint.
    pub hub: KeyId,
    /// The hub's addresses on the local network (a laptop may have several).
    pub addresses: Vec<std::net::IpAddr>,
    /// The port the hub listens on.
    pub port: u16,
}

impl PairingCode {
    /// The most addresses a pairing code carries (keeps the QR small).
    pub const MAX_ADDRESSES: usize = 4;

    /// A decoded code, refused when no phone could reach it (no address,
    /// too many, port 0).
    pub(crate) fn checked(self) -> Result<Self, CodeError> {
        if self.addresses.is_empty() || self.addresses.len() > Self::MAX_ADDRESSES || self.port == 0
        {
            return Err(CodeError::Damaged);
        }
        Ok(self)
    }

    /// The text put in the QR code.
    pub fn encode(&self) -> String {
        encode(PAIRING_KIND, PAIRING_VERSION, self)
    }

    /// Every `address:port` to try, in order.
    pub fn endpoints(&self) -> Vec<std::net::SocketAddr> {
        self.addresses
            .iter()
            .map(|ip| std::net::SocketAddr::new(*ip, self.port))
            .collect()
    }
}

/// A hub's short code, for typing when no camera works: one `address:port`
/// and the hub's fingerprint, e.g. `192.168.1.20:47800 3f2a-9c1b-7e4d-5a60`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortCode {
    /// Where the hub listens.
    pub endpoint: std::net::SocketAddr,
    /// The hub's key fingerprint.
    pub hub: KeyId,
}

impl ShortCode {
    /// Parses typed text: the address, then the fingerprint (space or `/` between).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (endpoint, hub) = text.split_once(|c: char| c == '/' || c.is_whitespace())?;
        Some(Self {
            endpoint: endpoint.trim().parse().ok()?,
            hub: KeyId::parse(hub.trim())?,
        })
    }

    /// This code as a pairing code of `community`.
    pub fn pairing(&self, community: CommunityId) -> PairingCode {
        PairingCode {
            community,
            hub: self.hub,
            addresses: vec![self.endpoint.ip()],
            port: self.endpoint.port(),
        }
    }
}

impl std::fmt::Display for ShortCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.endpoint, self.hub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{MemberKey, SigningKey};
    use crate::scan::Scanned;

    fn hub() -> KeyId {
        MemberKey::of(&SigningKey::from_bytes(&[7; 32])).key_id()
    }

    #[test]
    fn short_codes_round_trip_and_refuse_junk() {
        let code = ShortCode {
            endpoint: "192.168.1.20:47800".parse().unwrap(),
            hub: hub(),
        };
        let text = code.to_string();
        assert_eq!(ShortCode::parse(&text), Some(code));
        assert_eq!(
            ShortCode::parse(&format!("  {}/{}  ", code.endpoint, hub())),
            Some(code)
        );
        assert_eq!(ShortCode::parse(&text.to_uppercase()), Some(code));
        let v6 = ShortCode::parse(&format!("[fe80::1]:4450 {}", hub())).unwrap();
        assert_eq!(v6.endpoint.port(), 4450);
        for junk in [
            "",
            "192.168.1.20",
            "192.168.1.20:47800",
            "hub 3f2a",
            "1.2.3.4:5 zz",
        ] {
            assert_eq!(ShortCode::parse(junk), None, "{junk:?}");
        }
        let pairing = code.pairing(CommunityId::from_bytes([1; 16]));
        assert_eq!(pairing.endpoints(), vec![code.endpoint]);
    }

    #[test]
    fn a_pairing_code_round_trips_and_lists_its_endpoints() {
        let p = PairingCode {
            community: CommunityId::from_bytes([1; 16]),
            hub: hub(),
            addresses: vec!["192.168.1.20".parse().unwrap(), "fe80::1".parse().unwrap()],
            port: 4450,
        };
        let text = p.encode();
        assert!(text.starts_with("nabo:p1:") && text.len() < 120, "{text}");
        assert_eq!(Scanned::parse(&text), Ok(Scanned::Pairing(p.clone())));
        assert_eq!(p.endpoints()[0], "192.168.1.20:4450".parse().unwrap());
    }

    #[test]
    fn a_pairing_code_without_a_reachable_endpoint_is_damaged() {
        let mut p = PairingCode {
            community: CommunityId::from_bytes([1; 16]),
            hub: hub(),
            addresses: vec![],
            port: 4450,
        };
        assert_eq!(Scanned::parse(&p.encode()), Err(CodeError::Damaged));
        p.addresses = vec!["10.0.0.1".parse().unwrap()];
        p.port = 0;
        assert_eq!(Scanned::parse(&p.encode()), Err(CodeError::Damaged));
        p.port = 1;
        p.addresses = vec!["10.0.0.1".parse().unwrap(); 5];
        assert_eq!(Scanned::parse(&p.encode()), Err(CodeError::Damaged));
    }
}
