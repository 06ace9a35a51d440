//! Paying with points, device to device, offline, by QR.
//!
//! The payee (a partner, or the community house through a coordinator's
//! device) shows a [`PaymentRequest`] it signed (`nabo:q2:…`): who is paid,
//! how much, for what, and a one-time reference, with the partner's
//! membership. The payer's phone checks it, says what is asked and what the
//! balance will be, and on the payer's yes signs a payment: a [`Movement`]
//! of the double-entry ledger from the payer's account to the payee's, with
//! the request's reference (`nabo:y3:…`: the signed movement, the payer's
//! balance statement and membership, with the link of a replacement
//! phone). The payee's device scans that, checks the signatures, that the
//! payer is a member (one it knows, or one whose membership, and link, a
//! coordinator it knows signed) and that the reference is one
//! of its own open requests for that amount, and keeps the same signed
//! bytes. Neither device needs a network, nor to have synced since the
//! other joined; every other device learns of the payment when either
//! syncs.
//!
//! The community house is paid into the community's own account: the points
//! leave circulation, as a partner's return does.

use serde::{Deserialize, Serialize};

use crate::codes::{encode, PAYMENT_KIND, PAYMENT_VERSION, REQUEST_KIND, REQUEST_VERSION};
use crate::ids::CommunityId;
use crate::members::devices::DeviceLink;
use crate::members::Membership;
use crate::rewards::ledger::{Account, Movement, Reason, MAX_AMOUNT};
use crate::signed::{Record, Signed};

/// The longest "what for" a request may carry.
pub const MAX_WHAT: usize = 80;

/// How long a payment request can be paid, in seconds.
pub const REQUEST_SECONDS: i64 = 15 * 60;

/// A payee's signed request to be paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRequest {
    /// The community.
    pub community: CommunityId,
    /// Who is paid: a partner's account, or the community's (the community
    /// house, signed by a coordinator).
    pub payee: Account,
    /// The one-time reference the payment must carry.
    pub reference: [u8; 16],
    /// How many points.
    pub amount: u64,
    /// What for, in the payee's words.
    pub what: String,
    /// Unix seconds after which it cannot be paid (the payer's clock).
    pub expires_at: i64,
}

impl Record for PaymentRequest {
    const DOMAIN: &'static str = "nabo/payment-request/v1";
}

impl PaymentRequest {
    /// Whether the fields are in bounds.
    pub fn well_formed(&self) -> bool {
        (1..=MAX_AMOUNT).contains(&self.amount)
            && !self.what.trim().is_empty()
            && self.what.chars().count() <= MAX_WHAT
    }
}

/// Who signed a code, for a device that has not synced since they
/// joined: the membership a coordinator signed for the member, and, when
/// the code's signer is a device acting for them through a link (a
/// replacement phone), the coordinator's link of that device. Each as
/// kept (signed bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voucher {
    /// The signed membership.
    pub membership: Vec<u8>,
    /// The signed device link, if the signer is not the key the membership
    /// names.
    pub link: Option<Vec<u8>>,
}

impl Voucher {
    /// A voucher of these signed records.
    pub fn of(membership: &Signed<Membership>, link: Option<&Signed<DeviceLink>>) -> Self {
        Self {
            membership: membership.to_bytes(),
            link: link.map(Signed::to_bytes),
        }
    }
}

/// What the request QR holds (format 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCode {
    /// The signed request, as kept.
    pub request: Vec<u8>,
    /// The partner's voucher, when the partner's device has it, so a phone
    /// that has not synced since the partner joined can still pay.
    pub voucher: Option<Voucher>,
    /// The newest signing time (Unix seconds) of the memberships and links
    /// the payee's device knows: a payer whose own are much older leaves
    /// its voucher out, so the payment code stays small. Only a hint: a
    /// payer that leaves it out wrongly is asked to sync, as before
    /// vouchers.
    pub payee_knows: Option<i64>,
}

/// The request's QR text.
pub fn request_text(
    request: &Signed<PaymentRequest>,
    voucher: Option<&Voucher>,
    payee_knows: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let code = RequestCode {
        request: request.to_bytes(),
        voucher: voucher.cloned(),
        payee_knows: payee_knows.map(|t| t.timestamp()),
    };
    encode(REQUEST_KIND, REQUEST_VERSION, &code)
}

