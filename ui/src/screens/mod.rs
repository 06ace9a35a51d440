//! One module per screen.

pub mod activities;
pub mod editor;
pub mod exchange;
pub mod members;
pub mod qr;
pub mod scan;
pub mod sync;
pub mod wallet;
pub mod welcome;
