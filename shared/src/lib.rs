//! # nabo-shared
//!
//! The single source of truth that Nabo's UI (wasm) and engine (native) both
//! compile: identifiers, signed records, the QR payload formats, the rules that
//! decide whether a check-in counts and how much it earns, and the typed API
//! (command names, views, [`api::ApiError`]) that crosses the IPC boundary.
//!
//! Nothing here does I/O or reads the clock: time is always passed in, so every
//! device that evaluates a rule over the same data reaches the same verdict.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use nabo_shared::codes::{CheckinCode, Scanned};
//! use nabo_shared::crypto::{MemberKey, SigningKey};
//! use nabo_shared::ids::{ActivityId, CommunityId};
//! use nabo_shared::rules::{verify_checkin_code, CodeContext};
//!
//! let coordinator = SigningKey::from_bytes(&[7; 32]);
//! let community = CommunityId::from_bytes([1; 16]);
//! let activity = ActivityId::from_bytes([2; 16]);
//! let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap();
//!
//! // The coordinator's screen shows this text as a QR code...
//! let text = CheckinCode::issue(&coordinator, community, activity, now).encode();
//! // ...and a resident's phone reads it back and checks it offline.
//! let Ok(Scanned::Checkin(code)) = Scanned::parse(&text) else { panic!("not a check-in code") };
//! let coordinators = [MemberKey::of(&coordinator)];
//! let ctx = CodeContext { community, coordinators: &coordinators, now };
//! assert_eq!(verify_checkin_code(&code, &ctx), Ok(MemberKey::of(&coordinator)));
//! ```
#![deny(missing_docs)]

pub mod api;
pub mod codes;
pub mod crypto;
pub mod ids;
pub mod records;
pub mod rules;