/// A coordinator's device's signed word on a member's balance at a moment
/// (the hub signs one for each member it syncs with). A payment carries
/// the payer's newest, so a partner's device can check the payer offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceStatement {
    /// The community.
    pub community: CommunityId,
    /// The member (the key their membership names).
    pub member: crate::crypto::MemberKey,
    /// Their balance then.
    pub balance: i64,
    /// When the coordinator's device signed it.
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

impl Record for BalanceStatement {
    const DOMAIN: &'static str = "nabo/balance-statement/v1";
}

/// A payee's signed word that it did not take a payment it was shown (the
/// statement did not cover it, the request had expired or was paid
/// already): the payment counts for nothing, though its payer signed it.
/// Signed by a device of the partner paid, or by a coordinator's device
/// for the community house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRefused {
    /// The community.
    pub community: CommunityId,
    /// The payment.
    pub payment: crate::ids::EntryId,
    /// The key that signed the payment.
    pub payer: crate::crypto::MemberKey,
    /// Whom it was for.
    pub payee: Account,
    /// Why it was not taken.
    pub problem: PaymentProblem,
    /// When the payee's device refused it.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Record for PaymentRefused {
    const DOMAIN: &'static str = "nabo/payment-refused/v1";
}

/// A payee's signed word on how one of its requests ended: paid by this
/// payment (it took it: goods or service given), or closed unpaid once it
/// expired by the payee's clock. A payment counts only when its payee's
/// closure names it; until the payer's device hears of one, the payment
/// waits there, and what it would spend cannot be spent again. Signed by a
/// device of the partner that made the request, or by a coordinator's
/// device for the community house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentClosed {
    /// The community.
    pub community: CommunityId,
    /// Whose request it was.
    pub payee: Account,
    /// The request's one-time reference.
    pub reference: [u8; 16],
    /// The payment taken for it, or `None` when it expired unpaid.
    pub paid: Option<crate::ids::EntryId>,
    /// When the payee's device closed it.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Record for PaymentClosed {
    const DOMAIN: &'static str = "nabo/payment-closed/v1";
}

/// A statement older than this many days is shown with a warning.
pub const STATEMENT_DAYS: i64 = 7;

/// What the payment QR holds: the signed movement, the payer's newest
/// balance statement when the phone has one, and the payer's voucher (so
/// a partner's device that has not synced since the payer joined, or got
/// a new phone, can still take the payment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentCode {
    /// The signed movement, as kept.
    pub payment: Vec<u8>,
    /// The signed statement, as kept.
    pub statement: Option<Vec<u8>>,
    /// The payer's voucher (absent in the format before it).
    pub voucher: Option<Voucher>,
}

/// The payment's QR text: the signed movement, the statement and the
/// payer's voucher.
pub fn payment_text(
    payment: &Signed<Movement>,
    statement: Option<&Signed<BalanceStatement>>,
    voucher: Option<&Voucher>,
) -> String {
    let code = PaymentCode {
        payment: payment.to_bytes(),
        statement: statement.map(Signed::to_bytes),
        voucher: voucher.cloned(),
    };
    encode(PAYMENT_KIND, PAYMENT_VERSION, &code)
}

/// The payment a request asks for, as the payer signs it.
pub fn payment_for(
    request: &PaymentRequest,
    id: crate::ids::EntryId,
    payer: Account,
    at: chrono::DateTime<chrono::Utc>,
) -> Movement {
    Movement {
        id,
        community: request.community,
        from: payer,
        to: request.payee,
        amount: request.amount,
        reason: Reason::Payment {
            reference: request.reference,
            what: request.what.clone(),
        },
        at,
    }
}

