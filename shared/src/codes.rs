//! The QR payloads: a rotating check-in code and a community invite.
//!
//! Text form: `nabo:<kind><version>:<base64url of the postcard body>`, e.g.
//! `nabo:c1:AQID...`. The kind letter lets a scanner tell an invite from a
//! check-in code and say something useful when the wrong one is scanned; the
//! version lets a newer app refuse an older or newer format cleanly. The body
//! is postcard (varint, no field names) so a check-in code stays around 150
//! characters, which keeps the QR code coarse enough for cheap cameras.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::{sign, KeyId, MemberKey, Signature, SigningKey};
use crate::ids::{ActivityId, CommunityId};
use crate::records::Role;

/// A check-in code is valid for one window of this many seconds.
pub const WINDOW_SECS: i64 = 30;

const PREFIX: &str = "nabo:";
const CHECKIN_KIND: char = 'c';
const INVITE_KIND: char = 'i';
const PAIRING_KIND: char = 'p';
const VERSION: u32 = 1;
const CHECKIN_DOMAIN: &str = "nabo/checkin-code/v1";
const INVITE_DOMAIN: &str = "nabo/invite/v1";
/// Longest text the decoder looks at: anything longer is not ours.
const MAX_TEXT: usize = 2048;

/// Why scanned text is not a Nabo code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CodeError {
    /// The text does not start with `nabo:`: some other QR code.
    #[error("not a Nabo code")]
    NotNabo,
    /// A Nabo code of a kind this app does not know.
    #[error("unknown kind of Nabo code")]
    UnknownKind,
    /// A Nabo code of a format version this app does not read.
    #[error("format version {version} is not supported")]
    UnsupportedVersion {
        /// The version found.
        version: u32,
    },
    /// The right prefix, but the body is damaged or cut short.
    #[error("the code is damaged")]
    Damaged,
}

/// The window number a moment falls in.
pub fn window_of(t: DateTime<Utc>) -> u32 {
    u32::try_from(t.timestamp().div_euclid(WINDOW_SECS)).unwrap_or(0)
}

/// When a window starts.
pub fn window_start(window: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(i64::from(window) * WINDOW_SECS, 0)
        .single()
        .unwrap_or_default()
}

#[derive(Serialize)]
struct CheckinBody<'a> {
    community: &'a CommunityId,
    activity: &'a ActivityId,
    window: u32,
    key_id: &'a KeyId,
}

/// The code on a coordinator's check-in screen. It changes every
/// [`WINDOW_SECS`] seconds so a photo of it is useless a minute later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinCode {
    /// The community.
    pub community: CommunityId,
    /// The activity being checked in to.
    pub activity: ActivityId,
    /// The time window it is valid for (see [`window_of`]).
    pub window: u32,
    /// Fingerprint of the coordinator key that signed it.
    pub key_id: KeyId,
    /// The coordinator's signature over the fields above.
    pub sig: Signature,
}

impl CheckinCode {
    /// Signs the code for `now`'s window.
    pub fn issue(
        key: &SigningKey,
        community: CommunityId,
        activity: ActivityId,
        now: DateTime<Utc>,
    ) -> Self {
        let key_id = MemberKey::of(key).key_id();
        let window = window_of(now);
        let sig = sign(
            key,
            CHECKIN_DOMAIN,
            &checkin_body(&community, &activity, window, &key_id),
        );
        Self {
            community,
            activity,
            window,
            key_id,
            sig,
        }
    }

    /// Whether `signer` made this code.
    pub fn signed_by(&self, signer: &MemberKey) -> bool {
        signer.key_id() == self.key_id
            && signer
                .verify(
                    CHECKIN_DOMAIN,
                    &checkin_body(&self.community, &self.activity, self.window, &self.key_id),
                    &self.sig,
                )
                .is_ok()
    }

    /// When this code stops being shown.
    pub fn expires_at(&self) -> DateTime<Utc> {
        window_start(self.window.saturating_add(1))
    }

