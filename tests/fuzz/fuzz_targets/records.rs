//! A value found in a document: opened as every kind of signed record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::activities::{Activity, CheckIn};
use nabo_shared::community::{Genesis, JoinRequest};
use nabo_shared::members::{Membership, Reinstatement, Revocation};
use nabo_shared::rewards::LedgerEntry;
use nabo_shared::signed::{claimed_signer, Signed};

fuzz_target!(|data: &[u8]| {
    let _ = claimed_signer(data);
    let _ = Signed::<Genesis>::open_bytes(data);
    let _ = Signed::<JoinRequest>::open_bytes(data);
    let _ = Signed::<Membership>::open_bytes(data);
    let _ = Signed::<Revocation>::open_bytes(data);
    let _ = Signed::<Reinstatement>::open_bytes(data);
    let _ = Signed::<Activity>::open_bytes(data);
    let _ = Signed::<CheckIn>::open_bytes(data);
    let _ = Signed::<LedgerEntry>::open_bytes(data);
});
