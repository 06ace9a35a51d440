//! Live sync between two devices over the encrypted [`Channel`]: the
//! conversation they hold, and the dial from a phone that paired with a hub
//! (the hub that listens at the community house is in `hub.rs`).
//!
//! A conversation is a strict alternation of messages, each a batch of
//! Automerge sync messages (one per document that has something to say):
//! the dialling side speaks first; a side with nothing to add after taking
//! in a batch says `Done`. Each side brings up only the documents that moved
//! since the heads it shares with the other; the opening carries a digest of
//! the shared heads of all the rest, and if the other side's differs (a
//! device restored from a backup, a conversation cut earlier) both compare
//! every document. Each batch is committed (and projected) before
//! the answer is written, so a cut at any point keeps everything that arrived
//! and the next conversation picks up from the saved shared states.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use nabo_shared::api::Table;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::CommunityId;
use nabo_shared::sync::wire::Wire;
use nabo_shared::sync::{PairingCode, SyncPhase, SyncProblem, SyncProgress, SyncTotals};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::channel::{Channel, ChannelError, Refusal};
pub use super::hub::Hub;
use crate::engine::{Engine, EngineError, GateError, Refused};

/// The engine, shared by the UI's commands and the network.
pub type SharedEngine = Arc<Mutex<Engine>>;

/// Locks the engine. A panic while it was held cannot have left the store
/// half-written (SQLite rolled back), so a poisoned lock is still usable.
pub fn lock(engine: &SharedEngine) -> MutexGuard<'_, Engine> {
    engine.lock().unwrap_or_else(|e| e.into_inner())
}

/// The port a hub listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 47800;
/// How long to wait for a TCP connection to a hub address.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a hub waits for a connecting device's handshake messages.
pub(super) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a phone waits for a hub to take it in: the handshake and the
/// hub's verdict, which waits for the hub's store when a crowd syncs.
const ADMISSION_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for the other side's next message.
const ROUND_TIMEOUT: Duration = Duration::from_secs(30);
/// A conversation longer than this is a broken or hostile peer.
const MAX_ROUNDS: u32 = 512;

/// This device's addresses on the local network for a pairing code
/// (loopback only when there is nothing else), at most as many as a code
/// carries.
pub fn local_addresses() -> Vec<std::net::IpAddr> {
    let mut found: Vec<std::net::IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.ip())
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified() && ip.is_ipv4())
        .collect();
    found.sort();
    found.dedup();
    found.truncate(PairingCode::MAX_ADDRESSES);
    if found.is_empty() {
        found.push(std::net::Ipv4Addr::LOCALHOST.into());
    }
    found
}

/// Something to show about a sync as it goes: its progress, and the
/// projection tables it changed.
#[derive(Debug, Clone)]
pub struct SyncEvent {
    /// Where it is.
    pub progress: SyncProgress,
    /// Tables that changed since the last event.
    pub tables: Vec<Table>,
}

/// Where sync events go (the app forwards them to the UI; tests collect them).
pub type Events = Arc<dyn Fn(SyncEvent) + Send + Sync>;

/// Events nobody listens to.
pub fn no_events() -> Events {
    Arc::new(|_| {})
}

fn names(messages: &[(String, Vec<u8>)]) -> std::collections::BTreeSet<String> {
    messages.iter().map(|(name, _)| name.clone()).collect()
}

fn channel_problem(e: ChannelError) -> SyncProblem {
    match e {
        ChannelError::Io(_) => SyncProblem::Interrupted,
        ChannelError::Noise(e) => {
            log::warn!("sync: a frame did not decrypt: {e}");
            SyncProblem::Damaged
        }
        ChannelError::Protocol(what) => {
            log::warn!("sync: the other device broke the protocol: {what}");
            SyncProblem::Damaged
        }
        ChannelError::RefusedPeer(reason) => SyncProblem::RefusedPeer { reason },
        ChannelError::RefusedByPeer(reason) => SyncProblem::RefusedByPeer { reason },
    }
}

/// What the other device is told when the gate did not let it in. A
/// failure to check is this device's problem: it is logged as one, and the
/// other device hears "try again later", never "you were revoked".
pub(super) fn gate_verdict(
    verdict: Result<(), GateError>,
    device: &MemberKey,
) -> Result<(), Refusal> {
    match verdict {
        Ok(()) => Ok(()),
        Err(GateError::Refused(reason)) => Err(reason),
        Err(GateError::Failed(e)) => {
            log::error!("could not check device {}: {e}", device.key_id());
            Err(Refusal::Unavailable)
        }
    }
}

