//! The text inside Nabo's QR codes, and the scanner that tells them apart.
//!
//! Text form: `nabo:<kind><version>:<base64url of the postcard body>`, e.g.
//! `nabo:c1:AQID...`. The kind letter lets a scanner tell an invite from a
//! check-in code and say something useful when the wrong one is scanned; the
//! version lets a newer app refuse an older or newer format cleanly. The body
//! is postcard (varint, no field names) so a check-in code stays around 150
//! characters, which keeps the QR code coarse enough for cheap cameras.
//!
//! Each code lives with its capability: the check-in code with
//! [`activities`](crate::activities), the invite with
//! [`community`](crate::community), the hub's pairing code with
//! [`sync`](crate::sync); [`scan`](crate::scan) tells them apart.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

pub(crate) const PREFIX: &str = "nabo:";
/// The kind letter of a check-in code.
pub(crate) const CHECKIN_KIND: char = 'c';
/// The kind letter of an invite.
pub(crate) const INVITE_KIND: char = 'i';
/// The kind letter of a hub's pairing code.
pub(crate) const PAIRING_KIND: char = 'p';
/// The kind letter of a payment request.
pub(crate) const REQUEST_KIND: char = 'q';
/// The kind letter of a payment.
pub(crate) const PAYMENT_KIND: char = 'y';
/// The kind letter of a member card.
pub(crate) const CARD_KIND: char = 'm';
/// The format version of member cards.
pub(crate) const CARD_VERSION: u32 = 1;
/// The format version of payment requests (2: with the partner's
/// membership).
pub(crate) const REQUEST_VERSION: u32 = 2;
/// The first format of payment requests, the signed request alone, still
/// read.
pub(crate) const REQUEST_ALONE: u32 = 1;
/// The format version of payments (2: with the payer's balance statement;
/// 3: and their membership).
pub(crate) const PAYMENT_VERSION: u32 = 3;
/// The format of payments without the payer's membership, still read.
pub(crate) const PAYMENT_WITHOUT_MEMBERSHIP: u32 = 2;
/// The format version of check-in QRs (2: the code and its activity's
/// label).
pub(crate) const CHECKIN_VERSION: u32 = 2;
/// The first format of check-in QRs, the code alone, still read.
pub(crate) const CHECKIN_CODE_ONLY: u32 = 1;
/// The format version of invites (2: with an id, a use limit and a pass).
pub(crate) const INVITE_VERSION: u32 = 2;
/// The format version of pairing codes.
pub(crate) const PAIRING_VERSION: u32 = 1;
/// Longest text the decoder looks at: anything longer is not ours.
pub(crate) const MAX_TEXT: usize = 2048;

/// The kinds of Nabo code, so a code scanned in the wrong place can say
/// where it belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// An activity's check-in code.
    Checkin,
    /// An invitation to join.
    Invite,
    /// The community house computer's pairing code.
    Pairing,
    /// A payee's request to be paid.
    PaymentRequest,
    /// A payer's signed payment.
    Payment,
    /// A member card.
    Card,
}

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
    /// A Nabo code of a format version newer than this app reads.
    #[error("format version {version} is not supported")]
    UnsupportedVersion {
        /// The version found.
        version: u32,
    },
    /// A Nabo code of an earlier format that is no longer accepted (an
    /// invite without a use limit): a new code is needed.
    #[error("format version {version} is no longer accepted")]
    Outdated {
        /// The version found.
        version: u32,
    },
    /// The right prefix, but the body is damaged or cut short.
    #[error("the code is damaged")]
    Damaged,
}

/// The text of a code of `kind` in format `version`.
pub(crate) fn encode<T: Serialize>(kind: char, version: u32, value: &T) -> String {
    let bytes = postcard::to_allocvec(value).expect("codes always serialize");
    format!("{PREFIX}{kind}{version}:{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Decodes a body and refuses trailing bytes, so one code has one text.
pub(crate) fn decode_exact<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, CodeError> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        _ => Err(CodeError::Damaged),
    }
}

/// A QR code to show: the SVG and the text inside it (shown too, for typing
/// in when a camera fails).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrView {
    /// SVG markup.
    pub svg: String,
    /// The encoded text.
    pub text: String,
    /// When the code stops being valid; `None` for a code that does not
    /// expire (a hub's pairing code names the hub for as long as it stays
    /// where it is).
    pub expires_at: Option<DateTime<Utc>>,
    /// What it is for (activity title or community name).
    pub title: String,
}