/// Why a payment request cannot be paid, or a payment cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentProblem {
    /// The request is of another neighbourhood.
    #[error("of another neighbourhood")]
    OtherCommunity,
    /// The request's signer may not be paid: not a partner (nor, for the
    /// community house, a coordinator).
    #[error("the payee is not a partner")]
    NotAPartner,
    /// The request has expired (by the payer's clock).
    #[error("the request has expired")]
    Expired,
    /// The payer would pay themselves.
    #[error("a payment to oneself")]
    OwnRequest,
    /// The payment is not for this device's account.
    #[error("the payment is for someone else")]
    NotForYou,
    /// No open request of this device has the payment's reference (or
    /// amount).
    #[error("no open request matches the payment")]
    UnknownRequest,
    /// The request was already paid with another payment.
    #[error("the request was already paid")]
    AlreadyPaid,
    /// The payer is not a member this device knows (sync first).
    #[error("the payer is not a known member")]
    UnknownPayer,
    /// The payer's balance statement, less what this payee took from them
    /// since, does not cover the amount.
    #[error("the payer's stated balance does not cover it")]
    NotCovered {
        /// What the statement leaves, credit included.
        left: i64,
    },
    /// The payment code carries no balance statement, and the credit the
    /// rules allow does not cover the amount.
    #[error("the payer's code carries no balance statement")]
    NoStatement,
    /// The code's statement is not a coordinator's word on this payer's
    /// balance in this neighbourhood (another member's, or signed by
    /// someone not in office).
    #[error("the payer's balance statement is not a coordinator's")]
    ForeignStatement,
}

/// Why a payment was taken with a word of caution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentWarning {
    /// The payer's phone had no balance statement (never synced since it
    /// joined): the balance could not be checked.
    NoStatement,
    /// The statement is this many days old.
    OldStatement {
        /// Its age.
        days: i64,
    },
}

/// What a scanned request asks, as the payer's phone shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentAsk {
    /// Who is paid, by name (a partner's, or the community's).
    pub payee: String,
    /// How many points.
    pub amount: u64,
    /// What for.
    pub what: String,
    /// The payer's balance now.
    pub balance: i64,
    /// How far below zero the community lets a balance go.
    #[serde(default)]
    pub credit_limit: u64,
    /// The request's text, to pay it with [`Pay`].
    pub request: String,
}

/// A payment received, as the payee's device shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentReceipt {
    /// Who paid, by name.
    pub payer: String,
    /// How many points.
    pub amount: u64,
    /// What for.
    pub what: String,
    /// The same code was shown before: nothing new was recorded.
    pub again: bool,
    /// A word of caution about the payer's balance.
    #[serde(default)]
    pub warning: Option<PaymentWarning>,
}

/// → [`QrView`](crate::codes::QrView): a payment request for the points
/// asked, to show the payer (partners, and coordinators for the community
/// house).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestPayment {
    /// How many points.
    pub amount: u64,
    /// What for.
    pub what: String,
}

/// → [`QrView`](crate::codes::QrView): pays a scanned request; the code to
/// show the payee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pay {
    /// The request's text ([`PaymentAsk::request`]).
    pub request: String,
}

/// The longest note a partner's return may carry.
pub const MAX_NOTE: usize = 300;

/// → `()`: a partner hands points back to the community's account, with a
/// note (for what the housing association pays partners for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnPoints {
    /// How many points.
    pub amount: u64,
    /// Why, in the partner's words.
    pub note: String,
}

/// A coordinator's word on a flagged spending (see the review queue's
/// overspend): accepted as a debt the member works off with later
/// earnings. It leaves the queue; the balance stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverspendAccepted {
    /// The community.
    pub community: CommunityId,
    /// The payment or return flagged.
    pub entry: crate::ids::EntryId,
    /// When the coordinator signed it.
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

impl Record for OverspendAccepted {
    const DOMAIN: &'static str = "nabo/overspend-accepted/v1";
}

/// → `()`: accepts a flagged spending as a debt the member works off
/// (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptOverspend {
    /// The payment or return flagged.
    pub entry: crate::ids::EntryId,
}

/// → `()`: reverses a flagged spending with a correction: the points go
/// back from whoever was paid (a partner, or the community's account) to
/// the payer, with `note` in both histories (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReverseOverspend {
    /// The payment or return flagged.
    pub entry: crate::ids::EntryId,
    /// Why, in words both sides read.
    pub note: String,
}

crate::commands! {
    AcceptOverspend => "accept_overspend" -> ();
    ReverseOverspend => "reverse_overspend" -> ();
    RequestPayment => "request_payment" -> crate::codes::QrView;
    Pay => "pay" -> crate::codes::QrView;
    ReturnPoints => "return_points" -> ();
}
