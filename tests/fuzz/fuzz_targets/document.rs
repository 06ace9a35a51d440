//! A saved document (sync files carry them) and an Automerge sync message
//! (live sync carries them): loaded, and every change decoded as the
//! engine's history does.
#![no_main]

use automerge::AutoCommit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut doc) = AutoCommit::load(data) {
        for change in doc.get_changes(&[]) {
            let _ = change.decode().operations.len();
        }
    }
    let _ = automerge::sync::Message::decode(data);
});
