//! A file picked to import.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::exchange::SyncFile;

fuzz_target!(|data: &[u8]| {
    let _ = SyncFile::decode(data);
});
