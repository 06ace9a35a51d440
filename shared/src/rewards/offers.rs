//! What partners offer for points: a catalogue every member reads (a
//! coffee, a cinema ticket, a room booking, a discount), each offer signed
//! by its partner. A partner asks for an offer's price by making a payment
//! request for it (see [`payments`](super::payments)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::ids::{CommunityId, OfferId};
use crate::rewards::ledger::MAX_AMOUNT;
use crate::rewards::payments::MAX_WHAT;
use crate::signed::Record;

/// One version of a partner's offer. The newest version its partner signed
/// counts; a withdrawn one is no longer listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Stable across versions.
    pub id: OfferId,
    /// The community.
    pub community: CommunityId,
    /// The partner who offers it (and signs it).
    pub partner: MemberKey,
    /// What it is, e.g. "Kaffe".
    pub title: String,
    /// Its price in points.
    pub price: u64,
    /// No longer offered.
    pub withdrawn: bool,
    /// When this version was signed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Offer {
    const DOMAIN: &'static str = "nabo/offer/v1";
}

impl Offer {
    /// Whether the fields are in bounds.
    pub fn well_formed(&self) -> bool {
        (1..=MAX_AMOUNT).contains(&self.price)
            && !self.title.trim().is_empty()
            && self.title.chars().count() <= MAX_WHAT
    }
}

/// An offer as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    /// The offer.
    pub id: OfferId,
    /// The partner's name.
    pub partner: String,
    /// What it is.
    pub title: String,
    /// Its price in points.
    pub price: u64,
    /// This device's partner offers it.
    pub mine: bool,
}

/// → `Vec<`[`OfferView`]`>`: what partners offer now, by partner and title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListOffers;

/// → [`OfferView`]: a new offer of this device's partner, or a new version
/// of one (partners only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveOffer {
    /// The offer to change; `None` for a new one.
    pub id: Option<OfferId>,
    /// What it is.
    pub title: String,
    /// Its price in points.
    pub price: u64,
}

/// → `()`: withdraws one of this device's partner's offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawOffer {
    /// The offer.
    pub id: OfferId,
}

crate::commands! {
    ListOffers => "list_offers" -> Vec<OfferView>;
    SaveOffer => "save_offer" -> OfferView;
    WithdrawOffer => "withdraw_offer" -> ();
}
