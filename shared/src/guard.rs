//! A fence around third-party decoders that can panic on hostile bytes
//! instead of returning an error.
//!
//! Fuzzing found one: Automerge 0.12 (through its column codec, hexane
//! 1.0.0-alpha.5) unwraps a failed number read while loading a saved
//! document with a damaged bundle chunk (the input is kept in
//! `tests/fuzz/crashers/document`). No fixed release exists, so every place
//! that hands outside bytes to Automerge does it inside [`catching`]: a
//! panic there becomes the same refusal as an error, and nothing stored
//! changes (the engine works on copies and commits only after success).
//!
//! ```
//! use nabo_shared::guard::catching;
//! assert_eq!(catching(|| 2 + 2), Some(4));
//! assert_eq!(catching(|| -> u8 { panic!("hostile bytes") }), None);
//! ```

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static INSIDE: Cell<u32> = const { Cell::new(0) };
}

/// Runs `decode`; `None` if it panicked. Only for pure decoding of outside
/// bytes into fresh values (or into a copy that is thrown away on `None`):
/// what a panic leaves half-built must not be used again.
pub fn catching<T>(decode: impl FnOnce() -> T) -> Option<T> {
    INSIDE.with(|n| n.set(n.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(decode)).ok();
    INSIDE.with(|n| n.set(n.get().saturating_sub(1)));
    result
}

/// Whether this thread is inside [`catching`], so a panic hook can tell an
/// expected, caught panic from a real one (the fuzz targets abort only on
/// the latter).
pub fn inside() -> bool {
    INSIDE.with(|n| n.get() > 0)
}
