//! Scanned or pasted text: any QR code's text, Nabo's or not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::scan::Scanned;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Scanned::parse(text);
    }
});
