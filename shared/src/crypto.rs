//! Keys and signatures. Every device has one ed25519 key; every record it
//! writes is signed with a domain string so a signature made for one kind of
//! record can never be replayed as another.

use std::fmt;

pub use ed25519_dalek::{Signature, SigningKey};
use ed25519_dalek::{Signer, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The 32 bytes are not a valid ed25519 public key.
    #[error("not a valid public key")]
    BadKey,
    /// The signature does not match the message and key.
    #[error("signature does not verify")]
    BadSignature,
}

/// A device's public key: who signed a record.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MemberKey(pub [u8; 32]);

/// A short fingerprint of a [`MemberKey`]: the first 8 bytes of its SHA-256.
/// QR codes carry this instead of the whole key to stay small.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KeyId(pub [u8; 8]);

impl MemberKey {
    /// The public key of a signing key.
    pub fn of(key: &SigningKey) -> Self {
        Self(key.verifying_key().to_bytes())
    }

    /// This key's short fingerprint.
    pub fn key_id(&self) -> KeyId {
        let digest = Sha256::digest(self.0);
        let mut id = [0; 8];
        id.copy_from_slice(&digest[..8]);
        KeyId(id)
    }

    /// The key as lowercase hex (document keys and storage use this).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses [`MemberKey::to_hex`] output.
    pub fn from_hex(s: &str) -> Option<Self> {
        // Straight into the array: a coordinator's device reads a million
        // keys when it judges every account.
        let mut key = [0; 32];
        hex::decode_to_slice(s, &mut key).ok()?;
        Some(Self(key))
    }

    /// Checks `sig` over `msg` made for `domain` by this key.
    pub fn verify(&self, domain: &str, msg: &[u8], sig: &Signature) -> Result<(), CryptoError> {
        let key = VerifyingKey::from_bytes(&self.0).map_err(|_| CryptoError::BadKey)?;
        key.verify(&domain_message(domain, msg), sig)
            .map_err(|_| CryptoError::BadSignature)
    }
}

impl fmt::Debug for MemberKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemberKey({})", self.key_id())
    }
}

impl fmt::Display for KeyId {
    /// Four groups of four hex digits, easy to read aloud and compare.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = hex::encode(self.0);
        write!(f, "{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
    }
}

impl KeyId {
    /// Parses the [`Display`](fmt::Display) form; dashes and spaces are optional.
    pub fn parse(s: &str) -> Option<Self> {
        let digits: String = s.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        let bytes = hex::decode(digits.to_ascii_lowercase()).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Signs `msg` for `domain`.
pub fn sign(key: &SigningKey, domain: &str, msg: &[u8]) -> Signature {
    key.sign(&domain_message(domain, msg))
}

fn domain_message(domain: &str, msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(domain.len() + 1 + msg.len());
    out.extend_from_slice(domain.as_bytes());
    out.push(0);
    out.extend_from_slice(msg);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_domain_and_key() {
        let a = SigningKey::from_bytes(&[1; 32]);
        let b = SigningKey::from_bytes(&[2; 32]);
        let sig = sign(&a, "nabo/test", b"hello");
        assert_eq!(
            MemberKey::of(&a).verify("nabo/test", b"hello", &sig),
            Ok(())
        );
        assert_eq!(
            MemberKey::of(&a).verify("nabo/other", b"hello", &sig),
            Err(CryptoError::BadSignature)
        );
        assert_eq!(
            MemberKey::of(&b).verify("nabo/test", b"hello", &sig),
            Err(CryptoError::BadSignature)
        );
    }

    #[test]
    fn hex_round_trips_and_rejects_wrong_lengths() {
        let k = MemberKey::of(&SigningKey::from_bytes(&[5; 32]));
        assert_eq!(MemberKey::from_hex(&k.to_hex()), Some(k));
        assert_eq!(MemberKey::from_hex("abcd"), None);
        assert_eq!(MemberKey::from_hex("zz"), None);
    }

    #[test]
    fn key_ids_are_grouped_hex() {
        let k = MemberKey::of(&SigningKey::from_bytes(&[5; 32]));
        let shown = k.key_id().to_string();
        assert_eq!(shown.len(), 19);
        assert_eq!(shown.matches('-').count(), 3);
    }
}
