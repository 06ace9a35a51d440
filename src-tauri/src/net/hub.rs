//! The hub at the community house: it accepts phones on a TCP port and
//! syncs with each, and a crowd or an attacker on the Wi-Fi cannot block it.
//!
//! Accepting never waits: every connection gets its own task at once. A
//! connection must finish the handshake within [`HANDSHAKE_TIMEOUT`];
//! one address may hold [`MAX_PER_ADDRESS`] connections at once; and of
//! the connections still in their handshake at most [`MAX_HANDSHAKES`]
//! are kept, the oldest dropped to make room, since an honest phone
//! finishes its handshake in milliseconds. Only after the handshake (so
//! only members) does a connection take one of [`MAX_CONVERSATIONS`]
//! places, at most [`MAX_PER_DEVICE`] per device. Memory for a message
//! grows as its bytes arrive (see the channel).

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::CommunityId;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::AbortHandle;
use tokio::time::timeout;

use super::channel::{Channel, Refusal};
use super::sync::{
    converse, finish, gate_verdict, identity, lock, Events, SharedEngine, HANDSHAKE_TIMEOUT,
};

/// Connections in their handshake kept at once; a new one past this drops
/// the oldest.
pub const MAX_HANDSHAKES: usize = 256;
/// Connections one address may hold at once (handshaking or syncing).
pub const MAX_PER_ADDRESS: usize = 16;
/// Conversations at once, after the handshake.
pub const MAX_CONVERSATIONS: usize = 64;
/// Conversations one device may hold at once.
pub const MAX_PER_DEVICE: usize = 2;
/// How long the hub's verdict may take, its own checks and the peer taking
/// the answer (the hub's store may be busy with a crowd).
const VERDICT_TIMEOUT: Duration = Duration::from_secs(60);

/// A running hub.
pub struct Hub {
    address: SocketAddr,
    connected: Arc<AtomicU32>,
    task: tokio::task::JoinHandle<()>,
}

/// Who is at the door: connections per address, handshakes under way
/// (oldest first), conversations per device.
#[derive(Default)]
struct Crowd {
    per_address: HashMap<IpAddr, usize>,
    handshaking: VecDeque<(u64, AbortHandle)>,
    next: u64,
    per_device: HashMap<MemberKey, usize>,
}

struct Door {
    crowd: Mutex<Crowd>,
    conversations: Semaphore,
}

impl Door {
    fn crowd(&self) -> MutexGuard<'_, Crowd> {
        self.crowd.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A place for a connection from `ip`, unless that address holds too
    /// many already.
    fn enter(self: &Arc<Self>, ip: IpAddr) -> Option<AddressPlace> {
        let mut crowd = self.crowd();
        let held = crowd.per_address.entry(ip).or_default();
        if *held >= MAX_PER_ADDRESS {
            return None;
        }
        *held += 1;
        Some(AddressPlace {
            door: self.clone(),
            ip,
        })
    }

    /// Notes a connection in its handshake, dropping the oldest one if too
    /// many are.
    fn handshaking(&self, task: AbortHandle) -> u64 {
        let mut crowd = self.crowd();
        let id = crowd.next;
        crowd.next += 1;
        if crowd.handshaking.len() >= MAX_HANDSHAKES {
            if let Some((_, oldest)) = crowd.handshaking.pop_front() {
                oldest.abort();
            }
        }
        crowd.handshaking.push_back((id, task));
        id
    }

    /// The handshake of connection `id` is over (done, failed or dropped).
    fn handshake_over(&self, id: u64) {
        self.crowd().handshaking.retain(|(held, _)| *held != id);
    }

    /// A conversation place for `device`, unless it holds enough already.
    fn converse(self: &Arc<Self>, device: MemberKey) -> Option<DevicePlace> {
        let mut crowd = self.crowd();
        let held = crowd.per_device.entry(device).or_default();
        if *held >= MAX_PER_DEVICE {
            return None;
        }
        *held += 1;
        Some(DevicePlace {
            door: self.clone(),
            device,
        })
    }
}

/// One connection's share of its address's allowance, given back on drop.
struct AddressPlace {
    door: Arc<Door>,
    ip: IpAddr,
}

impl Drop for AddressPlace {
    fn drop(&mut self) {
        let mut crowd = self.door.crowd();
        if let Some(held) = crowd.per_address.get_mut(&self.ip) {
            *held -= 1;
            if *held == 0 {
                crowd.per_address.remove(&self.ip);
            }
        }
    }
}

/// One conversation's share of its device's allowance, given back on drop.
struct DevicePlace {
    door: Arc<Door>,
    device: MemberKey,
}

