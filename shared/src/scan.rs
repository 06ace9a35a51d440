//! The scanner: recognises any Nabo code from its text, whatever its
//! capability.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::activities::code::{CheckinQrCode, Label};
use crate::activities::CheckinCode;
use crate::codes::{
    decode_exact, CodeError, CARD_KIND, CARD_VERSION, CHECKIN_CODE_ONLY, CHECKIN_KIND,
    CHECKIN_VERSION, INVITE_KIND, INVITE_VERSION, MAX_TEXT, PAIRING_KIND, PAIRING_VERSION,
    PAYMENT_KIND, PAYMENT_VERSION, PREFIX, REQUEST_KIND, REQUEST_VERSION,
};
use crate::community::InviteCode;
use crate::members::cards::CardCode;
use crate::rewards::ledger::Movement;
use crate::rewards::payments::{BalanceStatement, PaymentCode, PaymentRequest};
use crate::signed::{Signed, Verified};
use crate::sync::PairingCode;

/// Whatever a scanner read, once recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A check-in code, with its activity's label when the QR has one.
    Checkin(CheckinQrCode),
    /// An invite.
    Invite(InviteCode),
    /// A hub's pairing code.
    Pairing(PairingCode),
    /// A payee's request to be paid, its signature checked.
    PaymentRequest(Verified<PaymentRequest>),
    /// A payer's payment (the signed movement as it is kept), its signature
    /// checked, with the payer's balance statement if the code carries one
    /// (its signature checked too).
    Payment(Box<ScannedPayment>),
    /// A member card (its lock not opened).
    Card(CardCode),
}

/// A scanned payment: as kept, as verified, and the payer's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPayment {
    /// The signed movement, as the payee keeps it.
    pub signed: Signed<Movement>,
    /// The movement, its signature checked.
    pub payment: Verified<Movement>,
    /// The payer's balance statement, its signature checked.
    pub statement: Option<Verified<BalanceStatement>>,
}

impl Scanned {
    /// What kind of code it is.
    pub fn kind(&self) -> crate::codes::CodeKind {
        use crate::codes::CodeKind;
        match self {
            Scanned::Checkin(_) => CodeKind::Checkin,
            Scanned::Invite(_) => CodeKind::Invite,
            Scanned::Pairing(_) => CodeKind::Pairing,
            Scanned::PaymentRequest(_) => CodeKind::PaymentRequest,
            Scanned::Payment(..) => CodeKind::Payment,
            Scanned::Card(_) => CodeKind::Card,
        }
    }

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
        let current = match kind {
            CHECKIN_KIND => CHECKIN_VERSION,
            INVITE_KIND => INVITE_VERSION,
            PAIRING_KIND => PAIRING_VERSION,
            REQUEST_KIND => REQUEST_VERSION,
            PAYMENT_KIND => PAYMENT_VERSION,
            CARD_KIND => CARD_VERSION,
            _ => return Err(CodeError::UnknownKind),
        };
        // A check-in code alone is the first format, still read.
        let still_read = kind == CHECKIN_KIND && version == CHECKIN_CODE_ONLY;
        if version < current && !still_read {
            return Err(CodeError::Outdated { version });
        }
        if version > current {
            return Err(CodeError::UnsupportedVersion { version });
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CodeError::Damaged)?;
        match kind {
            CHECKIN_KIND if version == CHECKIN_CODE_ONLY => decode_exact::<CheckinCode>(&bytes)
                .map(|code| Scanned::Checkin(CheckinQrCode { code, label: None })),
            CHECKIN_KIND => decode_exact::<(CheckinCode, Label)>(&bytes).map(|(code, label)| {
                Scanned::Checkin(CheckinQrCode {
                    code,
                    label: Some(label),
                })
            }),
            INVITE_KIND => decode_exact::<InviteCode>(&bytes)
                .and_then(|code| {
                    if code.is_whole() {
                        Ok(code)
                    } else {
                        Err(CodeError::Damaged)
                    }
                })
                .map(Scanned::Invite),
            REQUEST_KIND => {
                let signed =
                    Signed::<PaymentRequest>::from_bytes(&decode_exact::<Vec<u8>>(&bytes)?)
                        .map_err(|_| CodeError::Damaged)?;
                let request = signed.open().map_err(|_| CodeError::Damaged)?;
                if !request.value.well_formed() {
                    return Err(CodeError::Damaged);
                }
                Ok(Scanned::PaymentRequest(request))
            }
            PAYMENT_KIND => {
                let code = decode_exact::<PaymentCode>(&bytes)?;
                let signed = Signed::<Movement>::from_bytes(&code.payment)
                    .map_err(|_| CodeError::Damaged)?;
                let payment = signed.open().map_err(|_| CodeError::Damaged)?;
                let statement = code
                    .statement
                    .map(|s| Signed::<BalanceStatement>::open_bytes(&s))
                    .transpose()
                    .map_err(|_| CodeError::Damaged)?;
                Ok(Scanned::Payment(Box::new(ScannedPayment {
                    signed,
                    payment,
                    statement,
                })))
            }
            CARD_KIND => decode_exact::<CardCode>(&bytes)
                .and_then(|code| {
                    if code.well_formed() {
                        Ok(code)
                    } else {
                        Err(CodeError::Damaged)
                    }
                })
                .map(Scanned::Card),
            _ => PairingCode::checked(decode_exact(&bytes)?).map(Scanned::Pairing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SigningKey;
    use crate::ids::{ActivityId, CommunityId};
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn code() -> CheckinCode {
        CheckinCode::issue(
            &SigningKey::from_bytes(&[7; 32]),
            CommunityId::from_bytes([1; 16]),
            ActivityId::from_bytes([2; 16]),
            Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap(),
        )
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
            Scanned::parse(&format!("nabo:c3:{body}")),
            Err(CodeError::UnsupportedVersion { version: 3 })
        );
        assert_eq!(
            Scanned::parse(&format!("nabo:i1:{body}")),
            Err(CodeError::Outdated { version: 1 })
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

    proptest! {
        #[test]
        fn any_text_parses_or_errs_without_panicking(s in ".{0,300}") {
            let _ = Scanned::parse(&s);
        }

        #[test]
        fn any_body_after_a_good_prefix_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Scanned::parse(&format!("nabo:c1:{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let _ = Scanned::parse(&format!("nabo:i2:{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let _ = Scanned::parse(&format!("nabo:p1:{}", URL_SAFE_NO_PAD.encode(&bytes)));
        }
    }
}