    /// The text put in the QR code.
    pub fn encode(&self) -> String {
        encode(CHECKIN_KIND, self)
    }
}

fn checkin_body(c: &CommunityId, a: &ActivityId, window: u32, key_id: &KeyId) -> Vec<u8> {
    let body = CheckinBody {
        community: c,
        activity: a,
        window,
        key_id,
    };
    postcard::to_allocvec(&body).expect("code bodies always serialize")
}

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

    /// The text put in the QR code.
    pub fn encode(&self) -> String {
        encode(PAIRING_KIND, self)
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

/// Whatever a scanner read, once recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A check-in code.
    Checkin(CheckinCode),
    /// An invite.
    Invite(InviteCode),
    /// A hub's pairing code.
    Pairing(PairingCode),
}

impl Scanned {
    /// Recognises and decodes scanned or pasted text. Whitespace around the
    /// code and an upper-case prefix (some scanners shout) are tolerated.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let text = text.trim();
        if text.len() > MAX_TEXT || !text.is_char_boundary(PREFIX.len().min(text.len())) {
            return Err(CodeError::NotNabo);
        }
        let (prefix, rest) = text.split_at(PREFIX.len().min(text.len()));
        if !prefix.eq_ignore_ascii_case(PREFIX) {
            return Err(CodeError::NotNabo);
        }
        let (tag, body) = rest.split_once(':').ok_or(CodeError::Damaged)?;
        let mut chars = tag.chars();
        let kind = chars.next().ok_or(CodeError::Damaged)?.to_ascii_lowercase();
        let version: u32 = chars.as_str().parse().map_err(|_| CodeError::Damaged)?;
        if ![CHECKIN_KIND, INVITE_KIND, PAIRING_KIND].contains(&kind) {
            return Err(CodeError::UnknownKind);
        }
        if version != VERSION {
            return Err(CodeError::UnsupportedVersion { version });
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CodeError::Damaged)?;
        match kind {
            CHECKIN_KIND => decode_exact(&bytes).map(Scanned::Checkin),
            INVITE_KIND => decode_exact(&bytes).map(Scanned::Invite),
            _ => {
                let pairing: PairingCode = decode_exact(&bytes)?;
                if pairing.addresses.is_empty()
                    || pairing.addresses.len() > PairingCode::MAX_ADDRESSES
                    || pairing.port == 0
                {
                    return Err(CodeError::Damaged);
                }
                Ok(Scanned::Pairing(pairing))
            }
        }
    }
}

