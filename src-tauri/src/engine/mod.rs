//! The engine: Nabo's store, documents and rules, with no Tauri in sight, so
//! the desktop app, a headless hub and the tests all drive the same code.
//!
//! The core is small: opening the store ([`store`], [`migrate`]), the one
//! write path ([`commit`]), documents ([`docs`]), how a record kind is
//! declared ([`kinds`]), the projection driver ([`projection`]), the clock
//! and the errors; [`registry`] lists every kind and derives the schema.
//! Each capability has its module, with its record kinds, queries and
//! methods on [`Engine`]:
//!
//! - `community`: founding, joining, invites, status;
//! - `authority`: who counts as what (used by every capability);
//! - `members`: confirmation, revocation, the members list, the network gate;
//! - `activities`: activities, check-in codes, scanning;
//! - `rewards`: issuing rewards under the caps, wallets;
//! - `accounts`: members' accounts judged and kept between calls;
//! - `kept`: what is judged, kept in the store over a restart;
//! - `exchange`: sync files;
//! - `sync`: live sync sessions, peers and hubs, pairing;
//! - `review`: the coordinator's review queue.

mod accounts;
mod activities;
mod authority;
mod budget;
mod cards;
mod clock;
mod closures;
mod commit;
mod community;
mod demo;
mod devices;
mod docs;
mod error;
mod exchange;
mod history;
mod hours;
mod inspect;
mod kept;
mod kinds;
mod members;
mod migrate;
mod offers;
mod payments;
mod pool;
mod poster;
mod print;
mod projection;
mod qr;
mod registry;
mod review;
mod rewards;
mod rules;
mod sql;
mod store;
mod sync;
#[doc(hidden)]
pub mod synthetic;
mod together;
mod vouch;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use automerge::{ActorId, AutoCommit};
use chrono::{DateTime, Utc};
use nabo_shared::api::Table;
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::ids::{ActivityId, CommunityId};
use nabo_shared::members::authority::Authority;
use rusqlite::{params, Connection, OptionalExtension};

pub use cards::{Printed, TRIES_PER_DAY};
pub use clock::{Clock, ManualClock, SystemClock};
pub use docs::{DocId, DocKind};
pub use error::{EngineError, Refused, Result};
pub use exchange::Export;
pub use members::GateError;
pub use payments::Overspend;
pub use qr::read_image as read_qr_image;
pub use rewards::Reconciled;
pub use sync::{short_code, PeerSync, RoundReport, SyncSnapshot, MAX_DOCS_PER_ROUND};

/// The tables that hold what this device keeps besides the projection: its
/// documents, its own records of syncs, hubs, arrivals and invites, and the
/// signatures it found holding (leaving a community empties them all).
pub(crate) const LOCAL_TABLES: [&str; 14] = [
    "doc_chunks",
    "docs",
    "sync_states",
    "peers",
    "hubs",
    "arrivals",
    "invites",
    "scanned_labels",
    "payment_requests",
    "reconcile_marks",
    "kept",
    "kept_verdicts",
    "kept_stale",
    "verified_values",
];

/// What the engine knows about the community this device belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub community: CommunityId,
    /// The founding key this device trusts (from its own creation or the invite).
    pub anchor: MemberKey,
    pub me: MemberKey,
    pub tz: nabo_shared::time::Tz,
}

