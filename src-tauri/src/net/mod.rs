//! Networking between Nabo devices. For now: the encrypted, mutually
//! authenticated [`channel`] that document sync will run over, and samod's
//! [`storage`] in Nabo's SQLite file.

pub mod channel;
pub mod storage;
