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

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync::{self, SyncDoc};
use automerge::AutoCommit;
use chrono::{DateTime, Utc};
use nabo_shared::api::{
    ApiError, KnownHub, PeerView, SyncProblem, SyncStatus, SyncTotals, SYNC_TABLE,
};
use nabo_shared::codes::{PairingCode, Scanned, ShortCode};
use nabo_shared::crypto::{KeyId, MemberKey, SigningKey};
use nabo_shared::ids::CommunityId;
use rusqlite::params;

use super::projection::ts;
use super::{queries, store, DocId, Engine, EngineError, Result};

/// The most documents one sync message may carry (a bound on a hostile
/// peer; a coordinator's device holds two documents per member and month).
pub const MAX_DOCS_PER_ROUND: usize = 65_536;

/// The sync states of one conversation with one peer.
#[derive(Debug)]
pub struct PeerSync {
    peer: MemberKey,
    /// Whether the peer is a coordinator (it may hold every document).
    peer_coordinator: bool,
    /// Whether this device is one.
    me_coordinator: bool,
    states: BTreeMap<DocId, sync::State>,
    sent: BTreeSet<DocId>,
    /// Only documents with news are brought up (see the module docs).
    quiet: bool,
    /// Documents this conversation has spoken about.
    engaged: BTreeSet<DocId>,
}

impl PeerSync {
    /// The other device.
    pub fn peer(&self) -> MemberKey {
        self.peer
    }

    /// Whether a document may pass between this device and the peer: both
    /// may hold it (coordinators hold all; members the community document
    /// and their own).
    fn shares(&self, me: &MemberKey, id: &DocId) -> bool {
        id.visible_to(&self.peer, self.peer_coordinator) && id.visible_to(me, self.me_coordinator)
    }

    /// From now on every shared document is compared, changed or not.
    pub fn compare_everything(&mut self) {
        self.quiet = false;
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

fn problem(problem: SyncProblem) -> EngineError {
    ApiError::SyncFailed { problem }.into()
}

impl Engine {
    /// This device's signing key, for the network handshake.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The community this device belongs to.
    pub fn community(&self) -> Result<CommunityId> {
        Ok(self.ctx()?.community)
    }

    /// Starts a conversation with `peer` from the states saved last time.
    pub fn sync_start(&mut self, peer: MemberKey) -> Result<PeerSync> {
        let ctx = self.ctx()?;
        let coordinators = queries::coordinators(&self.conn, &ctx)?;
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
            peer_coordinator: coordinators.contains(&peer),
            me_coordinator: coordinators.contains(&ctx.me),
            states,
            sent: BTreeSet::new(),
            quiet: true,
            engaged: BTreeSet::new(),
        })
    }

