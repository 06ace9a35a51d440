//! The scanner: recognises any Nabo code from its text, whatever its
//! capability.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::activities::code::{CheckinQrCode, Label};
use crate::activities::CheckinCode;
use crate::codes::{
    decode_exact, CodeError, CARD_KIND, CARD_VERSION, CHECKIN_CODE_ONLY, CHECKIN_KIND,
    CHECKIN_VERSION, INVITE_KIND, INVITE_VERSION, MAX_TEXT, PAIRING_KIND, PAIRING_VERSION,
    PAYMENT_KIND, PAYMENT_VERSION, PAYMENT_WITHOUT_MEMBERSHIP, PREFIX, REQUEST_ALONE, REQUEST_KIND,
    REQUEST_VERSION,
};
use crate::community::InviteCode;
use crate::members::cards::CardCode;
use crate::members::devices::DeviceLink;
use crate::members::Membership;
use crate::rewards::ledger::Movement;
use crate::rewards::payments::{
    BalanceStatement, PaymentCode, PaymentRequest, RequestCode, Voucher,
};
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
    /// A payee's request to be paid, its signature checked, with the
    /// partner's voucher if the code carries one (its signatures checked
    /// too).
    PaymentRequest(Box<ScannedRequest>),
    /// A payer's payment (the signed movement as it is kept), its signature
    /// checked, with the payer's balance statement if the code carries one
    /// (its signature checked too).
    Payment(Box<ScannedPayment>),
    /// A member card (its lock not opened).
    Card(CardCode),
}

/// A scanned payment request and the partner's voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedRequest {
    /// The request, its signature checked.
    pub request: Verified<PaymentRequest>,
    /// Who the partner is, for a device that has not synced since.
    pub voucher: Option<Vouched>,
    /// The newest signing time of the memberships and links the payee's
    /// device knows (a hint, see [`RequestCode`]).
    pub payee_knows: Option<chrono::DateTime<chrono::Utc>>,
}

/// A voucher a code carries ([`Voucher`]), as kept and opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vouched {
    /// The membership a coordinator signed: as kept, and opened.
    pub membership: (Signed<Membership>, Verified<Membership>),
    /// The link of the code's signer to that member, if it is another key.
    pub link: Option<(Signed<DeviceLink>, Verified<DeviceLink>)>,
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
    /// Who the payer is, for a device that has not synced since.
    pub voucher: Option<Vouched>,
}

/// Opens a signed record a code carries (damaged if its signature fails).
fn opened<T: crate::signed::Record>(bytes: &[u8]) -> Result<(Signed<T>, Verified<T>), CodeError> {
    let signed = Signed::<T>::from_bytes(bytes).map_err(|_| CodeError::Damaged)?;
    let opened = signed.open().map_err(|_| CodeError::Damaged)?;
    Ok((signed, opened))
}

