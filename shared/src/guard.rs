//! A fence around third-party decoders that can panic, or exhaust memory,
//! on hostile bytes instead of returning an error.
//!
//! Fuzzing found one: Automerge 0.12 (through its column codec, hexane
//! 1.0.0-alpha.5) unwraps a failed number read while loading a saved
//! document with a damaged bundle chunk (the input is kept in
//! `tests/fuzz/crashers/document`). No fixed release exists, so every place
//! that hands outside bytes to Automerge does it inside [`catching`]: a
//! panic there becomes the same refusal as an error, and nothing stored
//! changes (the engine works on copies and commits only after success).
//!
//!
//! Fuzzing then found that the same chunk kind, Automerge's experimental
//! *bundle*, makes it reserve memory as a length in the bytes says (92 bytes
//! asked for over 2 GiB; kept as `tests/fuzz/crashers/document/oom-…`). A
//! panic can be caught; running out of memory cannot. Nabo's devices never
//! write bundles (documents are saved whole or as changes), so
//! [`plain_chunks`] walks the chunk headers first, without decoding
//! anything, and the engine refuses bytes with any other kind of chunk.
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

/// The four bytes every Automerge chunk starts with.
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Whether `bytes` is a run of whole Automerge chunks of the kinds Nabo's
/// devices write: documents (0), changes (1) and compressed changes (2).
/// Only the headers are read (magic, checksum, kind, length); a bundle (3),
/// an unknown kind, a chunk cut short or bytes after the last chunk are
/// refused. Empty bytes hold no chunk and pass.
///
/// ```
/// use nabo_shared::guard::plain_chunks;
/// let change = [0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 2, 0xaa, 0xbb];
/// assert!(plain_chunks(&change));
/// let mut bundle = change;
/// bundle[8] = 3;
/// assert!(!plain_chunks(&bundle));
/// assert!(!plain_chunks(&change[..11]));
/// ```
pub fn plain_chunks(mut bytes: &[u8]) -> bool {
    while !bytes.is_empty() {
        let Some((head, rest)) = bytes.split_first_chunk::<9>() else {
            return false;
        };
        if head[..4] != CHUNK_MAGIC || head[8] > 2 {
            return false;
        }
        // The length is an unsigned LEB128, as postcard writes a u64.
        let Ok((len, rest)) = postcard::take_from_bytes::<u64>(rest) else {
            return false;
        };
        let Some(rest) = usize::try_from(len).ok().and_then(|n| rest.get(n..)) else {
            return false;
        };
        bytes = rest;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn any_bytes_are_walked_without_a_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let _ = plain_chunks(&bytes);
        }
    }
}