fn engine_problem(e: EngineError) -> SyncProblem {
    match e {
        EngineError::Refused(Refused::Sync(problem)) => problem,
        other => {
            log::error!("sync: {other}");
            SyncProblem::Storage
        }
    }
}

async fn send<S: AsyncRead + AsyncWrite + Unpin>(
    channel: &mut Channel<S>,
    wire: &Wire,
) -> Result<(), SyncProblem> {
    channel.send(&wire.encode()).await.map_err(channel_problem)
}

/// Holds one conversation on an established channel. Returns the counts;
/// on error, everything committed before it stays.
pub async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    channel: &mut Channel<S>,
    engine: &SharedEngine,
    initiator: bool,
    events: &Events,
) -> Result<SyncTotals, SyncProblem> {
    let peer = channel.peer();
    let name = lock(engine).member_name(&peer);
    let progress = |phase| SyncProgress {
        peer: peer.key_id().to_string(),
        name: name.clone(),
        phase,
    };
    let mut session = lock(engine).sync_start(peer).map_err(engine_problem)?;
    let mut totals = SyncTotals::default();
    if initiator {
        let (out, digest) = {
            let mut engine = lock(engine);
            let out = engine.sync_messages(&mut session).map_err(engine_problem)?;
            let digest = engine.sync_digest(&session, &names(&out));
            (out, digest)
        };
        send(
            channel,
            &Wire::Start {
                digest,
                messages: out,
            },
        )
        .await?;
    }
    loop {
        let bytes = timeout(ROUND_TIMEOUT, channel.recv())
            .await
            .map_err(|_| SyncProblem::Timeout)?
            .map_err(channel_problem)?;
        let Some(wire) = Wire::decode(&bytes) else {
            log::warn!("sync: {} sent an unreadable message", peer.key_id());
            return Err(SyncProblem::Damaged);
        };
        let opening = totals.rounds == 0;
        let (messages, answer_full) = match wire {
            Wire::Done => break,
            Wire::Round(messages) => (messages, false),
            Wire::Start { digest, messages } if opening && !initiator => {
                let mine = lock(engine).sync_digest(&session, &names(&messages));
                let differ = mine != digest;
                if differ {
                    log::info!("sync with {}: compares every document", peer.key_id());
                    session.compare_everything();
                }
                (messages, differ)
            }
            Wire::Full(messages) if opening && initiator => {
                session.compare_everything();
                (messages, false)
            }
            Wire::Start { .. } | Wire::Full(_) => {
                log::warn!("sync: {} opened out of turn", peer.key_id());
                return Err(SyncProblem::Damaged);
            }
        };
        totals.rounds += 1;
        if totals.rounds > MAX_ROUNDS {
            log::warn!(
                "sync: {} did not finish in {MAX_ROUNDS} rounds",
                peer.key_id()
            );
            return Err(SyncProblem::Damaged);
        }
        let (report, out, tables) = {
            let mut engine = lock(engine);
            let report = engine
                .sync_receive(&mut session, messages)
                .map_err(engine_problem)?;
            let out = engine.sync_messages(&mut session).map_err(engine_problem)?;
            (report, out, engine.take_changed())
        };
        totals.documents_in += report.documents;
        totals.records_in += report.records;
        totals.issued += report.issued;
        totals.documents_out = session.documents_sent();
        totals.bytes_in = channel.bytes_received();
        totals.bytes_out = channel.bytes_sent();
        events(SyncEvent {
            progress: progress(SyncPhase::Syncing { totals }),
            tables,
        });
        // With nothing to add, this side is done: the other side answered
        // everything it had with the batch just received, and has nothing
        // new to answer. So a sync with nothing new is one round trip.
        if answer_full {
            send(channel, &Wire::Full(out)).await?;
            continue;
        }
        if out.is_empty() {
            send(channel, &Wire::Done).await?;
            break;
        }
        send(channel, &Wire::Round(out)).await?;
    }
    totals.bytes_in = channel.bytes_received();
    totals.bytes_out = channel.bytes_sent();
    Ok(totals)
}

/// Records the outcome of a conversation with `peer` and tells the UI.
/// Records how a sync with a paired hub went, on its row.
fn record_hub(engine: &SharedEngine, hub: &PairingCode, outcome: &Result<SyncTotals, SyncProblem>) {
    let outcome = outcome.as_ref().map(|_| ()).map_err(|p| *p);
    if let Err(e) = lock(engine).record_hub(&hub.hub, outcome) {
        log::error!("could not record the sync with hub {}: {e}", hub.hub);
    }
}

