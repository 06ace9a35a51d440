//! Signed records: the only things Nabo's documents hold.
//!
//! A document is a flat map from a stable key to the bytes of a [`Signed`]
//! envelope. The envelope carries the record's canonical bytes, the signer's
//! public key and the signature, so any device can check it without asking
//! anyone. Whether the signer was *allowed* to write it (a coordinator, a
//! member) is decided over the merged state by the reader; each record kind
//! lives with its capability (`community`, `members`, `activities`, `rewards`).

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::crypto::{sign, CryptoError, MemberKey, Signature, SigningKey};

/// A kind of record, with the signature domain that keeps kinds apart.
pub trait Record: Serialize + DeserializeOwned {
    /// Signature domain: a signature for one kind never verifies as another.
    const DOMAIN: &'static str;
}

/// Why stored bytes are not a usable record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The envelope itself could not be decoded.
    #[error("envelope is not readable: {0}")]
    Envelope(#[source] postcard::Error),
    /// The signature does not verify.
    #[error("signature: {0}")]
    Signature(#[from] CryptoError),
    /// The signed body is not a record of the expected kind.
    #[error("record body is not readable: {0}")]
    Body(#[source] postcard::Error),
}

/// A record and the proof of who wrote it.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Signed<T> {
    body: Vec<u8>,
    signer: MemberKey,
    sig: Signature,
    #[serde(skip)]
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Signed<T> {
    fn clone(&self) -> Self {
        Self {
            body: self.body.clone(),
            signer: self.signer,
            sig: self.sig,
            kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Signed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signed")
            .field("signer", &self.signer)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl<T> PartialEq for Signed<T> {
    fn eq(&self, other: &Self) -> bool {
        (&self.body, self.signer, self.sig) == (&other.body, other.signer, other.sig)
    }
}

impl<T> Eq for Signed<T> {}

/// A record whose signature has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<T> {
    /// The record.
    pub value: T,
    /// Who signed it.
    pub signer: MemberKey,
    /// The signature's bytes: a stable tie-breaker when two valid versions
    /// of the same key meet after a merge.
    pub sig: [u8; 64],
}

impl<T: Record> Signed<T> {
    /// Signs `value` with `key`.
    pub fn seal(key: &SigningKey, value: &T) -> Self {
        // Records are plain structs of sized fields; postcard cannot fail on them.
        let body = postcard::to_allocvec(value).expect("records always serialize");
        let sig = sign(key, T::DOMAIN, &body);
        Self {
            body,
            signer: MemberKey::of(key),
            sig,
            kind: PhantomData,
        }
    }

    /// Checks the signature, then decodes the record.
    pub fn open(&self) -> Result<Verified<T>, RecordError> {
        self.open_with(Self::verify)
    }

    /// Checks the signature alone.
    pub fn verify(&self) -> Result<(), CryptoError> {
        self.signer.verify(T::DOMAIN, &self.body, &self.sig)
    }

    /// [`open`](Self::open) with the signature checked by `check`: for a
    /// caller that may know these very bytes checked already (the engine's
    /// rebuild checks signatures on a second core), and otherwise calls
    /// [`verify`](Self::verify).
    pub fn open_with(
        &self,
        check: impl FnOnce(&Self) -> Result<(), CryptoError>,
    ) -> Result<Verified<T>, RecordError> {
        check(self)?;
        let value = postcard::from_bytes(&self.body).map_err(RecordError::Body)?;
        Ok(Verified {
            value,
            signer: self.signer,
            sig: self.sig.to_bytes(),
        })
    }

    /// The envelope as stored in a document.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("envelopes always serialize")
    }

    /// Reads an envelope from document bytes (without verifying it).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RecordError> {
        postcard::from_bytes(bytes).map_err(RecordError::Envelope)
    }

    /// Decodes and verifies in one step.
    pub fn open_bytes(bytes: &[u8]) -> Result<Verified<T>, RecordError> {
        Self::from_bytes(bytes)?.open()
    }
}

/// Who an envelope says signed it, without checking the signature: for
/// reports about values that were refused.
pub fn claimed_signer(bytes: &[u8]) -> Option<MemberKey> {
    postcard::from_bytes::<Signed<()>>(bytes)
        .ok()
        .map(|s| s.signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
        count: u32,
    }

    impl Record for Note {
        const DOMAIN: &'static str = "nabo/test-note/v1";
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct OtherNote {
        text: String,
        count: u32,
    }

    impl Record for OtherNote {
        const DOMAIN: &'static str = "nabo/test-other-note/v1";
    }

    fn note() -> Note {
        Note {
            text: "Tingbjerg".into(),
            count: 3,
        }
    }

    #[test]
    fn a_sealed_record_opens_to_itself() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let signed = Signed::seal(&key, &note());
        let opened = Signed::<Note>::open_bytes(&signed.to_bytes()).unwrap();
        assert_eq!(opened.value, note());
        assert_eq!(opened.signer, MemberKey::of(&key));
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let mut signed = Signed::seal(&key, &note());
        let last = signed.body.len() - 1;
        signed.body[last] ^= 1;
        assert!(matches!(signed.open(), Err(RecordError::Signature(_))));
    }

    #[test]
    fn a_record_signed_as_one_kind_does_not_open_as_another() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let bytes = Signed::seal(&key, &note()).to_bytes();
        assert!(matches!(
            Signed::<OtherNote>::open_bytes(&bytes),
            Err(RecordError::Signature(CryptoError::BadSignature))
        ));
    }

    #[test]
    fn the_claimed_signer_is_read_without_verifying() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let mut signed = Signed::seal(&key, &note());
        signed.body.push(0);
        assert_eq!(
            claimed_signer(&signed.to_bytes()),
            Some(MemberKey::of(&key))
        );
        assert_eq!(claimed_signer(b"junk"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(
            Signed::<Note>::open_bytes(&[]),
            Err(RecordError::Envelope(_))
        ));
        assert!(Signed::<Note>::open_bytes(&[0xff; 7]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = Signed::<Note>::open_bytes(&bytes);
        }
    }
}