    fn doc_mut(&mut self, id: DocId) -> Result<&mut AutoCommit> {
        if !self.docs.contains_key(&id) {
            let doc = store::load_doc(&self.conn, &id)?.unwrap_or_default();
            self.docs.insert(id, doc);
        }
        Ok(self.docs.get_mut(&id).expect("just inserted"))
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
        ids.retain(|id| session.shares(&ctx.me, id));
        let mut out = Vec::new();
        for id in ids {
            let doc = self.doc_mut(id)?;
            let unchanged = session
                .states
                .get(&id)
                .is_some_and(|state| state.shared_heads == doc.get_heads());
            if session.quiet && unchanged && !session.engaged.contains(&id) {
                continue;
            }
            session.engaged.insert(id);
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
        let mut decoded = Vec::with_capacity(messages.len());
        for (name, bytes) in messages {
            let id = DocId::parse(&name).ok_or_else(|| problem(SyncProblem::Damaged))?;
            if id.community != ctx.community {
                return Err(problem(SyncProblem::OtherCommunity));
            }
            let message =
                sync::Message::decode(&bytes).map_err(|_| problem(SyncProblem::Damaged))?;
            if !session.shares(&ctx.me, &id) {
                // Not for this pair of devices (another member's records):
                // left alone, and not answered.
                log::warn!(
                    "sync: {} sent {id}, which it does not share here",
                    session.peer.key_id()
                );
                continue;
            }
            session.engaged.insert(id);
            decoded.push((id, message));
        }
        // Work on copies of the states too: a refused batch leaves the
        // conversation where it was.
        let mut states = BTreeMap::new();
        let mut staged = Vec::new();
        for (id, message) in decoded {
            let i = self.stage_into(&mut staged, id)?;
            let state = states
                .entry(id)
                .or_insert_with(|| session.states.get(&id).cloned().unwrap_or_default());
            staged[i]
                .doc
                .sync()
                .receive_sync_message(state, message)
                .map_err(|_| problem(SyncProblem::Damaged))?;
        }
        let committed = self.commit(staged, &[])?;
        session.states.extend(states);
        self.save_sync_states(session)?;
        // Only what arrived can need confirming, rewarding or tying together.
        let (confirmed, rewarded) = if committed.documents > 0 {
            let (confirmed, rewarded, _capped) = self.reconcile()?;
            self.merge_heads(&ctx)?;
            (confirmed, rewarded)
        } else {
            (0, 0)
        };
        Ok(RoundReport {
            documents: committed.documents,
            records: committed.records,
            issued: confirmed + rewarded,
        })
    }

    /// Phones add check-ins side by side, so a hub's documents end up with
    /// one head per phone, and every sync message names them all. A
    /// coordinator's device ties them together with an empty change on top,
    /// so the next syncs name one head per document.
    fn merge_heads(&mut self, ctx: &super::Ctx) -> Result<()> {
        if !queries::coordinators(&self.conn, ctx)?.contains(&ctx.me) {
            return Ok(());
        }
        let mut staged = Vec::new();
        for id in store::doc_ids(&self.conn, &ctx.community.to_string())? {
            if self.doc_mut(id)?.get_heads().len() > 1 {
                let mut s = self.stage(id)?;
                s.doc
                    .empty_change(automerge::transaction::CommitOptions::default());
                staged.push(s);
            }
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
        let me = self.device_key();
        let mut hash = Sha256::new();
        for (id, state) in &session.states {
            let name = id.to_string();
            if mentioned.contains(&name) || !session.shares(&me, id) {
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

    /// Records how a sync with `peer` ended, for the sync screen.
    pub fn record_sync(
        &mut self,
        peer: &MemberKey,
        outcome: std::result::Result<&SyncTotals, SyncProblem>,
    ) -> Result<()> {
        let now = ts(self.now());
        let (error, totals) = match outcome {
            Ok(totals) => (
                None,
                Some(serde_json::to_string(totals).unwrap_or_default()),
            ),
            Err(problem) => (
                Some(serde_json::to_string(&problem).unwrap_or_default()),
                None,
            ),
        };
        self.conn.execute(
            "INSERT INTO peers(device, last_attempt, last_sync, last_error, last_totals)
             VALUES (?1, ?2, CASE WHEN ?3 IS NULL THEN ?2 END, ?3, COALESCE(?4, '{}'))
             ON CONFLICT(device) DO UPDATE SET
                last_attempt = excluded.last_attempt,
                last_sync = CASE WHEN ?3 IS NULL THEN ?2 ELSE peers.last_sync END,
                last_error = ?3,
                last_totals = COALESCE(?4, peers.last_totals)",
            params![peer.to_hex(), now, error, totals],
        )?;
        self.changed.insert(SYNC_TABLE);
        Ok(())
    }

    /// Devices synced with, latest first.
    pub fn peers(&self) -> Result<Vec<PeerView>> {
        let ctx = self.ctx()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT device, last_attempt, last_sync, last_error, last_totals
             FROM peers ORDER BY last_attempt DESC, device",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (device, attempt, sync, error, totals) in rows {
            let Some(key) = MemberKey::from_hex(&device) else {
                continue;
            };
            out.push(PeerView {
                device: key.key_id().to_string(),
                name: queries::member_name(&self.conn, &ctx, &key)?,
                last_sync: sync.as_deref().and_then(time),
                last_attempt: time(&attempt).unwrap_or_default(),
                last_error: error.and_then(|e| serde_json::from_str(&e).ok()),
                last_totals: serde_json::from_str(&totals).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Remembers a hub from its pairing QR code or typed short code.
    pub fn pair_hub(&mut self, text: &str) -> Result<KnownHub> {
        let ctx = self.ctx()?;
        let code = match ShortCode::parse(text) {
            Some(short) => short.pairing(ctx.community),
            None => match Scanned::parse(text) {
                Ok(Scanned::Pairing(code)) => code,
                Ok(_) => return Err(ApiError::WrongKindOfCode.into()),
                Err(problem) if text.trim().starts_with(char::is_numeric) => {
                    log::debug!("not a pairing code ({problem}), nor a short code");
                    return Err(ApiError::BadShortCode.into());
                }
                Err(problem) => return Err(ApiError::UnreadableCode { problem }.into()),
            },
        };
        self.remember_hub(&ctx.community, code)
    }

    pub(crate) fn remember_hub(
        &mut self,
        community: &CommunityId,
        code: PairingCode,
    ) -> Result<KnownHub> {
        if code.community != *community {
            return Err(ApiError::HubOfOtherCommunity.into());
        }
        if code.hub == self.device_key().key_id() {
            // This device's own hub: nothing to pair.
            return Err(ApiError::WrongKindOfCode.into());
        }
        let now = self.now();
        self.conn.execute(
            "INSERT INTO hubs(key_id, code, paired_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(key_id) DO UPDATE SET code = excluded.code",
            params![code.hub.to_string(), code.encode(), ts(now)],
        )?;
        self.changed.insert(SYNC_TABLE);
        Ok(known_hub(&code, now, None, None, None))
    }

    /// Records how an attempt to sync with a paired hub ended.
    pub fn record_hub(
        &mut self,
        hub: &KeyId,
        outcome: std::result::Result<(), SyncProblem>,
    ) -> Result<()> {
        let now = ts(self.now());
        let error = outcome
            .err()
            .map(|p| serde_json::to_string(&p).unwrap_or_default());
        self.conn.execute(
            "UPDATE hubs SET last_attempt = ?2,
                last_sync = CASE WHEN ?3 IS NULL THEN ?2 ELSE last_sync END,
                last_error = ?3
             WHERE key_id = ?1",
            params![hub.to_string(), now, error],
        )?;
        self.changed.insert(SYNC_TABLE);
        Ok(())
    }

    /// Forgets a paired hub.
    pub fn forget_hub(&mut self, key_id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM hubs WHERE key_id = ?1", [key_id])?;
        self.changed.insert(SYNC_TABLE);
        Ok(())
    }

    /// Paired hubs with their pairing codes, newest first.
    pub fn hubs(&self) -> Result<Vec<(PairingCode, KnownHub)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, paired_at, last_attempt, last_sync, last_error
             FROM hubs ORDER BY paired_at DESC, key_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(code, at, attempt, sync, error)| match Scanned::parse(&code) {
                    Ok(Scanned::Pairing(code)) => {
                        let hub = known_hub(
                            &code,
                            time(&at).unwrap_or_default(),
                            attempt.as_deref().and_then(time),
                            sync.as_deref().and_then(time),
                            error.and_then(|e| serde_json::from_str(&e).ok()),
                        );
                        Some((code, hub))
                    }
                    _ => None,
                },
            )
            .collect())
    }

    /// The sync screen's lists (the hub part is filled in by whoever runs it).
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(SyncStatus {
            hub: None,
            hubs: self.hubs()?.into_iter().map(|(_, hub)| hub).collect(),
            peers: self.peers()?,
        })
    }

    /// The pairing code for this device's hub listening on `port` at `addresses`.
    pub fn pairing_code(&self, addresses: Vec<std::net::IpAddr>, port: u16) -> Result<PairingCode> {
        Ok(PairingCode {
            community: self.ctx()?.community,
            hub: self.device_key().key_id(),
            addresses,
            port,
        })
    }

    /// A pairing code as a QR code to show.
    pub fn pairing_qr(&self, code: &PairingCode) -> Result<nabo_shared::api::QrView> {
        let text = code.encode();
        Ok(nabo_shared::api::QrView {
            svg: super::qr::svg(&text)?,
            text,
            // A pairing code does not expire; it names the hub until it moves.
            expires_at: self.now() + chrono::Duration::days(3650),
            title: self
                .status()?
                .profile
                .map(|p| p.community_name)
                .unwrap_or_default(),
        })
    }

    /// The changes other devices made that arrived here since `before` (the
    /// heads of [`Engine::doc_heads`] then): how many, and their size as
    /// Automerge encodes them (compressed change chunks). Benchmarks compare
    /// bytes on the wire with this.
    pub fn received_since(
        &mut self,
        before: &BTreeMap<String, Vec<automerge::ChangeHash>>,
    ) -> Result<(u64, u64)> {
        let (mut count, mut bytes) = (0, 0);
        for id in store::all_doc_ids(&self.conn)? {
            let heads = before.get(&id.to_string()).cloned().unwrap_or_default();
            let actor = self.actor.clone();
            let doc = self.doc_mut(id)?;
            for change in doc.get_changes(&heads) {
                if *change.actor_id() != actor {
                    count += 1;
                    bytes += change.raw_bytes().len() as u64;
                }
            }
        }
        Ok((count, bytes))
    }

    /// The name of a member device, if it is one.
    pub fn member_name(&self, device: &MemberKey) -> Option<String> {
        let ctx = self.ctx().ok()?;
        queries::member_name(&self.conn, &ctx, device)
            .ok()
            .flatten()
    }
}

/// The short code of the first endpoint of a pairing code.
pub fn short_code(code: &PairingCode) -> Option<ShortCode> {
    code.endpoints().first().map(|endpoint| ShortCode {
        endpoint: *endpoint,
        hub: code.hub,
    })
}

fn known_hub(
    code: &PairingCode,
    paired_at: DateTime<Utc>,
    last_attempt: Option<DateTime<Utc>>,
    last_sync: Option<DateTime<Utc>>,
    last_error: Option<SyncProblem>,
) -> KnownHub {
    KnownHub {
        key_id: code.hub.to_string(),
        endpoints: code.endpoints().iter().map(|e| e.to_string()).collect(),
        short_code: short_code(code).map(|c| c.to_string()).unwrap_or_default(),
        paired_at,
        last_attempt,
        last_sync,
        last_error,
    }
}

fn time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
