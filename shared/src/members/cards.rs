//! Member cards, for residents without a smartphone.
//!
//! A card is a key of its own: a coordinator's device makes the key pair
//! when it prints the card, signs the card's membership (a new member) or a
//! [`DeviceLink`](super::devices::DeviceLink) (a new card for a member whose
//! card was lost), and a [`Card`] record that says the key is a printed
//! card. The card's secret key is printed on the card, sealed under the PIN
//! the holder chose (see [`CardLock`]), and kept nowhere else: not on the
//! coordinator's device, not in any record, sync file or export.
//!
//! Checking in needs no PIN: a coordinator's device that scans the card
//! signs the check-in itself (a coordinator saw the holder there). Spending
//! needs the PIN: the payee's device opens the lock with it and signs the
//! payment with the card's key, so a photocopy of the card alone spends
//! nothing, and a coordinator cannot spend for the holder either.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::activities::ScanOutcome;
use crate::codes::{encode, CARD_KIND, CARD_VERSION};
use crate::crypto::MemberKey;
use crate::ids::{ActivityId, CommunityId};
use crate::rewards::payments::PaymentReceipt;
use crate::signed::Record;

/// Shortest PIN a holder may choose (digits).
pub const MIN_PIN: usize = 6;
/// Longest PIN (digits).
pub const MAX_PIN: usize = 12;

/// A card's secret key, sealed under its holder's PIN: the PIN is
/// stretched with Argon2id (`salt`, memory-hard, about a second's work on a
/// phone) into a key that encrypts the secret with ChaCha20-Poly1305
/// (`nonce`); `sealed` is the ciphertext with its tag. A wrong PIN or a
/// changed byte fails the tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardLock {
    /// Argon2id salt.
    pub salt: [u8; 16],
    /// AEAD nonce.
    pub nonce: [u8; 12],
    /// The sealed 32-byte secret key and the 16-byte tag.
    pub sealed: Vec<u8>,
}

/// What a card's QR code holds (`nabo:m1:…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardCode {
    /// The neighbourhood.
    pub community: CommunityId,
    /// The card's public key.
    pub card: MemberKey,
    /// The card's secret key, sealed under the holder's PIN.
    pub lock: CardLock,
}

impl CardCode {
    /// The QR text.
    pub fn encode(&self) -> String {
        encode(CARD_KIND, CARD_VERSION, self)
    }

    /// Whether the decoded body is whole: a sealed key is 48 bytes.
    pub(crate) fn well_formed(&self) -> bool {
        self.lock.sealed.len() == 48
    }
}

/// A coordinator's word that `card` is a printed member card of `member`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// The neighbourhood.
    pub community: CommunityId,
    /// The holder: the key their membership names (the first card's own key
    /// for a holder who never had a phone).
    pub member: MemberKey,
    /// The card's key.
    pub card: MemberKey,
    /// When the coordinator signed it.
    pub issued_at: DateTime<Utc>,
}

impl Record for Card {
    const DOMAIN: &'static str = "nabo/card/v1";
}

/// The words a card prints, in the coordinator's language (the name and
/// the neighbourhood come from the records).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTexts {
    /// "Medlemskort".
    pub heading: String,
    /// The label before the short written code ("Kode").
    pub code: String,
    /// How the card is used, for the holder.
    pub how: String,
}

/// → [`PrintedCard`]: enrols a resident without a phone and prints their
/// card (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolCard {
    /// The holder's name.
    pub name: String,
    /// The PIN the holder chose, digits only.
    pub pin: String,
    /// The card's words.
    pub texts: CardTexts,
}

/// → [`PrintedCard`]: prints a new card for a member; their earlier cards
/// stop counting from now (lost or worn; coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCard {
    /// The member's fingerprint ([`MemberView::device`](super::MemberView)).
    pub member: String,
    /// The PIN the holder chose, digits only.
    pub pin: String,
    /// The card's words.
    pub texts: CardTexts,
}

/// A printed card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedCard {
    /// The PDF file, in the downloads folder.
    pub path: String,
    /// The holder's fingerprint ([`MemberView::device`](super::MemberView)).
    pub member: String,
    /// The short written code on the card.
    pub code: String,
}

/// → [`ScanOutcome`]: checks a card's holder in to an activity, on a
/// coordinator's device (the card's QR text or its short written code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInCard {
    /// The card's QR text or short code.
    pub card: String,
    /// The activity.
    pub activity: ActivityId,
}

/// → [`PaymentReceipt`]: a card's holder pays one of this device's open
/// payment requests, typing their PIN on it (partners; coordinators for
/// the community house).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayByCard {
    /// The payment request this device shows (its QR text).
    pub request: String,
    /// The card's QR text.
    pub card: String,
    /// The holder's PIN.
    pub pin: String,
}

/// Why a card cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardProblem {
    /// A card of another neighbourhood.
    #[error("a card of another neighbourhood")]
    OtherCommunity,
    /// No member this device knows holds it (sync first, or a forged card).
    #[error("no known member holds this card")]
    Unknown,
    /// A coordinator blocked the card (lost, replaced) or the holder's
    /// access was removed.
    #[error("the card is blocked")]
    Blocked,
    /// The PIN does not open the card.
    #[error("wrong PIN")]
    WrongPin {
        /// Tries left on this device today.
        left: u32,
    },
    /// Too many wrong PINs on this device today.
    #[error("too many wrong PINs")]
    TooManyTries,
}

/// A card scanned on a coordinator's or partner's device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardScanned {
    /// The holder's name.
    pub holder: String,
    /// The holder's fingerprint ([`MemberView::device`](super::MemberView)).
    pub member: String,
    /// The card's QR text, for what is done with it next.
    pub card: String,
}

/// The PIN as ASCII digits, if it is one a holder may choose: 6 to 12
/// digits, Arabic-Indic ones (from an Arabic keyboard) read as the same
/// digits.
pub fn pin_digits(pin: &str) -> Option<String> {
    let digits: Option<String> = pin
        .trim()
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            '\u{660}'..='\u{669}' => char::from_digit(c as u32 - 0x660, 10),
            '\u{6f0}'..='\u{6f9}' => char::from_digit(c as u32 - 0x6f0, 10),
            _ => None,
        })
        .collect();
    digits.filter(|d| (MIN_PIN..=MAX_PIN).contains(&d.len()))
}

crate::commands! {
    EnrolCard => "enrol_card" -> PrintedCard;
    NewCard => "new_card" -> PrintedCard;
    CheckInCard => "check_in_card" -> ScanOutcome;
    PayByCard => "pay_by_card" -> PaymentReceipt;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_to_twelve_digits() {
        assert_eq!(pin_digits(" 123456 ").as_deref(), Some("123456"));
        assert!(pin_digits("123456789012").is_some());
        assert_eq!(pin_digits("12345"), None);
        assert_eq!(pin_digits("1234567890123"), None);
        assert_eq!(pin_digits("12345a"), None);
        assert_eq!(pin_digits("12 3456"), None);
        assert_eq!(pin_digits("١٢٣٤٥٦").as_deref(), Some("123456"));
        assert_eq!(pin_digits("۱۲۳۴۵۶").as_deref(), Some("123456"));
    }
}
