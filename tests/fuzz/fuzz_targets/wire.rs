//! What another device sends on the channel: its hello, and sync messages.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::sync::wire::{Hello, Wire};

fuzz_target!(|data: &[u8]| {
    if let Some(hello) = Hello::decode(data) {
        let _ = hello.binds(&[0; 32]);
    }
    let _ = Wire::decode(data);
});
