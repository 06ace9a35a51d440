//! Live sync with another device: Automerge's own sync protocol, one
//! conversation per document, with the per-peer sync state kept in SQLite.
//!
//! A persisted state holds the heads both devices were known to share, so the
//! first message of the next sync advertises only what is new since then.
//! A device does not even bring up a document whose heads are still the
//! shared ones (the other side speaks if it has news); a digest of the shared
//! heads of all those documents checks that both sides agree on them, and if
//! not (a device restored from a backup) every document is compared. So a
//! sync with nothing new is one round trip of a few bytes however many
//! documents there are.
//! Received changes go through [`Engine::commit`] like every other write (the
//! projection re-verifies every record's signature), and only after they are
//! committed is the new shared state saved: a cut connection can make the next
//! sync resend something, never skip it.

mod pairing;
mod peers;

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync::{self, SyncDoc};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::guard::{catching, plain_chunks};
use nabo_shared::sync::SyncProblem;
use rusqlite::params;

pub use pairing::short_code;

use super::docs::{DocId, Holder};
use super::error::{Refused, Result};
use super::{store, Ctx, Engine};

/// The sync module's tables: what this device knows of its conversations.
pub(super) const SCHEMA: &str = r#"
-- Automerge's sync state per peer device and document (only the heads both
-- sides are known to share), so a sync with nothing new is cheap.
CREATE TABLE IF NOT EXISTS sync_states (
    peer TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    state BLOB NOT NULL,
    PRIMARY KEY (peer, doc_id)
);
-- Devices synced with (or tried): the sync screen's list.
CREATE TABLE IF NOT EXISTS peers (
    device TEXT PRIMARY KEY,
    last_attempt TEXT NOT NULL,
    last_sync TEXT,
    last_error TEXT,
    last_totals TEXT NOT NULL
);
-- Paired hubs: their pairing code text.
CREATE TABLE IF NOT EXISTS hubs (
    key_id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    paired_at TEXT NOT NULL,
    last_attempt TEXT,
    last_sync TEXT,
    last_error TEXT
);
"#;

/// The most documents one sync message may carry (a bound on a hostile
/// peer; a coordinator's device holds two documents per member and month).
pub const MAX_DOCS_PER_ROUND: usize = 65_536;

/// The most bytes of messages for documents not (yet) shared that one
/// conversation keeps aside (see [`PeerSync`]); the rest is dropped, and the
/// next conversation brings it again.
const MAX_WAITING_BYTES: usize = 64 * 1024 * 1024;

/// The sync states of one conversation with one peer.
#[derive(Debug)]
pub struct PeerSync {
    peer: MemberKey,
    states: BTreeMap<DocId, sync::State>,
    sent: BTreeSet<DocId>,
    /// Only documents with news are brought up (see the module docs).
    quiet: bool,
    /// Documents this conversation has spoken about.
    engaged: BTreeSet<DocId>,
    /// The peer's balance was stated in this conversation.
    stated: bool,
    /// Messages for documents this device does not share with the peer, in
    /// the order they came, with their size: kept aside for the rest of the
    /// conversation, because the change that shares them may come a round
    /// later (a new phone's member documents can arrive before the
    /// community document's change that links the phone to its member).
    waiting: Vec<(DocId, sync::Message, usize)>,
}

impl PeerSync {
    /// The other device.
    pub fn peer(&self) -> MemberKey {
        self.peer
    }

    /// From now on every shared document is compared, changed or not.
    pub fn compare_everything(&mut self) {
        self.quiet = false;
    }

    /// Keeps messages for documents not shared aside, within the bound of
    /// one conversation; what does not fit is dropped (the peer brings it
    /// again next time).
    fn keep_aside(&mut self, messages: Vec<(DocId, sync::Message, usize)>) {
        let mut bytes: usize = self.waiting.iter().map(|(_, _, size)| size).sum();
        for (id, message, size) in messages {
            bytes = bytes.saturating_add(size);
            if bytes > MAX_WAITING_BYTES || self.waiting.len() >= MAX_DOCS_PER_ROUND {
                log::warn!(
                    "sync: {} sent more for documents not shared here than a conversation keeps; {id} dropped",
                    self.peer.key_id()
                );
                bytes -= size;
                continue;
            }
            log::info!(
                "sync: {} sent {id}, which it does not share here (yet): kept aside",
                self.peer.key_id()
            );
            self.waiting.push((id, message, size));
        }
    }

    /// How many documents this conversation has sent changes of.
    pub fn documents_sent(&self) -> u32 {
        self.sent.len() as u32
    }
}