/// One device's Nabo: its key, its SQLite store and its documents.
pub struct Engine {
    conn: Connection,
    key: SigningKey,
    actor: ActorId,
    clock: Box<dyn Clock>,
    /// Documents in use (the store holds all of them).
    docs: lru::LruCache<DocId, AutoCommit>,
    changed: BTreeSet<Table>,
    /// Who counts as what, computed when first asked after the community
    /// document last changed.
    authority: RefCell<Option<Arc<Authority>>>,
    /// Check-ins up to this rowid were already looked at by
    /// [`Engine::reconcile`]; reset when the community document changes (an
    /// activity or a membership may make an old check-in rewardable),
    /// unless the change only placed members anew or touched activities:
    /// then only their keys' and those activities' check-ins are looked at
    /// again (`recheck`, `recheck_activities`).
    reconciled_up_to: i64,
    /// Keys whose check-ins the next reconcile looks at from the start
    /// (members placed anew since the last one; kept in memory only: a
    /// restart before it finds the community document's heads moved and
    /// looks at every check-in).
    recheck: BTreeSet<MemberKey>,
    /// Activities whose check-ins the next reconcile looks at from the
    /// start (saved, edited or archived since the last one; in memory only,
    /// as `recheck`).
    recheck_activities: BTreeSet<ActivityId>,
    /// Records committed since the query planner's statistics were last
    /// refreshed (see [`store::refresh_statistics`]).
    since_statistics: u64,
    /// Payment closures and payments up to these rowids were already looked
    /// at by [`Engine::relay_closures`]; reset by any change of the
    /// community document but one of activities alone (who may close a
    /// request follows from who counts as what).
    relayed_up_to: (i64, i64),
    /// Members' accounts judged, kept between calls and in the store
    /// (`accounts.rs`, `kept.rs`); dropped when the community document
    /// changes.
    accounts: RefCell<Option<accounts::Accounts>>,
    /// What the review queue found signed out of office, kept between
    /// calls and in the store (`review.rs`, `kept.rs`); dropped when the
    /// community document changes.
    unentitled: RefCell<Option<review::Unentitled>>,
    /// Budget rounds' results already computed, by the count as a pabulib
    /// file (a count never changes; a recount is another file).
    round_results:
        RefCell<std::collections::HashMap<String, nabo_shared::budget::report::BudgetReport>>,
    /// A second connection to the store, read-only, for judging every
    /// account on two cores (`accounts::judge_all`); opened when first
    /// needed, kept between calls.
    reader: RefCell<Option<Connection>>,
}

impl Engine {
    /// Opens the store at `path` (creating it and this device's key on
    /// first use, migrating a file an older version wrote).
    pub fn open(path: &Path, clock: impl Clock + 'static) -> Result<Self> {
        let (mut conn, version) = store::open(path)?;
        conn.execute_batch(sync::SCHEMA)?;
        conn.execute_batch(rewards::SCHEMA)?;
        conn.execute_batch(community::SCHEMA)?;
        conn.execute_batch(activities::SCHEMA)?;
        conn.execute_batch(payments::SCHEMA)?;
        conn.execute_batch(cards::SCHEMA)?;
        conn.execute_batch(kept::SCHEMA)?;
        conn.execute_batch(kinds::VERIFIED)?;
        let key = device_key(&mut conn, clock.now())?;
        // Automerge needs one actor per writer: this device's key names it.
        let actor = ActorId::from(&MemberKey::of(&key).0[..16]);
        let mut engine = Self {
            conn,
            key,
            actor,
            clock: Box::new(clock),
            docs: lru::LruCache::new(commit::CACHED_DOCS),
            changed: BTreeSet::new(),
            authority: RefCell::new(None),
            reconciled_up_to: 0,
            recheck: BTreeSet::new(),
            recheck_activities: BTreeSet::new(),
            since_statistics: 0,
            relayed_up_to: (0, 0),
            accounts: RefCell::default(),
            unentitled: RefCell::default(),
            round_results: RefCell::default(),
            reader: RefCell::default(),
        };
        if version < store::SCHEMA_VERSION {
            engine.migrate(version)?;
        } else {
            let had = store::has_table(&engine.conn, "ledger_versions")?;
            engine.conn.execute_batch(&projection::schema())?;
            if !had {
                rewards::fill_versions(&engine.conn)?;
            }
        }
        store::refresh_statistics(&engine.conn)?;
        // What the store keeps beside its rows holds only under the
        // community document's heads it was kept with.
        if let Some(heads) = engine.community_heads()? {
            engine.restore_marks(&heads)?;
            engine.restore_kept(&heads)?;
        }
        Ok(engine)
    }

    /// This device's public key.
    pub fn device_key(&self) -> MemberKey {
        MemberKey::of(&self.key)
    }

    /// The tables changed since the last call (for `store-changed`).
    pub fn take_changed(&mut self) -> Vec<Table> {
        std::mem::take(&mut self.changed).into_iter().collect()
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        store::setting(&self.conn, key)
    }

    /// The community this device belongs to, and who it is there.
    pub(crate) fn ctx(&self) -> Result<Ctx> {
        let community = self.setting("community")?.ok_or(Refused::NotSetUp)?;
        let community: CommunityId = community
            .parse()
            .map_err(|_| EngineError::corrupt("community setting", &community))?;
        let anchor = self.setting("founding_key")?.unwrap_or_default();
        let anchor = MemberKey::from_hex(&anchor)
            .ok_or_else(|| EngineError::corrupt("founding key setting", &anchor))?;
        let tz = community::time_zone(&self.conn, &community)?;
        Ok(Ctx {
            community,
            anchor,
            me: self.device_key(),
            tz: nabo_shared::time::time_zone(&tz),
        })
    }

