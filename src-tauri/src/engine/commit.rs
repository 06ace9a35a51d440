//! The one write path. A change is made on a *copy* of a document
//! ([`Engine::stage`]); [`Engine::commit`] then, in one SQLite transaction,
//! appends each copy's new changes, records what they did to the history
//! and re-projects exactly the keys they touched; only after the
//! transaction commits do the copies replace the documents in memory.

use std::collections::BTreeSet;
use std::num::NonZeroUsize;

use automerge::{transaction::Transactable, AutoCommit, ChangeHash, ROOT};
use nabo_shared::api::Table;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::{ActivityId, CommunityId};
use nabo_shared::signed::{Record, Signed};
use rusqlite::Transaction;

use super::accounts::{self, Carried};
use super::activities::ACTIVITY;
use super::docs::{DocId, DocKind};
use super::error::{EngineError, Result};
use super::kept::{self, What};
use super::kinds::Key;
use super::{projection, registry, review, store, Engine, Touched};

/// How many documents stay loaded in memory. A phone holds a handful; a
/// hub holds two per member and month but works on few at a time, and the
/// store has the rest.
pub(super) const CACHED_DOCS: NonZeroUsize = match NonZeroUsize::new(256) {
    Some(n) => n,
    None => unreachable!(),
};

/// A document copy being changed, with the heads it started from.
pub(crate) struct Staged {
    pub id: DocId,
    pub doc: AutoCommit,
    before: Vec<ChangeHash>,
}

impl Staged {
    /// Puts a signed record under its key.
    pub fn put<T: Record>(&mut self, key: Key<T>, value: &Signed<T>) -> Result<()> {
        self.doc
            .put(ROOT, key.as_str(), value.to_bytes())
            .map_err(|e| EngineError::doc(self.id, e))
    }
}

/// What one commit stored.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Committed {
    /// Documents that changed.
    pub documents: u32,
    /// Records (document keys) that changed.
    pub records: u32,
}

/// What a transaction wrote, to apply to memory once it has committed.
pub(super) struct Written {
    docs: Vec<(DocId, AutoCommit)>,
    /// Copies whose heads did not move but which may hold received changes
    /// waiting for their dependencies: kept in memory, or a sync would ask
    /// for them again and again.
    waiting: Vec<(DocId, AutoCommit)>,
    tables: BTreeSet<Table>,
    committed: Committed,
    /// The community whose document this transaction changed, if it did.
    community_written: Option<CommunityId>,
    /// Keys (as stored) whose accounts the new rows can move.
    accounts: Vec<String>,
    /// Document keys of kinds a coordinator writes that were re-projected.
    needs_office: Vec<(String, String)>,
    /// What a change of the community document leaves of the kept
    /// verdicts (see [`accounts::carry`]).
    carried: Carried,
    /// The activities whose records that change touched.
    activities: BTreeSet<ActivityId>,
    /// The tables that change touched.
    community_tables: BTreeSet<Table>,
}

impl Written {
    /// Whether the change of the community document may move who counts
    /// as what (see [`BESIDE_AUTHORITY`]).
    fn community_changed(&self) -> bool {
        !self
            .community_tables
            .iter()
            .all(|t| BESIDE_AUTHORITY.contains(t))
    }
}

/// Tables of the community document that neither who counts as what nor
/// rewards, payments and their relays read: a change of the community
/// document that touches only these (a budget round, a proposal and its
/// edits, the pool) keeps the authority and reconcile's marks, instead of
/// making the next reconcile look at every check-in again (seconds in a
/// five-year store).
const BESIDE_AUTHORITY: &[Table] = &[
    // Every key touches it; a key of a kind that matters touches its own
    // tables too.
    Table::Rejected,
    Table::BudgetRounds,
    Table::Proposals,
    Table::ProposalReviews,
    Table::Tallies,
    Table::ProposalPhotos,
    Table::CensusCodes,
    Table::CensusBallots,
    Table::Pools,
    Table::Applications,
    Table::PanelVotes,
    Table::Payouts,
    Table::ProposalHelpers,
    Table::ProposalEdits,
    Table::ReviewedTexts,
];

/// Tables of the community document that neither reconcile's marks nor
/// the relay of payment closures rest on (with [`BESIDE_AUTHORITY`]): the
/// rules (a check-in's reward comes from its activity), withdrawn invites
/// (join requests are judged afresh at every reconcile), partners' offers,
/// and coordinators' decisions on overspending (members' accounts follow
/// them by their own marks, `accounts::carry`). A change of only these
/// leaves the next reconcile to read what is new (the first reconcile after
/// a change of the rules took 10 s in a five-year store, looking at every
/// check-in again and relaying every closure again).
const BESIDE_RECONCILE: &[Table] = &[
    Table::Rules,
    Table::InviteWithdrawals,
    Table::Offers,
    Table::OverspendDecisions,
];

