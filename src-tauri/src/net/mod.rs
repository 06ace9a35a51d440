//! Networking between Nabo devices: the encrypted, mutually authenticated
//! [`channel`], live [`sync`] over it (hub and dial), and samod's
//! [`storage`] in Nabo's SQLite file (kept for the automerge-repo route).

pub mod channel;
pub mod storage;
pub mod sync;
