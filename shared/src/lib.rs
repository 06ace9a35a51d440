//! # nabo-shared
//!
//! The single source of truth that Nabo's UI (wasm) and engine (native) both
//! compile. One module per capability, each with its signed records, its
//! rules, its views and its commands:
//!
//! - [`community`]: founding, joining, invites, this device's status;
//! - [`members`]: roles, memberships, revocations, and who counts as what;
//! - [`activities`]: activities, check-ins and the rotating check-in code;
//! - [`rewards`]: the ledger, wallets and the allocation under daily caps;
//! - [`exchange`]: sync files;
//! - [`sync`]: live sync, pairing with a hub;
//! - [`review`]: the coordinator's review queue;
//! - [`budget`]: the neighbourhood budget's outcomes (greedy, the Method of
//!   Equal Shares) and the pabulib format.
//!
//! Below them, the common ground: identifiers ([`ids`]), keys and
//! signatures ([`crypto`]), the signed envelope ([`signed`]), the QR text
//! format ([`codes`]), local days ([`time`]), form fields ([`fields`]) and
//! how a command is declared ([`command`]). Above them: the scanner that
//! tells every code apart ([`scan`]) and the IPC boundary ([`api`]:
//! [`api::ApiError`], every command, the tables `store-changed` names).
//!
//! Nothing here does I/O or reads the clock: time is always passed in, so every
//! device that evaluates a rule over the same data reaches the same verdict.
//!
//! ```
//! use std::collections::BTreeSet;
//! use chrono::{TimeZone, Utc};
//! use nabo_shared::activities::{verify_checkin_code, CheckinCode, CodeContext};
//! use nabo_shared::scan::Scanned;
//! use nabo_shared::crypto::{MemberKey, SigningKey};
//! use nabo_shared::ids::{ActivityId, CommunityId};
//!
//! let coordinator = SigningKey::from_bytes(&[7; 32]);
//! let community = CommunityId::from_bytes([1; 16]);
//! let activity = ActivityId::from_bytes([2; 16]);
//! let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 5).unwrap();
//!
//! // The coordinator's screen shows this text as a QR code...
//! let text = CheckinCode::issue(&coordinator, community, activity, now).encode();
//! // ...and a resident's phone reads it back and checks it offline.
//! let Ok(Scanned::Checkin(qr)) = Scanned::parse(&text) else { panic!("not a check-in code") };
//! let code = qr.code;
//! let coordinators = BTreeSet::from([MemberKey::of(&coordinator)]);
//! let ctx = CodeContext { community, coordinators: &coordinators, now };
//! assert_eq!(verify_checkin_code(&code, &ctx), Ok(MemberKey::of(&coordinator)));
//! ```
#![deny(missing_docs)]

pub mod codes;
pub mod command;
pub mod crypto;
pub mod fields;
pub mod guard;
pub mod ids;
pub mod signed;
pub mod time;

pub mod activities;
pub mod budget;
pub mod community;
pub mod exchange;
pub mod members;
pub mod review;
pub mod rewards;
pub mod sync;

pub mod api;
pub mod scan;