/// Tables of the community document whose changes place members anew and
/// nothing else reconcile reads (with [`BESIDE_AUTHORITY`]): after such a
/// change, only the check-ins of the members placed anew are looked at
/// again, not every one (and after one that also touched activities, the
/// check-ins of those activities).
const PLACING_MEMBERS: &[Table] = &[
    // A card comes with the membership or the link of its key (and a lost
    // one is blocked by retiring its key): reconcile reads the keys, not
    // the cards.
    Table::Cards,
    Table::Members,
    Table::Revocations,
    Table::Reinstatements,
    Table::DeviceLinks,
    Table::DeviceRetirements,
    Table::Replacements,
    Table::JoinRequests,
    Table::Statements,
];

/// How many records are committed between two refreshes of the query
/// planner's statistics (each takes milliseconds).
const REFRESH_STATISTICS_EVERY: u64 = 2_000;

/// Appends the staged documents' new changes, re-projects the keys they
/// touched and writes the settings, inside `tx`. `track`: whether the
/// engine keeps verdicts the new rows may change (see
/// [`projection::apply_changes`]).
pub(super) fn write(
    tx: &Transaction<'_>,
    staged: Vec<Staged>,
    settings: &[(&str, String)],
    track: bool,
) -> Result<Written> {
    let mut written = Written {
        docs: Vec::new(),
        waiting: Vec::new(),
        tables: BTreeSet::new(),
        committed: Committed::default(),
        community_written: None,
        accounts: Vec::new(),
        needs_office: Vec::new(),
        carried: Carried::default(),
        activities: BTreeSet::new(),
        community_tables: BTreeSet::new(),
    };
    for mut s in staged {
        let after = s.doc.get_heads();
        if after == s.before {
            written.waiting.push((s.id, s.doc));
            continue;
        }
        let chunk = s.doc.save_after(&s.before);
        store::append_chunk(tx, &s.id, &chunk, &mut s.doc)?;
        let changes = s.doc.get_changes(&s.before);
        let applied = projection::apply_changes(tx, &s.id, &changes, track)?;
        let tables = applied.tables;
        written.tables.extend(tables.iter().copied());
        written.committed.records += applied.keys.len() as u32;
        written.accounts.extend(applied.accounts);
        written.needs_office.extend(applied.needs_office);
        if s.id.kind == DocKind::Community {
            written.community_written = Some(s.id.community);
            written.community_tables.extend(tables.iter().copied());
            written.activities.extend(
                applied
                    .keys
                    .iter()
                    .filter_map(|k| {
                        registry::kind_of(k).filter(|(kind, _)| kind.prefix == ACTIVITY.decl.prefix)
                    })
                    .filter_map(|(_, id)| id.parse::<ActivityId>().ok()),
            );
        }
        written.docs.push((s.id, s.doc));
    }
    for (key, value) in settings {
        store::put_setting(tx, key, value)?;
    }
    if !settings.is_empty() {
        written.tables.insert(Table::Settings);
    }
    written.committed.documents = written.docs.len() as u32;
    Ok(written)
}

impl Engine {
    /// A copy of a document to change (empty if it was never stored).
    pub(crate) fn stage(&mut self, id: DocId) -> Result<Staged> {
        let doc = match self.docs.get(&id) {
            Some(doc) => doc.clone(),
            None => store::load_doc(&self.conn, &id)?.unwrap_or_default(),
        };
        let mut doc = doc.with_actor(self.actor.clone());
        let before = doc.get_heads();
        Ok(Staged { id, doc, before })
    }

    /// The index of `id` among `staged`, staging it first if needed: one
    /// batch touches each document once.
    pub(crate) fn stage_into(&mut self, staged: &mut Vec<Staged>, id: DocId) -> Result<usize> {
        if let Some(i) = staged.iter().position(|s| s.id == id) {
            return Ok(i);
        }
        staged.push(self.stage(id)?);
        Ok(staged.len() - 1)
    }

