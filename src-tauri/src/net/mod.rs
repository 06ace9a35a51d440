//! Networking between Nabo devices. For now: the encrypted, mutually
//! authenticated [`channel`] that document sync will run over.

pub mod channel;
