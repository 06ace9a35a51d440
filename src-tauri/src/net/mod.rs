//! Networking between Nabo devices: the encrypted, mutually authenticated
//! [`channel`], live [`sync`] over it (the conversation and the dial), the
//! [`hub`] that phones dial, and samod's [`storage`] in Nabo's SQLite file
//! (kept for the automerge-repo route).

pub mod channel;
pub mod hub;
pub mod storage;
pub mod sync;