/// What one received message changed here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// Documents that changed.
    pub documents: u32,
    /// Records that changed.
    pub records: u32,
    /// Memberships and rewards this (coordinator) device issued for them.
    pub issued: u32,
}

/// This device and a peer as holders of documents.
struct Pair {
    me: Holder,
    peer: Holder,
}

impl Pair {
    /// Whether a document may pass between the two: both may hold it
    /// (coordinators hold all; members the community document and their
    /// member's own).
    fn shares(&self, id: &DocId) -> bool {
        id.visible_to(&self.me) && id.visible_to(&self.peer)
    }
}

impl Engine {
    /// This device and `peer` as the verdict of the moment sees them, so a
    /// new phone linked during a conversation gets its member's history in
    /// the same conversation.
    fn pair(&self, peer: &MemberKey) -> Result<Pair> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        Ok(Pair {
            me: Holder::of(&who, &ctx.me),
            peer: Holder::of(&who, peer),
        })
    }
}

fn problem(problem: SyncProblem) -> super::EngineError {
    Refused::Sync(problem).into()
}

impl Engine {
    /// This device's signing key, for the network handshake.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Starts a conversation with `peer` from the states saved last time.
    pub fn sync_start(&mut self, peer: MemberKey) -> Result<PeerSync> {
        let ctx = self.ctx()?;
        // Requests that ended since the last sync are closed first, so
        // their payers learn it.
        self.close_requests(&ctx)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT doc_id, state FROM sync_states WHERE peer = ?1")?;
        let rows = stmt
            .query_map([peer.to_hex()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut states = BTreeMap::new();
        for (doc, bytes) in rows {
            // An unreadable saved state only costs a full comparison.
            if let (Some(id), Ok(state)) = (DocId::parse(&doc), sync::State::decode(&bytes)) {
                states.insert(id, state);
            }
        }
        Ok(PeerSync {
            peer,
            states,
            sent: BTreeSet::new(),
            quiet: true,
            engaged: BTreeSet::new(),
            stated: false,
            waiting: Vec::new(),
        })
    }

    /// The next sync message for every document of the community (and every
    /// document the peer mentioned), as `(document id, message)` pairs; empty
    /// when there is nothing more to say.
    pub fn sync_messages(&mut self, session: &mut PeerSync) -> Result<Vec<(String, Vec<u8>)>> {
        let ctx = self.ctx()?;
        let mut ids: BTreeSet<DocId> = store::doc_ids(&self.conn, &ctx.community.to_string())?
            .into_iter()
            .collect();
        ids.extend(session.states.keys().copied());
        let pair = self.pair(&session.peer)?;
        ids.retain(|id| pair.shares(id));
        let mut out = Vec::new();
        for id in ids {
            // The stored heads tell whether a document moved without loading it.
            let heads = store::heads(&self.conn, &id)?.unwrap_or_default();
            let unchanged = session
                .states
                .get(&id)
                .is_some_and(|state| state.shared_heads == heads);
            if session.quiet && unchanged && !session.engaged.contains(&id) {
                continue;
            }
            session.engaged.insert(id);
            let doc = self.doc_mut(id)?;
            let state = session.states.entry(id).or_default();
            if let Some(message) = doc.sync().generate_sync_message(state) {
                if !message.changes.is_empty() {
                    session.sent.insert(id);
                }
                out.push((id.to_string(), message.encode()));
            }
        }
        Ok(out)
    }

    /// Applies one batch of sync messages from the peer. The batch is checked
    /// whole before anything is stored; then its changes are committed and
    /// projected, the shared states saved, and a coordinator's device
    /// confirms joins and issues rewards for what arrived.
    pub fn sync_receive(
        &mut self,
        session: &mut PeerSync,
        messages: Vec<(String, Vec<u8>)>,
    ) -> Result<RoundReport> {
        let ctx = self.ctx()?;
        if messages.len() > MAX_DOCS_PER_ROUND {
            return Err(problem(SyncProblem::Damaged));
        }
        let pair = self.pair(&session.peer)?;
        let mut decoded = Vec::with_capacity(messages.len());
        let mut held_back = Vec::new();
        for (name, bytes) in messages {
            let id = DocId::parse(&name).ok_or_else(|| problem(SyncProblem::Damaged))?;
            if id.community != ctx.community {
                return Err(problem(SyncProblem::OtherCommunity));
            }
            let message = catching(|| sync::Message::decode(&bytes))
                .and_then(Result::ok)
                .filter(|m| m.changes.iter().all(plain_chunks))
                .ok_or_else(|| {
                    log::warn!(
                        "sync: {} sent an unreadable message for {id}",
                        session.peer.key_id()
                    );
                    problem(SyncProblem::Damaged)
                })?;
            if !pair.shares(&id) {
                held_back.push((id, message, bytes.len()));
                continue;
            }
            session.engaged.insert(id);
            decoded.push((id, message));
        }
        let mut committed = self.apply_round(session, decoded)?;
        session.keep_aside(held_back);
        // What arrived may have shared what was kept aside (a new phone
        // linked to its member): it is judged again.
        if !session.waiting.is_empty() && committed.documents > 0 {
            let pair = self.pair(&session.peer)?;
            let (now, never): (Vec<_>, Vec<_>) = std::mem::take(&mut session.waiting)
                .into_iter()
                .partition(|(id, _, _)| pair.shares(id));
            session.waiting = never;
            let now: Vec<_> = now
                .into_iter()
                .map(|(id, message, _)| {
                    session.engaged.insert(id);
                    (id, message)
                })
                .collect();
            if !now.is_empty() {
                let more = self.apply_round(session, now)?;
                committed.documents += more.documents;
                committed.records += more.records;
            }
        }
        // Only what arrived can need confirming, rewarding or tying together.
        let issued = if committed.documents > 0 {
            let done = self.reconcile()?;
            self.merge_heads(&ctx)?;
            done.confirmed + done.rewarded
        } else {
            0
        };
        // A coordinator's device states the peer's balance, for the
        // partners' counters: once a conversation, and again after news.
        if !session.stated || committed.documents > 0 {
            self.issue_statement(&ctx, &session.peer)?;
            session.stated = true;
        }
        Ok(RoundReport {
            documents: committed.documents,
            records: committed.records,
            issued,
        })
    }

    /// Applies checked messages: their changes committed and projected, the
    /// shared states saved.
    fn apply_round(
        &mut self,
        session: &mut PeerSync,
        decoded: Vec<(DocId, sync::Message)>,
    ) -> Result<super::commit::Committed> {
        // Work on copies of the states too: a refused batch leaves the
        // conversation where it was.
        let mut states = BTreeMap::new();
        let mut staged = Vec::new();
        for (id, message) in decoded {
            let i = self.stage_into(&mut staged, id)?;
            let state = states
                .entry(id)
                .or_insert_with(|| session.states.get(&id).cloned().unwrap_or_default());
            let applied = catching(|| staged[i].doc.sync().receive_sync_message(state, message));
            if !matches!(applied, Some(Ok(()))) {
                log::warn!(
                    "sync: {} sent changes to {id} that do not apply",
                    session.peer.key_id()
                );
                return Err(problem(SyncProblem::Damaged));
            }
        }
        let committed = self.commit(staged, &[])?;
        session.states.extend(states);
        self.save_sync_states(session)?;
        Ok(committed)
    }

    /// Phones add check-ins side by side, so a hub's documents end up with
    /// one head per phone, and every sync message names them all. A
    /// coordinator's device ties them together with an empty change on top,
    /// so the next syncs name one head per document.
    fn merge_heads(&mut self, ctx: &Ctx) -> Result<()> {
        if !self.is_coordinator(ctx)? {
            return Ok(());
        }
        let mut staged = Vec::new();
        for id in store::multi_headed(&self.conn, &ctx.community.to_string())? {
            let mut s = self.stage(id)?;
            s.doc
                .empty_change(automerge::transaction::CommitOptions::default());
            staged.push(s);
        }
        self.commit(staged, &[])?;
        Ok(())
    }

    /// A digest of the shared heads this device saved for every document
    /// it shares with the peer, except those named in `mentioned` (they are
    /// being compared anyway). Both sides compute it over what they saved;
    /// equal digests mean they agree on everything not mentioned.
    pub fn sync_digest(&self, session: &PeerSync, mentioned: &BTreeSet<String>) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        // A device that cannot tell what it shares compares everything.
        let pair = self.pair(&session.peer).ok();
        let shares = |id: &DocId| pair.as_ref().is_some_and(|p| p.shares(id));
        let mut hash = Sha256::new();
        for (id, state) in &session.states {
            let name = id.to_string();
            if mentioned.contains(&name) || !shares(id) {
                continue;
            }
            hash.update(name.as_bytes());
            hash.update([0]);
            let mut heads = state.shared_heads.clone();
            heads.sort();
            for head in heads {
                hash.update(head.0);
            }
            hash.update([0]);
        }
        hash.finalize().into()
    }

    fn save_sync_states(&mut self, session: &PeerSync) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO sync_states(peer, doc_id, state) VALUES (?1, ?2, ?3)
                 ON CONFLICT(peer, doc_id) DO UPDATE SET state = excluded.state",
            )?;
            let peer = session.peer.to_hex();
            for (id, state) in &session.states {
                stmt.execute(params![peer, id.to_string(), state.encode()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// What this device's member has, before a sync, to tell them afterwards
/// what the sync brought ([`Engine::sync_summary`]).
#[derive(Debug, Clone, Default)]
pub struct SyncSnapshot {
    confirmed: bool,
    balance: i64,
    pending: usize,
    activities: BTreeSet<nabo_shared::ids::ActivityId>,
}

impl Engine {
    /// What the member has now (see [`SyncSnapshot`]).
    pub fn sync_snapshot(&self) -> Result<SyncSnapshot> {
        let Ok(ctx) = self.ctx() else {
            return Ok(SyncSnapshot::default());
        };
        let who = self.authority(&ctx)?;
        let wallet = self.wallet()?;
        Ok(SyncSnapshot {
            confirmed: who.member(&ctx.me).is_some() || who.is_coordinator(&ctx.me),
            balance: wallet.balance,
            pending: wallet
                .history
                .iter()
                .filter(|l| l.status == nabo_shared::rewards::LineStatus::Pending)
                .count(),
            activities: self.list_activities()?.into_iter().map(|a| a.id).collect(),
        })
    }

    /// What a sync brought the member, against the snapshot taken before it.
    pub fn sync_summary(
        &self,
        before: &SyncSnapshot,
        totals: nabo_shared::sync::SyncTotals,
    ) -> Result<nabo_shared::sync::SyncSummary> {
        let after = self.sync_snapshot()?;
        Ok(nabo_shared::sync::SyncSummary {
            confirmed_now: after.confirmed && !before.confirmed,
            points_in: u64::try_from(after.balance.saturating_sub(before.balance)).unwrap_or(0),
            checkins_settled: before.pending.saturating_sub(after.pending) as u32,
            new_activities: after.activities.difference(&before.activities).count() as u32,
            sent: totals.documents_out > 0,
            totals,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use nabo_shared::ids::CommunityId;

    /// A conversation with a peer that floods it with messages for
    /// documents not shared here.
    fn flooded() -> (PeerSync, Vec<DocId>, sync::Message) {
        let peer = MemberKey::of(&SigningKey::from_bytes(&[3; 32]));
        let session = PeerSync {
            peer,
            states: BTreeMap::new(),
            sent: BTreeSet::new(),
            quiet: true,
            engaged: BTreeSet::new(),
            stated: false,
            waiting: Vec::new(),
        };
        let community = CommunityId::from_bytes([9; 16]);
        let start = Utc
            .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
            .single()
            .expect("a time");
        let docs = (0..3)
            .map(|m| DocId::ledger(community, &peer, start + Duration::days(31 * m)))
            .collect();
        let mut doc = automerge::AutoCommit::new();
        let message = doc
            .sync()
            .generate_sync_message(&mut sync::State::new())
            .expect("a first message");
        (session, docs, message)
    }

    #[test]
    fn a_peer_that_floods_the_keep_aside_gets_no_more_than_its_bytes_kept() {
        let (mut session, docs, message) = flooded();
        // Three messages that say they are 30 MiB each: the third would
        // pass 64 MiB and is dropped, in one call or over several.
        let big = 30 * 1024 * 1024;
        session.keep_aside(vec![
            (docs[0], message.clone(), big),
            (docs[1], message.clone(), big),
        ]);
        session.keep_aside(vec![(docs[2], message.clone(), big)]);
        assert_eq!(session.waiting.len(), 2);
        // A small one still fits beside them.
        session.keep_aside(vec![(docs[2], message, 1024)]);
        assert_eq!(session.waiting.len(), 3);
        let kept: usize = session.waiting.iter().map(|(_, _, size)| size).sum();
        assert!(kept <= MAX_WAITING_BYTES);
    }

    #[test]
    fn a_peer_that_floods_the_keep_aside_gets_no_more_than_its_messages_kept() {
        let (mut session, docs, message) = flooded();
        let many = (0..MAX_DOCS_PER_ROUND + 10)
            .map(|_| (docs[0], message.clone(), 1))
            .collect();
        session.keep_aside(many);
        assert_eq!(session.waiting.len(), MAX_DOCS_PER_ROUND);
        session.keep_aside(vec![(docs[1], message, 1)]);
        assert_eq!(session.waiting.len(), MAX_DOCS_PER_ROUND);
    }
}
