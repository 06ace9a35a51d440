//! A saved document (sync files carry them) and an Automerge sync message
//! (live sync carries them): loaded inside the fence the engine puts around
//! Automerge (`nabo_shared::guard`: a panic there is caught and refused),
//! then every change decoded as the engine's history does, outside it; a
//! message is applied to a document as a live sync does. Only a panic
//! outside the fence, or running out of memory, is a finding.
#![no_main]

use automerge::AutoCommit;
use libfuzzer_sys::fuzz_target;
use nabo_shared::guard::{catching, inside, plain_chunks};

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
        // As the engine: only chunks Nabo writes reach Automerge.
        let loaded = if plain_chunks(data) {
            catching(|| AutoCommit::load(data))
        } else {
            None
        };
        if let Some(Ok(mut doc)) = loaded {
            // The engine's history walks changes that loaded without the
            // fence: a panic here is a finding.
            for change in doc.get_changes(&[]) {
                let _ = change.decode().operations.len();
            }
        }
        if let Some(Ok(message)) = catching(|| automerge::sync::Message::decode(data)) {
            if message.changes.iter().all(plain_chunks) {
                let mut doc = AutoCommit::new();
                let _ = catching(|| {
                    automerge::sync::SyncDoc::receive_sync_message(
                        &mut doc.sync(),
                        &mut automerge::sync::State::new(),
                        message,
                    )
                });
            }
        }
    }
);