    /// Takes a new signing key (after leaving a community): the Automerge
    /// actor follows it, and nothing loaded stays.
    fn replace_key(&mut self, key: SigningKey) {
        self.actor = ActorId::from(&MemberKey::of(&key).0[..16]);
        self.key = key;
        self.docs.clear();
        self.community_changed();
    }

    /// The heads of this device's community document, if it has a
    /// community.
    fn community_heads(&self) -> Result<Option<Vec<u8>>> {
        let Some(community) = self.setting("community")? else {
            return Ok(None);
        };
        let Ok(community) = community.parse() else {
            return Ok(None);
        };
        kept::community_heads(&self.conn, community).map(Some)
    }

    /// Takes up the verdicts the store keeps, if they hold for the
    /// community document's `heads` (on opening the store).
    fn restore_kept(&mut self, heads: &[u8]) -> Result<()> {
        self.accounts = RefCell::new(accounts::Accounts::restore(&self.conn, heads)?);
        self.unentitled = RefCell::new(review::Unentitled::restore(&self.conn, heads)?);
        Ok(())
    }

    /// What follows from a change of the community document that may move
    /// anything: who counts as what may have changed, and old check-ins may
    /// have become rewardable.
    fn community_changed(&mut self) {
        self.community_moved(&accounts::Carried::default(), Touched::Anything);
    }

    /// What follows from a change of the community document that left
    /// `carried` of the kept verdicts (`accounts.rs`, [`accounts::carry`])
    /// and `touched` what reconcile reads.
    fn community_moved(&mut self, carried: &accounts::Carried, touched: Touched<'_>) {
        match (touched, &carried.accounts) {
            // Who counts as what and who may close a payment request are
            // as they were: the relay of closures goes on where it stopped.
            (Touched::Activities(activities), _) => self.recheck_activities.extend(activities),
            (Touched::Elsewhere, _) => {}
            (Touched::MembersAnd(activities), Some(keys)) => {
                self.recheck
                    .extend(keys.iter().filter_map(|k| MemberKey::from_hex(k)));
                self.recheck_activities.extend(activities);
                self.relayed_up_to = (0, 0);
            }
            _ => {
                self.reconciled_up_to = 0;
                self.recheck.clear();
                self.recheck_activities.clear();
                self.relayed_up_to = (0, 0);
            }
        }
        self.authority.replace(None);
        if carried.accounts.is_none() {
            self.accounts.replace(None);
        }
        if !carried.signatures {
            self.unentitled.replace(None);
        }
    }
}

/// What a change of the community document touched of what reconcile
/// reads (see [`Engine::reconcile`]).
#[derive(Clone, Copy)]
enum Touched<'a> {
    /// These activities and nothing else: only their check-ins can have
    /// become rewardable.
    Activities(&'a BTreeSet<ActivityId>),
    /// Only what neither reconcile's marks nor the relay rest on (the
    /// rules, say; `commit::BESIDE_RECONCILE`): no check-in can have become
    /// rewardable, and who may close a payment request is as it was.
    Elsewhere,
    /// The places of members (those the carried verdicts name) and these
    /// activities: only their check-ins.
    MembersAnd(&'a BTreeSet<ActivityId>),
    /// Anything (the terms of office, or unknown).
    Anything,
}

/// This device's signing key, made on first use.
fn device_key(conn: &mut Connection, now: DateTime<Utc>) -> Result<SigningKey> {
    let secret: Option<Vec<u8>> = conn
        .query_row("SELECT secret FROM device WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    if let Some(bytes) = secret {
        let len = bytes.len();
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| EngineError::corrupt("device key of length", len))?;
        return Ok(SigningKey::from_bytes(&bytes));
    }
    let key = SigningKey::from_bytes(&random()?);
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO device(id, secret, created_at) VALUES (1, ?1, ?2)",
        params![key.to_bytes().to_vec(), sql::ts(now)],
    )?;
    tx.commit()?;
    Ok(key)
}

/// Fresh random bytes (keys, ids, salts).
fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).map_err(EngineError::Random)?;
    Ok(bytes)
}

/// A required short text field, or the refusal that names it.
fn required(field: &'static str, value: &str, max: usize) -> Result<String> {
    nabo_shared::fields::required(value, max)
        .map_err(|problem| Refused::InvalidField { field, problem }.into())
}
