//! A value found in a document: opened as every kind of signed record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::activities::{Activity, CheckIn};
use nabo_shared::budget::pool::{Application, PanelVote, Payout, Pool};
use nabo_shared::budget::round::{
    Ballot, CensusBallot, CensusCodes, PaperBallot, Proposal, ProposalPhoto, ProposalReview, Round,
    Tally,
};
use nabo_shared::budget::together::{ProposalEdit, ProposalHelpers, ReviewedText};
use nabo_shared::budget::TieBreak;
use nabo_shared::community::legacy::JoinRequestV1;
use nabo_shared::community::{Genesis, InviteWithdrawal, JoinRequest};
use nabo_shared::members::cards::Card;
use nabo_shared::members::devices::{DeviceLink, DeviceRetirement, Replacement};
use nabo_shared::members::{Membership, Reinstatement, Revocation};
use nabo_shared::rewards::hours::{HourClaim, HourDecision};
use nabo_shared::rewards::ledger::Movement;
use nabo_shared::rewards::offers::Offer;
use nabo_shared::rewards::payments::{
    BalanceStatement, OverspendAccepted, PaymentClosed, PaymentRefused,
};
use nabo_shared::rewards::rules::{Rules, RulesChange};
use nabo_shared::rewards::LedgerEntry;
use nabo_shared::signed::{claimed_signer, Signed};

fuzz_target!(|data: &[u8]| {
    let _ = claimed_signer(data);
    let _ = Signed::<Genesis>::open_bytes(data);
    if let Ok(join) = Signed::<JoinRequest>::open_bytes(data) {
        let _ = join.value.invite_holds();
    }
    if let Ok(join) = Signed::<JoinRequestV1>::open_bytes(data) {
        let _ = join.value.invite.signature_ok();
    }
    let _ = Signed::<InviteWithdrawal>::open_bytes(data);
    let _ = Signed::<Membership>::open_bytes(data);
    let _ = Signed::<Revocation>::open_bytes(data);
    let _ = Signed::<Reinstatement>::open_bytes(data);
    let _ = Signed::<DeviceLink>::open_bytes(data);
    let _ = Signed::<DeviceRetirement>::open_bytes(data);
    let _ = Signed::<Replacement>::open_bytes(data);
    let _ = Signed::<Card>::open_bytes(data);
    let _ = Signed::<PaymentRefused>::open_bytes(data);
    let _ = Signed::<PaymentClosed>::open_bytes(data);
    let _ = Signed::<Activity>::open_bytes(data);
    let _ = Signed::<CheckIn>::open_bytes(data);
    let _ = Signed::<LedgerEntry>::open_bytes(data);
    let _ = Signed::<Movement>::open_bytes(data);
    let _ = Signed::<OverspendAccepted>::open_bytes(data);
    let _ = Signed::<BalanceStatement>::open_bytes(data);
    if let Ok(offer) = Signed::<Offer>::open_bytes(data) {
        let _ = offer.value.well_formed();
    }
    if let Ok(claim) = Signed::<HourClaim>::open_bytes(data) {
        let _ = claim.value.check();
    }
    let _ = Signed::<HourDecision>::open_bytes(data);
    if let Ok(change) = Signed::<RulesChange>::open_bytes(data) {
        let _ = Rules::from_list(&change.value.rules);
    }
    if let Ok(round) = Signed::<Round>::open_bytes(data) {
        let _ = round.value.check();
    }
    if let Ok(proposal) = Signed::<Proposal>::open_bytes(data) {
        let _ = proposal.value.check();
    }
    if let Ok(review) = Signed::<ProposalReview>::open_bytes(data) {
        let _ = review.value.check();
    }
    if let Ok(ballot) = Signed::<Ballot>::open_bytes(data) {
        let _ = ballot.value.well_formed();
    }
    if let Ok(ballot) = Signed::<PaperBallot>::open_bytes(data) {
        let _ = ballot.value.well_formed();
    }
    if let Ok(photo) = Signed::<ProposalPhoto>::open_bytes(data) {
        let _ = photo.value.well_formed();
    }
    if let Ok(codes) = Signed::<CensusCodes>::open_bytes(data) {
        let _ = codes.value.well_formed();
    }
    if let Ok(ballot) = Signed::<CensusBallot>::open_bytes(data) {
        let _ = ballot.value.well_formed();
    }
    if let Ok(pool) = Signed::<Pool>::open_bytes(data) {
        let _ = pool.value.check();
    }
    if let Ok(application) = Signed::<Application>::open_bytes(data) {
        let _ = application.value.check();
    }
    if let Ok(vote) = Signed::<PanelVote>::open_bytes(data) {
        let _ = vote.value.check();
    }
    if let Ok(payout) = Signed::<Payout>::open_bytes(data) {
        let _ = payout.value.check();
    }
    if let Ok(helpers) = Signed::<ProposalHelpers>::open_bytes(data) {
        let _ = helpers.value.check();
    }
    if let Ok(edit) = Signed::<ProposalEdit>::open_bytes(data) {
        let _ = edit.value.well_formed();
    }
    if let Ok(text) = Signed::<ReviewedText>::open_bytes(data) {
        let _ = text.value.well_formed();
    }
    // A count every device computes its result from.
    if let Ok(tally) = Signed::<Tally>::open_bytes(data) {
        if tally.value.well_formed() {
            let instance = tally.value.instance("", "", |p| p.to_string());
            let _ = nabo_shared::budget::report::report(&instance, &TieBreak::default());
        }
    }
});