impl Drop for DevicePlace {
    fn drop(&mut self) {
        let mut crowd = self.door.crowd();
        if let Some(held) = crowd.per_device.get_mut(&self.device) {
            *held -= 1;
            if *held == 0 {
                crowd.per_device.remove(&self.device);
            }
        }
    }
}

impl Hub {
    /// Starts listening at `bind` (port 0 picks a free port).
    pub async fn start(
        engine: SharedEngine,
        bind: SocketAddr,
        events: Events,
    ) -> std::io::Result<Hub> {
        identity(&engine).map_err(|p| std::io::Error::other(p.to_string()))?;
        let listener = TcpListener::bind(bind).await?;
        let address = listener.local_addr()?;
        let connected = Arc::new(AtomicU32::new(0));
        let count = connected.clone();
        let door = Arc::new(Door {
            crowd: Mutex::new(Crowd::default()),
            conversations: Semaphore::new(MAX_CONVERSATIONS),
        });
        let task = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, from)) => {
                        let Some(place) = door.enter(from.ip()) else {
                            log::debug!("hub: {from} holds too many connections; closed");
                            continue;
                        };
                        let (engine, events, count, inner) =
                            (engine.clone(), events.clone(), count.clone(), door.clone());
                        // The task learns its own id before it starts.
                        let (id_tx, id_rx) = tokio::sync::oneshot::channel();
                        let task = tokio::spawn(async move {
                            let _place = place;
                            let Ok(id) = id_rx.await else { return };
                            serve(stream, from, id, &inner, &engine, &events, &count).await;
                        });
                        let id = door.handshaking(task.abort_handle());
                        let _ = id_tx.send(id);
                    }
                    Err(e) => {
                        log::warn!("hub: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        });
        log::info!("hub listening on {address}");
        Ok(Hub {
            address,
            connected,
            task,
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Devices syncing with it now.
    pub fn connected(&self) -> u32 {
        self.connected.load(Ordering::Relaxed)
    }

    /// Stops listening (conversations under way finish on their own).
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Marks the handshake of a connection over whichever way it ends, even
/// when its task is dropped.
struct Handshaking<'a> {
    door: &'a Door,
    id: u64,
}

impl Drop for Handshaking<'_> {
    fn drop(&mut self) {
        self.door.handshake_over(self.id);
    }
}

async fn serve(
    stream: TcpStream,
    from: SocketAddr,
    id: u64,
    door: &Arc<Door>,
    engine: &SharedEngine,
    events: &Events,
    count: &AtomicU32,
) {
    let handshaking = Handshaking { door, id };
    let _ = stream.set_nodelay(true);
    let Ok((key, community)) = identity(engine) else {
        return;
    };
    let gate = |c: &CommunityId, d: &MemberKey, ticket: &[u8]| -> Result<(), Refusal> {
        gate_verdict(lock(engine).admit(c, d, ticket), d)
    };
    // The deadline bounds what the peer must do (its handshake messages),
    // not the hub's own work: with a crowd at the door, the gate may wait
    // for the store while other phones sync, and an honest phone must not
    // be dropped for that.
    let heard = match timeout(HANDSHAKE_TIMEOUT, Channel::hear(stream, &key, community)).await {
        Err(_) => {
            log::info!("hub: {from} did not finish the handshake in time");
            return;
        }
        Ok(Err(e)) => {
            log::warn!("hub: {from}: {e}");
            return;
        }
        Ok(Ok(heard)) => heard,
    };
    drop(handshaking);
    let channel = match timeout(VERDICT_TIMEOUT, heard.decide(&gate)).await {
        Err(_) => {
            log::info!("hub: {from} did not take its verdict in time");
            return;
        }
        Ok(Err(e)) => {
            // Refused devices are logged with the reason; the device was told.
            log::warn!("hub: {from}: {e}");
            return;
        }
        Ok(Ok(channel)) => channel,
    };
    let mut channel = channel;
    let peer = channel.peer();
    let Some(_device_place) = door.converse(peer) else {
        log::warn!(
            "hub: {} holds too many conversations; closed",
            peer.key_id()
        );
        return;
    };
    let Ok(_conversation) = door.conversations.acquire().await else {
        return;
    };
    count.fetch_add(1, Ordering::Relaxed);
    log::info!("hub: syncing with {} at {from}", peer.key_id());
    let outcome = converse(&mut channel, engine, false, events).await;
    count.fetch_sub(1, Ordering::Relaxed);
    if let Err(problem) = &outcome {
        log::warn!("hub: sync with {} failed: {problem}", peer.key_id());
    }
    finish(engine, events, &peer, &outcome);
}