pub(super) fn finish(
    engine: &SharedEngine,
    events: &Events,
    peer: &MemberKey,
    outcome: &Result<SyncTotals, SyncProblem>,
) {
    let (name, tables) = {
        let mut engine = lock(engine);
        if let Err(e) = engine.record_sync(peer, outcome.as_ref().map_err(|p| *p)) {
            log::error!("could not record the sync with {}: {e}", peer.key_id());
        }
        (engine.member_name(peer), engine.take_changed())
    };
    let phase = match outcome {
        Ok(totals) => SyncPhase::Done { totals: *totals },
        Err(problem) => SyncPhase::Failed { problem: *problem },
    };
    events(SyncEvent {
        progress: SyncProgress {
            peer: peer.key_id().to_string(),
            name,
            phase,
        },
        tables,
    });
}

pub(super) fn identity(
    engine: &SharedEngine,
) -> Result<(nabo_shared::crypto::SigningKey, CommunityId), SyncProblem> {
    let engine = lock(engine);
    let community = engine.community().map_err(engine_problem)?;
    Ok((engine.signing_key().clone(), community))
}

/// Dials a paired hub (each of its addresses in turn) and syncs with it.
pub async fn sync_with_hub(
    engine: &SharedEngine,
    hub: &PairingCode,
    events: &Events,
) -> Result<SyncTotals, SyncProblem> {
    sync_with_hub_from(engine, hub, None, events).await
}

/// Connects to `endpoint`, from the local address `from` when given (a
/// device with several addresses; the hub benchmark gives each simulated
/// phone an address of its own, as phones on the Wi-Fi have).
async fn dial(endpoint: SocketAddr, from: Option<IpAddr>) -> std::io::Result<TcpStream> {
    let Some(from) = from else {
        return TcpStream::connect(endpoint).await;
    };
    let socket = match from {
        IpAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        IpAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(endpoint).await
}

/// [`sync_with_hub`] from the local address `from`.
pub async fn sync_with_hub_from(
    engine: &SharedEngine,
    hub: &PairingCode,
    from: Option<IpAddr>,
    events: &Events,
) -> Result<SyncTotals, SyncProblem> {
    let (key, community) = identity(engine)?;
    if hub.community != community {
        return Err(SyncProblem::RefusedPeer {
            reason: Refusal::OtherCommunity,
        });
    }
    events(SyncEvent {
        progress: SyncProgress {
            peer: hub.hub.to_string(),
            name: None,
            phase: SyncPhase::Connecting,
        },
        tables: Vec::new(),
    });
    let ticket = lock(engine).join_ticket().map_err(engine_problem)?;
    let joining = !ticket.is_empty();
    let gate = |c: &CommunityId, d: &MemberKey, t: &[u8]| -> Result<(), Refusal> {
        // A device still joining may not know the hub's membership yet; it
        // trusts the hub it pinned by scanning its pairing code.
        gate_verdict(lock(engine).admit(c, d, t), d).or_else(|refusal| {
            match joining && d.key_id() == hub.hub && refusal != Refusal::Unavailable {
                true => Ok(()),
                false => Err(refusal),
            }
        })
    };
    let mut outcome = Err(SyncProblem::Unreachable);
    let mut reached = false;
    for endpoint in hub.endpoints() {
        let stream = match timeout(CONNECT_TIMEOUT, dial(endpoint, from)).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                log::info!("hub {} not at {endpoint}: {e}", hub.hub);
                continue;
            }
            Err(_) => {
                log::info!("hub {} not at {endpoint}: no answer", hub.hub);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let channel = timeout(
            ADMISSION_TIMEOUT,
            Channel::initiate_with_ticket(stream, &key, &ticket, community, Some(hub.hub), &gate),
        )
        .await;
        let mut channel = match channel {
            Err(_) => {
                outcome = Err(SyncProblem::Timeout);
                continue;
            }
            Ok(Err(e)) => {
                outcome = Err(channel_problem(e));
                break;
            }
            Ok(Ok(channel)) => channel,
        };
        let peer = channel.peer();
        let result = converse(&mut channel, engine, true, events).await;
        // Recorded before `finish`, whose event names the changed tables.
        record_hub(engine, hub, &result);
        finish(engine, events, &peer, &result);
        outcome = result;
        reached = true;
        break;
    }
    if let (Err(problem), false) = (&outcome, reached) {
        // Never reached: the hub's row records it, and the screen is told
        // (with the row's table, so it shows the failure).
        record_hub(engine, hub, &outcome);
        let tables = lock(engine).take_changed();
        events(SyncEvent {
            progress: SyncProgress {
                peer: hub.hub.to_string(),
                name: None,
                phase: SyncPhase::Failed { problem: *problem },
            },
            tables,
        });
    }
    outcome
}