    /// Persists staged documents and device settings in one transaction,
    /// re-projecting exactly the keys that changed. Memory changes after
    /// the commit only.
    pub(crate) fn commit(
        &mut self,
        staged: Vec<Staged>,
        settings: &[(&str, String)],
    ) -> Result<Committed> {
        let track = self.accounts.get_mut().is_some() || self.unentitled.get_mut().is_some();
        // What the kept verdicts rest on, read before the commit may change
        // the community document. Kept verdicts only save time: if what
        // they rest on cannot be read, they are forgotten, and the commit
        // goes on.
        let grounds = if track && staged.iter().any(|s| s.id.kind == DocKind::Community) {
            self.grounds().unwrap_or_else(|e| {
                log::warn!("what kept verdicts rest on not read ({e}): forgotten");
                None
            })
        } else {
            None
        };
        let tx = self.conn.transaction()?;
        let mut written = write(&tx, staged, settings, track)?;
        // What the store keeps moves with the rows, in the same
        // transaction (`kept.rs`).
        if let Some(community) = written.community_written {
            // What is kept holds under the document's new heads, all of it
            // if the change leaves who counts as what alone.
            let carried = match &grounds {
                _ if !written.community_changed() => Carried {
                    accounts: Some(Vec::new()),
                    signatures: true,
                    members_only: true,
                },
                Some(grounds) => {
                    accounts::carry(&tx, grounds, &written.tables).unwrap_or_else(|e| {
                        log::warn!("kept verdicts not carried over ({e}): forgotten");
                        Carried::default()
                    })
                }
                None => Carried::default(),
            };
            kept::carry_over(
                &tx,
                [
                    (What::Accounts, carried.accounts.is_some()),
                    (What::Signatures, carried.signatures),
                ],
                &kept::community_heads(&tx, community)?,
            )?;
            written
                .accounts
                .extend(carried.accounts.iter().flatten().cloned());
            let members_only = written.tables.iter().all(|t| {
                PLACING_MEMBERS.contains(t)
                    || BESIDE_AUTHORITY.contains(t)
                    || *t == Table::Activities
            });
            written.carried = Carried {
                members_only: members_only && carried.accounts.is_some(),
                ..carried
            };
        }
        if track {
            let keys: Vec<String> = written
                .accounts
                .iter()
                .filter(|k| MemberKey::from_hex(k).is_some())
                .cloned()
                .collect();
            kept::mark_moved(&tx, What::Accounts, &keys)?;
            let keys: Vec<String> = written.needs_office.iter().map(review::kept_key).collect();
            kept::mark_moved(&tx, What::Signatures, &keys)?;
        }
        tx.commit()?;
        let committed = self.apply(written);
        // A store that grows from nothing while the app runs for weeks (a
        // community house's computer) gets statistics as it grows, not only
        // at the next start.
        self.since_statistics += u64::from(committed.records);
        if self.since_statistics >= REFRESH_STATISTICS_EVERY {
            self.since_statistics = 0;
            if let Err(e) = store::refresh_statistics(&self.conn) {
                log::warn!("query planner statistics not refreshed: {e}");
            }
        }
        Ok(committed)
    }

    /// Brings memory up to what a committed transaction wrote.
    pub(super) fn apply(&mut self, written: Written) -> Committed {
        if written.community_changed() {
            // A change of the community document that touched activities
            // and nothing else reconcile reads can have made only their
            // check-ins rewardable (what other documents brought in the
            // same commit, reconcile reads as new rows).
            let activities_only = written
                .community_tables
                .iter()
                .all(|t| BESIDE_AUTHORITY.contains(t) || *t == Table::Activities);
            let elsewhere = written
                .community_tables
                .iter()
                .all(|t| BESIDE_AUTHORITY.contains(t) || BESIDE_RECONCILE.contains(t));
            let touched = if activities_only {
                Touched::Activities(&written.activities)
            } else if elsewhere {
                Touched::Elsewhere
            } else if written.carried.members_only {
                Touched::MembersAnd(&written.activities)
            } else {
                Touched::Anything
            };
            self.community_moved(&written.carried, touched);
        }
        if let Some(accounts) = self.accounts.get_mut() {
            accounts.moved(written.accounts);
        }
        if let Some(unentitled) = self.unentitled.get_mut() {
            unentitled.moved(written.needs_office);
        }
        for (id, doc) in written.docs.into_iter().chain(written.waiting) {
            self.docs.put(id, doc);
        }
        self.changed.extend(written.tables);
        written.committed
    }

    /// A document as stored, loaded into the cache if needed.
    pub(crate) fn doc_mut(&mut self, id: DocId) -> Result<&mut AutoCommit> {
        if !self.docs.contains(&id) {
            let doc = store::load_doc(&self.conn, &id)?.unwrap_or_default();
            self.docs.put(id, doc);
        }
        Ok(self.docs.get_mut(&id).expect("just cached"))
    }
}
