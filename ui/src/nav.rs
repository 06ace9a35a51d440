//! Where the app is: the screen showing, how screens move between each
//! other, and what the shell shares with every screen.

use leptos::prelude::*;
use nabo_shared::activities::ActivityView;
use nabo_shared::api::ApiError;
use nabo_shared::community::Status;
use nabo_shared::ids::{ActivityId, RoundId};

/// Which screen is showing.
#[derive(Clone, PartialEq)]
pub enum Screen {
    Wallet,
    Activities,
    Editor(Option<ActivityView>),
    Qr(ActivityId),
    /// Who checked in to an activity (its id and title).
    Attendance(ActivityId, String),
    Scan,
    Members,
    /// A member's history (their device's fingerprint and name).
    MemberHistory(String, String),
    Review,
    Sync,
    Settings,
    /// The neighbourhood budget's rounds (from settings).
    Rounds,
    /// One budget round.
    Round(RoundId),
    /// The outcomes of a budget file (from the rounds).
    Budget,
    /// The small-grants pool (from the rounds).
    Pool,
    /// The neighbourhood budget's account (from the rounds and the pool).
    Account,
}

/// The device status, shared so any screen can refresh it.
#[derive(Clone, Copy)]
pub struct StatusRes(pub LocalResource<Result<Status, ApiError>>);

/// How many things wait in the coordinator's review queue.
#[derive(Clone, Copy)]
pub struct ReviewCount(pub Memo<usize>);

/// The current screen, shared so screens can navigate.
#[derive(Clone, Copy)]
pub struct Nav(pub RwSignal<Screen>);

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}