/// Opens the voucher a code carries.
fn vouched(voucher: Option<Voucher>) -> Result<Option<Vouched>, CodeError> {
    voucher
        .map(|v| {
            Ok(Vouched {
                membership: opened(&v.membership)?,
                link: v.link.as_deref().map(opened).transpose()?,
            })
        })
        .transpose()
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
        // The formats before the newest that are still read: a check-in
        // code alone, a request or payment without a membership.
        let still_read = (kind == CHECKIN_KIND && version == CHECKIN_CODE_ONLY)
            || (kind == REQUEST_KIND && version == REQUEST_ALONE)
            || (kind == PAYMENT_KIND && version == PAYMENT_WITHOUT_MEMBERSHIP);
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
                let RequestCode {
                    request,
                    voucher,
                    payee_knows,
                } = if version == REQUEST_ALONE {
                    RequestCode {
                        request: decode_exact::<Vec<u8>>(&bytes)?,
                        voucher: None,
                        payee_knows: None,
                    }
                } else {
                    decode_exact::<RequestCode>(&bytes)?
                };
                let signed = Signed::<PaymentRequest>::from_bytes(&request)
                    .map_err(|_| CodeError::Damaged)?;
                let request = signed.open().map_err(|_| CodeError::Damaged)?;
                if !request.value.well_formed() {
                    return Err(CodeError::Damaged);
                }
                Ok(Scanned::PaymentRequest(Box::new(ScannedRequest {
                    request,
                    voucher: vouched(voucher)?,
                    payee_knows: payee_knows
                        .map(|t| chrono::DateTime::from_timestamp(t, 0).ok_or(CodeError::Damaged))
                        .transpose()?,
                })))
            }
            PAYMENT_KIND => {
                let code = if version == PAYMENT_WITHOUT_MEMBERSHIP {
                    let (payment, statement) = decode_exact::<(Vec<u8>, Option<Vec<u8>>)>(&bytes)?;
                    PaymentCode {
                        payment,
                        statement,
                        voucher: None,
                    }
                } else {
                    decode_exact::<PaymentCode>(&bytes)?
                };
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
                    voucher: vouched(code.voucher)?,
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
    fn payment_codes_carry_a_membership_and_the_formats_before_it_still_read() {
        use crate::members::Role;
        use crate::rewards::ledger::Account;
        use crate::rewards::payments::{payment_for, payment_text, request_text};

        let coordinator = SigningKey::from_bytes(&[7; 32]);
        let partner = SigningKey::from_bytes(&[8; 32]);
        let community = CommunityId::from_bytes([1; 16]);
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap();
        let membership = Signed::seal(
            &coordinator,
            &Membership {
                community,
                member: crate::crypto::MemberKey::of(&partner),
                name: "Bageriet".into(),
                role: Role::Partner,
                issued_at: at,
            },
        );
        let request = Signed::seal(
            &partner,
            &PaymentRequest {
                community,
                payee: Account::Member(crate::crypto::MemberKey::of(&partner)),
                reference: [3; 16],
                amount: 4,
                what: "Kaffe".into(),
                expires_at: at.timestamp() + 600,
            },
        );
        let Ok(Scanned::PaymentRequest(read)) = Scanned::parse(&request_text(
            &request,
            Some(&Voucher::of(&membership, None)),
            Some(at),
        )) else {
            panic!("not a request");
        };
        assert_eq!(
            (read.voucher.map(|v| v.membership.0), read.payee_knows),
            (Some(membership.clone()), Some(at))
        );
        // A request as the first format wrote it: the signed request alone.
        let alone = format!(
            "nabo:q1:{}",
            URL_SAFE_NO_PAD.encode(postcard::to_allocvec(&request.to_bytes()).unwrap())
        );
        let Ok(Scanned::PaymentRequest(read)) = Scanned::parse(&alone) else {
            panic!("the first format is not read");
        };
        assert_eq!((read.request.value.amount, read.voucher), (4, None));
        // A payment with the payer's membership, and one without (format 2).
        let payment = Signed::seal(
            &coordinator,
            &payment_for(
                &request.open().unwrap().value,
                crate::ids::EntryId::from_bytes([4; 16]),
                Account::Member(crate::crypto::MemberKey::of(&coordinator)),
                at,
            ),
        );
        let Ok(Scanned::Payment(read)) = Scanned::parse(&payment_text(
            &payment,
            None,
            Some(&Voucher::of(&membership, None)),
        )) else {
            panic!("not a payment");
        };
        assert!(read.voucher.is_some());
        let before = format!(
            "nabo:y2:{}",
            URL_SAFE_NO_PAD
                .encode(postcard::to_allocvec(&(payment.to_bytes(), None::<Vec<u8>>)).unwrap())
        );
        let Ok(Scanned::Payment(read)) = Scanned::parse(&before) else {
            panic!("format 2 is not read");
        };
        assert_eq!((read.signed, read.voucher), (payment, None));
        // A membership whose signature fails makes the code damaged.
        let mut broken = membership.to_bytes();
        let last = broken.len() - 1;
        broken[last] ^= 1;
        let text = encode_with_membership(&request, broken);
        assert_eq!(Scanned::parse(&text), Err(CodeError::Damaged));
    }

    fn encode_with_membership(request: &Signed<PaymentRequest>, membership: Vec<u8>) -> String {
        let code = RequestCode {
            request: request.to_bytes(),
            voucher: Some(Voucher {
                membership,
                link: None,
            }),
            payee_knows: None,
        };
        format!(
            "nabo:q2:{}",
            URL_SAFE_NO_PAD.encode(postcard::to_allocvec(&code).unwrap())
        )
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
            let _ = Scanned::parse(&format!("nabo:q2:{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let _ = Scanned::parse(&format!("nabo:y3:{}", URL_SAFE_NO_PAD.encode(&bytes)));
        }
    }
}
