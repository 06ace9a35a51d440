//! A saved document (sync files carry them) and an Automerge sync message
//! (live sync carries them): loaded inside the fence the engine puts around
//! Automerge (`nabo_shared::guard`: a panic there is caught and refused),
//! then every change decoded as the engine's history does, outside it. Only
//! a panic outside the fence is a finding.
#![no_main]

use automerge::AutoCommit;
use libfuzzer_sys::fuzz_target;
use nabo_shared::guard::{catching, inside};

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic; let the caught ones pass.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !inside() {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
        if let Some(Ok(mut doc)) = catching(|| AutoCommit::load(data)) {
            // The engine's history walks changes that loaded without the
            // fence: a panic here is a finding.
            for change in doc.get_changes(&[]) {
                let _ = change.decode().operations.len();
            }
        }
        let _ = catching(|| automerge::sync::Message::decode(data));
    }
);