fn encode<T: Serialize>(kind: char, value: &T) -> String {
    let bytes = postcard::to_allocvec(value).expect("codes always serialize");
    format!("{PREFIX}{kind}{VERSION}:{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Decodes a body and refuses trailing bytes, so one code has one text.
fn decode_exact<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, CodeError> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        _ => Err(CodeError::Damaged),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap()
    }

    fn code() -> CheckinCode {
        CheckinCode::issue(
            &key(),
            CommunityId::from_bytes([1; 16]),
            ActivityId::from_bytes([2; 16]),
            now(),
        )
    }

    #[test]
    fn short_codes_round_trip_and_refuse_junk() {
        let hub = MemberKey::of(&key()).key_id();
        let code = ShortCode {
            endpoint: "192.168.1.20:47800".parse().unwrap(),
            hub,
        };
        let text = code.to_string();
        assert_eq!(ShortCode::parse(&text), Some(code));
        assert_eq!(
            ShortCode::parse(&format!("  {}/{}  ", code.endpoint, hub)),
            Some(code)
        );
        assert_eq!(ShortCode::parse(&text.to_uppercase()), Some(code));
        let v6 = ShortCode::parse(&format!("[fe80::1]:4450 {hub}")).unwrap();
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
    fn a_checkin_code_round_trips_through_text() {
        let c = code();
        assert_eq!(Scanned::parse(&c.encode()), Ok(Scanned::Checkin(c)));
    }

    #[test]
    fn a_checkin_code_is_compact() {
        assert!(code().encode().len() < 180, "{}", code().encode().len());
    }

    #[test]
    fn an_invite_round_trips_and_verifies() {
        let i = InviteCode::issue(
            &key(),
            CommunityId::from_bytes([1; 16]),
            "Tingbjerg",
            MemberKey::of(&key()),
            Role::Resident,
            now(),
        );
        assert!(i.signature_ok());
        assert_eq!(Scanned::parse(&i.encode()), Ok(Scanned::Invite(i)));
    }

    #[test]
    fn a_renamed_invite_no_longer_verifies() {
        let mut i = InviteCode::issue(
            &key(),
            CommunityId::from_bytes([1; 16]),
            "Tingbjerg",
            MemberKey::of(&key()),
            Role::Resident,
            now(),
        );
        i.role = Role::Coordinator;
        assert!(!i.signature_ok());
    }

    #[test]
    fn a_pairing_code_round_trips_and_lists_its_endpoints() {
        let p = PairingCode {
            community: CommunityId::from_bytes([1; 16]),
            hub: MemberKey::of(&key()).key_id(),
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
            hub: MemberKey::of(&key()).key_id(),
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

    #[test]
    fn tolerates_whitespace_and_shouting_prefix() {
        let text = code().encode();
        let shouted = format!("  NABO:C1:{}\n", text.split_at(8).1);
        assert!(Scanned::parse(&shouted).is_ok());
    }

    #[test]
    fn foreign_texts_are_not_nabo() {
        assert_eq!(
            Scanned::parse("https://example.org"),
            Err(CodeError::NotNabo)
        );
        assert_eq!(Scanned::parse(""), Err(CodeError::NotNabo));
        assert_eq!(Scanned::parse("næbø:c1:xx"), Err(CodeError::NotNabo));
    }

    #[test]
    fn other_versions_and_kinds_are_named() {
        let body = code().encode().split_at(8).1.to_owned();
        assert_eq!(
            Scanned::parse(&format!("nabo:c2:{body}")),
            Err(CodeError::UnsupportedVersion { version: 2 })
        );
        assert_eq!(
            Scanned::parse(&format!("nabo:x1:{body}")),
            Err(CodeError::UnknownKind)
        );
    }

    #[test]
    fn truncated_and_padded_codes_are_damaged() {
        let text = code().encode();
        assert_eq!(
            Scanned::parse(&text[..text.len() - 4]),
            Err(CodeError::Damaged)
        );
        assert_eq!(
            Scanned::parse(&format!("{text}AAAA")),
            Err(CodeError::Damaged)
        );
    }

    #[test]
    fn a_code_is_valid_until_its_window_ends() {
        let c = code();
        assert_eq!(c.expires_at(), window_start(window_of(now()) + 1));
        assert!(c.expires_at() > now());
    }

    proptest! {
        #[test]
        fn any_text_parses_or_errs_without_panicking(s in ".{0,300}") {
            let _ = Scanned::parse(&s);
        }

        #[test]
        fn any_body_after_a_good_prefix_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Scanned::parse(&format!("nabo:c1:{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let _ = Scanned::parse(&format!("nabo:i1:{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let _ = Scanned::parse(&format!("nabo:p1:{}", URL_SAFE_NO_PAD.encode(&bytes)));
        }

        #[test]
        fn every_single_bit_flip_is_caught(bit in 0usize..(120 * 8)) {
            // Flip one bit of the signed body: it either fails to decode or no
            // longer verifies. It never passes as a valid code.
            let c = code();
            let mut bytes = postcard::to_allocvec(&c).unwrap();
            prop_assume!(bit / 8 < bytes.len());
            bytes[bit / 8] ^= 1 << (bit % 8);
            let text = format!("nabo:c1:{}", URL_SAFE_NO_PAD.encode(&bytes));
            if let Ok(Scanned::Checkin(tampered)) = Scanned::parse(&text) {
                prop_assert!(!tampered.signed_by(&MemberKey::of(&key())));
            }
        }
    }
}
