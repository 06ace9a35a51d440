//! An encrypted channel between two devices of the same community, over any
//! byte stream (a TCP connection on the community house's network).
//!
//! The handshake is Noise XX (X25519, ChaCha20-Poly1305, BLAKE2s) with a
//! fresh X25519 key per connection. Each side's handshake payload is a
//! [`Hello`]: its community, its ed25519 device key, and that device key's
//! signature over the X25519 key it is using. Noise proves each side holds
//! its X25519 key; the signature binds that key to the device identity.
//! Before any application byte moves, each side asks its gate whether the
//! other device is a current member; a refusal closes the connection, and
//! the initiator is told why. Application messages of any size are split
//! into Noise frames (at most 65535 bytes, length-prefixed on the wire).

use nabo_shared::crypto::{sign, KeyId, MemberKey, Signature, SigningKey};
use nabo_shared::ids::CommunityId;
use serde::{Deserialize, Serialize};
use snow::{HandshakeState, TransportState};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const NOISE: &str = "Noise_XX_25519_ChaChaPoly_BLAKE2s";
const PROLOGUE: &[u8] = b"nabo/channel/v1";
const BINDING_DOMAIN: &str = "nabo/channel-static-key/v1";
const MAX_FRAME: usize = 65535;
const TAG_LEN: usize = 16;
const MAX_CHUNK: usize = MAX_FRAME - TAG_LEN;
/// The largest application message accepted: a bound on what a peer can make
/// this device buffer.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

pub use nabo_shared::api::Refusal;

/// What can go wrong on a channel.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The connection failed or closed.
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    /// The Noise handshake or a frame's decryption failed: a broken or
    /// hostile peer.
    #[error("encryption: {0}")]
    Noise(#[from] snow::Error),
    /// This side refused the peer.
    #[error("refused the peer: {0}")]
    RefusedPeer(Refusal),
    /// The peer refused this device.
    #[error("refused by the peer: {0}")]
    RefusedByPeer(Refusal),
    /// The peer sent something that is not part of the protocol.
    #[error("the peer broke the protocol: {0}")]
    Protocol(&'static str),
}

/// Decides whether a device may connect: `Ok` for a current member of
/// `community`.
/// The third argument is the peer's ticket: what a device that is not a
/// member yet shows to be let in (its signed join request), else empty.
pub type Gate<'a> =
    &'a (dyn Fn(&CommunityId, &MemberKey, &[u8]) -> Result<(), Refusal> + Send + Sync);

/// A handshake payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Hello {
    community: CommunityId,
    device: MemberKey,
    binding: Signature,
    ticket: Vec<u8>,
}

impl Hello {
    fn new(me: &SigningKey, community: CommunityId, noise_public: &[u8], ticket: &[u8]) -> Self {
        Self {
            community,
            device: MemberKey::of(me),
            binding: sign(me, BINDING_DOMAIN, noise_public),
            ticket: ticket.to_vec(),
        }
    }

    fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("hellos always serialize")
    }
}

/// An established channel.
pub struct Channel<S> {
    io: S,
    noise: TransportState,
    peer: MemberKey,
    sent: u64,
    received: u64,
}

impl<S: AsyncRead + AsyncWrite + Unpin> std::fmt::Debug for Channel<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel").field("peer", &self.peer).finish()
    }
}

async fn write_frame<S: AsyncWrite + Unpin>(io: &mut S, frame: &[u8]) -> Result<(), ChannelError> {
    let len = u16::try_from(frame.len()).map_err(|_| ChannelError::Protocol("frame too long"))?;
    io.write_all(&len.to_be_bytes()).await?;
    io.write_all(frame).await?;
    io.flush().await?;
    Ok(())
}

async fn read_frame<S: AsyncRead + Unpin>(io: &mut S) -> Result<Vec<u8>, ChannelError> {
    let mut len = [0; 2];
    io.read_exact(&mut len).await?;
    let mut frame = vec![0; usize::from(u16::from_be_bytes(len))];
    io.read_exact(&mut frame).await?;
    Ok(frame)
}

fn handshake(initiator: bool) -> Result<(HandshakeState, Vec<u8>), ChannelError> {
    let params = NOISE.parse().map_err(ChannelError::Noise)?;
    let builder = snow::Builder::new(params);
    let keys = builder.generate_keypair()?;
    let builder = builder
        .local_private_key(&keys.private)?
        .prologue(PROLOGUE)?;
    let state = if initiator {
        builder.build_initiator()?
    } else {
        builder.build_responder()?
    };
    Ok((state, keys.public))
}

/// Checks the peer's hello against the key Noise authenticated.
fn check_hello(
    payload: &[u8],
    state: &HandshakeState,
    community: &CommunityId,
    expected: Option<KeyId>,
    gate: Gate<'_>,
) -> Result<MemberKey, ChannelError> {
    let hello: Hello =
        postcard::from_bytes(payload).map_err(|_| ChannelError::Protocol("unreadable hello"))?;
    let noise_key = state
        .get_remote_static()
        .ok_or(ChannelError::Protocol("no static key"))?;
    let refuse = ChannelError::RefusedPeer;
    if hello
        .device
        .verify(BINDING_DOMAIN, noise_key, &hello.binding)
        .is_err()
    {
        return Err(refuse(Refusal::BadIdentity));
    }
    if hello.community != *community {
        return Err(refuse(Refusal::OtherCommunity));
    }
    if expected.is_some_and(|id| id != hello.device.key_id()) {
        return Err(refuse(Refusal::UnexpectedPeer));
    }
    gate(community, &hello.device, &hello.ticket).map_err(refuse)?;
    Ok(hello.device)
}

const ADMITTED: u8 = 0;
const REFUSED: u8 = 1;

impl<S: AsyncRead + AsyncWrite + Unpin> Channel<S> {
    /// Opens a channel to a listening device. `expected` pins the peer (the
    /// key id from a pairing QR code).
    pub async fn initiate(
        io: S,
        me: &SigningKey,
        community: CommunityId,
        expected: Option<KeyId>,
        gate: Gate<'_>,
    ) -> Result<Self, ChannelError> {
        Self::initiate_with_ticket(io, me, &[], community, expected, gate).await
    }

    /// [`Channel::initiate`], showing `ticket` to the listener's gate.
    pub async fn initiate_with_ticket(
        mut io: S,
        me: &SigningKey,
        ticket: &[u8],
        community: CommunityId,
        expected: Option<KeyId>,
        gate: Gate<'_>,
    ) -> Result<Self, ChannelError> {
        let (mut state, public) = handshake(true)?;
        let mut buf = vec![0; MAX_FRAME];
        let n = state.write_message(&[], &mut buf)?;
        write_frame(&mut io, &buf[..n]).await?;

        let frame = read_frame(&mut io).await?;
        let mut payload = vec![0; MAX_FRAME];
        let n = state.read_message(&frame, &mut payload)?;
        let peer = check_hello(&payload[..n], &state, &community, expected, gate)?;

        let hello = Hello::new(me, community, &public, ticket);
        let n = state.write_message(&hello.encode(), &mut buf)?;
        write_frame(&mut io, &buf[..n]).await?;
        let mut channel = Self {
            io,
            noise: state.into_transport_mode()?,
            peer,
            sent: 0,
            received: 0,
        };
        // The listener answers whether it let this device in.
        let verdict = channel.recv().await.map_err(|e| match e {
            ChannelError::Io(_) => ChannelError::Protocol("closed before admitting"),
            other => other,
        })?;
        match verdict.as_slice() {
            [ADMITTED] => Ok(channel),
            [REFUSED, rest @ ..] => Err(ChannelError::RefusedByPeer(
                postcard::from_bytes(rest)
                    .map_err(|_| ChannelError::Protocol("unreadable refusal"))?,
            )),
            _ => Err(ChannelError::Protocol("unexpected verdict")),
        }
    }

    /// Accepts a channel from a connecting device.
    pub async fn respond(
        mut io: S,
        me: &SigningKey,
        community: CommunityId,
        gate: Gate<'_>,
    ) -> Result<Self, ChannelError> {
        let (mut state, public) = handshake(false)?;
        let mut buf = vec![0; MAX_FRAME];
        let mut payload = vec![0; MAX_FRAME];
        let frame = read_frame(&mut io).await?;
        state.read_message(&frame, &mut payload)?;
        let hello = Hello::new(me, community, &public, &[]);
        let n = state.write_message(&hello.encode(), &mut buf)?;
        write_frame(&mut io, &buf[..n]).await?;

        let frame = read_frame(&mut io).await?;
        let n = state.read_message(&frame, &mut payload)?;
        let checked = check_hello(&payload[..n], &state, &community, None, gate);
        let mut channel = Self {
            io,
            noise: state.into_transport_mode()?,
            peer: MemberKey([0; 32]),
            sent: 0,
            received: 0,
        };
        match checked {
            Ok(peer) => {
                channel.peer = peer;
                channel.send(&[ADMITTED]).await?;
                Ok(channel)
            }
            Err(ChannelError::RefusedPeer(reason)) => {
                let mut message = vec![REFUSED];
                message.extend(postcard::to_allocvec(&reason).expect("refusals serialize"));
                // Best effort: the peer may already be gone.
                let _ = channel.send(&message).await;
                Err(ChannelError::RefusedPeer(reason))
            }
            Err(other) => Err(other),
        }
    }

    /// The authenticated peer device.
    pub fn peer(&self) -> MemberKey {
        self.peer
    }

    /// Sends one message (any size up to [`MAX_MESSAGE`]).
    pub async fn send(&mut self, message: &[u8]) -> Result<(), ChannelError> {
        for frame in encrypt_message(&mut self.noise, message)? {
            write_frame(&mut self.io, &frame).await?;
            self.sent += 2 + frame.len() as u64;
        }
        Ok(())
    }

    /// Receives one message.
    pub async fn recv(&mut self) -> Result<Vec<u8>, ChannelError> {
        let noise = &mut self.noise;
        let (message, bytes) =
            read_message(&mut self.io, |frame, out| noise.read_message(frame, out)).await?;
        self.received += bytes;
        Ok(message)
    }

    /// Bytes sent on the wire since the handshake (frames and their lengths).
    pub fn bytes_sent(&self) -> u64 {
        self.sent
    }

    /// Bytes received on the wire since the handshake.
    pub fn bytes_received(&self) -> u64 {
        self.received
    }
}

/// Splits a message into encrypted frames: a 4-byte length, then the body,
/// in chunks that fit one Noise message each.
fn encrypt_message(
    noise: &mut TransportState,
    message: &[u8],
) -> Result<Vec<Vec<u8>>, ChannelError> {
    if message.len() > MAX_MESSAGE {
        return Err(ChannelError::Protocol("message too large"));
    }
    let mut plain = Vec::with_capacity(4 + message.len());
    plain.extend_from_slice(&(message.len() as u32).to_be_bytes());
    plain.extend_from_slice(message);
    let mut frames = Vec::with_capacity(plain.len() / MAX_CHUNK + 1);
    let mut buf = vec![0; MAX_FRAME];
    for chunk in plain.chunks(MAX_CHUNK) {
        let n = noise.write_message(chunk, &mut buf)?;
        frames.push(buf[..n].to_vec());
    }
    Ok(frames)
}

/// Reads frames until one whole message is decrypted; also returns the
/// bytes read from the wire.
async fn read_message<R: AsyncRead + Unpin>(
    io: &mut R,
    mut decrypt: impl FnMut(&[u8], &mut [u8]) -> Result<usize, snow::Error>,
) -> Result<(Vec<u8>, u64), ChannelError> {
    let mut plain = vec![0; MAX_FRAME];
    let frame = read_frame(io).await?;
    let mut wire = 2 + frame.len() as u64;
    let n = decrypt(&frame, &mut plain)?;
    if n < 4 {
        return Err(ChannelError::Protocol("message header cut short"));
    }
    let len = u32::from_be_bytes([plain[0], plain[1], plain[2], plain[3]]) as usize;
    if len > MAX_MESSAGE {
        return Err(ChannelError::Protocol("message too large"));
    }
    let mut message = Vec::with_capacity(len);
    message.extend_from_slice(&plain[4..n]);
    while message.len() < len {
        let frame = read_frame(io).await?;
        wire += 2 + frame.len() as u64;
        let n = decrypt(&frame, &mut plain)?;
        message.extend_from_slice(&plain[..n]);
    }
    if message.len() != len {
        return Err(ChannelError::Protocol("message longer than announced"));
    }
    Ok((message, wire))
}

/// The samod peer id of a device: derived from its key, so a transport can
/// insist that the automerge-repo handshake names the device the channel
/// authenticated.
pub fn peer_id(device: &MemberKey) -> samod::PeerId {
    samod::PeerId::from(format!("nabo-{}", device.to_hex()))
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Channel<S> {
    /// Turns the channel into a samod transport whose handshake must come
    /// from the authenticated peer.
    pub fn into_transport(self) -> samod::Transport {
        use futures::{sink, stream};
        use std::sync::{Arc, Mutex};

        let expected = peer_id(&self.peer);
        let (read, write) = tokio::io::split(self.io);
        // Each direction has its own cipher state inside; the lock is held
        // only while a frame is encrypted or decrypted, never across I/O.
        let noise = Arc::new(Mutex::new(self.noise));
        let incoming = stream::unfold(Some((read, noise.clone())), |state| async move {
            let (mut read, noise) = state?;
            let result = read_message(&mut read, |frame, out| {
                noise
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .read_message(frame, out)
            })
            .await;
            match result {
                Ok((message, _)) => Some((Ok(message), Some((read, noise)))),
                // The peer hung up: the stream simply ends.
                Err(ChannelError::Io(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => None,
                // Anything else is reported once, then the stream ends.
                Err(e) => Some((Err(e), None)),
            }
        });
        let outgoing = sink::unfold(
            (write, noise),
            |(mut write, noise), message: Vec<u8>| async move {
                let frames = encrypt_message(
                    &mut noise.lock().unwrap_or_else(|e| e.into_inner()),
                    &message,
                )?;
                for frame in frames {
                    write_frame(&mut write, &frame).await?;
                }
                Ok::<_, ChannelError>((write, noise))
            },
        );
        samod::Transport::new(Box::pin(incoming), Box::pin(outgoing))
            .with_expected_peer_id(expected)
    }
}

/// Who may connect, shared with the tasks that run connections.
pub type SharedGate =
    std::sync::Arc<dyn Fn(&CommunityId, &MemberKey, &[u8]) -> Result<(), Refusal> + Send + Sync>;

/// Dials a listening device over TCP and the encrypted channel, for
/// `samod::Repo::dial` (which reconnects with backoff).
pub struct ChannelDialer {
    /// Where the listening device is.
    pub address: std::net::SocketAddr,
    /// This device's key.
    pub key: SigningKey,
    /// This device's community.
    pub community: CommunityId,
    /// The listening device's pinned key id, from pairing.
    pub expected: Option<KeyId>,
    /// Who this device accepts as the other side.
    pub gate: SharedGate,
}

impl samod::Dialer for ChannelDialer {
    type Error = ChannelError;

    fn url(&self) -> samod::Url {
        samod::Url::parse(&format!("nabo://{}", self.address))
            .expect("a socket address makes a URL")
    }

    fn connect(
        &self,
    ) -> futures::future::BoxFuture<'static, Result<samod::Transport, samod::DialError<ChannelError>>>
    {
        let (address, key, community, expected, gate) = (
            self.address,
            self.key.clone(),
            self.community,
            self.expected,
            self.gate.clone(),
        );
        Box::pin(async move {
            let socket = tokio::net::TcpStream::connect(address)
                .await
                .map_err(samod::DialError::transient)?;
            match Channel::initiate(socket, &key, community, expected, &*gate).await {
                Ok(channel) => Ok(channel.into_transport()),
                // Being refused will not change by retrying.
                Err(e @ (ChannelError::RefusedPeer(_) | ChannelError::RefusedByPeer(_))) => {
                    Err(samod::DialError::PermanentFailure(e))
                }
                Err(e) => Err(samod::DialError::transient(e)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::duplex;

    fn community() -> CommunityId {
        CommunityId::from_bytes([1; 16])
    }

    fn members(
        keys: &[&SigningKey],
    ) -> impl Fn(&CommunityId, &MemberKey, &[u8]) -> Result<(), Refusal> + Send + Sync {
        let allowed: Vec<MemberKey> = keys.iter().map(|k| MemberKey::of(k)).collect();
        move |_, device, _| {
            if allowed.contains(device) {
                Ok(())
            } else {
                Err(Refusal::NotMember)
            }
        }
    }

    async fn connect(
        phone: &SigningKey,
        phone_community: CommunityId,
        hub: &SigningKey,
        hub_gate: Gate<'_>,
        phone_gate: Gate<'_>,
        expected: Option<KeyId>,
    ) -> (
        Result<Channel<tokio::io::DuplexStream>, ChannelError>,
        Result<Channel<tokio::io::DuplexStream>, ChannelError>,
    ) {
        let (a, b) = duplex(1 << 16);
        tokio::join!(
            Channel::initiate(a, phone, phone_community, expected, phone_gate),
            Channel::respond(b, hub, community(), hub_gate),
        )
    }

    #[tokio::test]
    async fn members_connect_and_exchange_messages_of_any_size() {
        let (hub, phone) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let gate = members(&[&hub, &phone]);
        let (p, h) = connect(
            &phone,
            community(),
            &hub,
            &gate,
            &gate,
            Some(MemberKey::of(&hub).key_id()),
        )
        .await;
        let (mut p, mut h) = (p.unwrap(), h.unwrap());
        assert_eq!(p.peer(), MemberKey::of(&hub));
        assert_eq!(h.peer(), MemberKey::of(&phone));
        let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let (sent, got) = tokio::join!(p.send(&big), h.recv());
        sent.unwrap();
        assert_eq!(got.unwrap(), big);
        let (sent, got) = tokio::join!(h.send(b""), p.recv());
        sent.unwrap();
        assert_eq!(got.unwrap(), b"");
    }

    #[tokio::test]
    async fn a_non_member_is_refused_and_told_why() {
        let (hub, stranger) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[3; 32]),
        );
        let hub_gate = members(&[&hub]);
        let phone_gate = members(&[&hub, &stranger]);
        let (p, h) = connect(&stranger, community(), &hub, &hub_gate, &phone_gate, None).await;
        assert!(matches!(
            h,
            Err(ChannelError::RefusedPeer(Refusal::NotMember))
        ));
        assert!(
            matches!(p, Err(ChannelError::RefusedByPeer(Refusal::NotMember))),
            "{p:?}"
        );
    }

    #[tokio::test]
    async fn another_communitys_device_is_refused() {
        let (hub, phone) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let gate = members(&[&hub, &phone]);
        let elsewhere = CommunityId::from_bytes([9; 16]);
        let (p, _h) = connect(&phone, elsewhere, &hub, &gate, &gate, None).await;
        // The phone sees the hub's hello first and refuses it.
        assert!(
            matches!(p, Err(ChannelError::RefusedPeer(Refusal::OtherCommunity))),
            "{p:?}"
        );
    }

    #[tokio::test]
    async fn a_phone_refuses_a_hub_it_did_not_pair_with() {
        let (hub, phone) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let gate = members(&[&hub, &phone]);
        let other = MemberKey::of(&SigningKey::from_bytes(&[7; 32])).key_id();
        let (p, _h) = connect(&phone, community(), &hub, &gate, &gate, Some(other)).await;
        assert!(
            matches!(p, Err(ChannelError::RefusedPeer(Refusal::UnexpectedPeer))),
            "{p:?}"
        );
    }

    #[tokio::test]
    async fn a_hello_claiming_someone_elses_identity_is_refused() {
        let (hub, thief) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[4; 32]),
        );
        let gate = members(&[&hub]);
        let (mut io, b) = duplex(1 << 16);
        let responder = tokio::spawn(async move {
            let gate = members(&[&hub]);
            Channel::respond(b, &hub, community(), &gate)
                .await
                .map(|_| ())
        });
        // A hand-made initiator that claims the hub's identity with its own key.
        let (mut state, public) = handshake(true).unwrap();
        let mut buf = vec![0; MAX_FRAME];
        let n = state.write_message(&[], &mut buf).unwrap();
        write_frame(&mut io, &buf[..n]).await.unwrap();
        let frame = read_frame(&mut io).await.unwrap();
        let mut payload = vec![0; MAX_FRAME];
        state.read_message(&frame, &mut payload).unwrap();
        let mut hello = Hello::new(&thief, community(), &public, &[]);
        hello.device = MemberKey::of(&SigningKey::from_bytes(&[1; 32]));
        let n = state.write_message(&hello.encode(), &mut buf).unwrap();
        write_frame(&mut io, &buf[..n]).await.unwrap();
        let _ = gate;
        assert!(matches!(
            responder.await.unwrap(),
            Err(ChannelError::RefusedPeer(Refusal::BadIdentity))
        ));
    }

    #[tokio::test]
    async fn garbage_and_tampering_are_errors_not_panics() {
        let hub = SigningKey::from_bytes(&[1; 32]);
        for garbage in [
            vec![],
            vec![0, 3, 1, 2, 3],
            vec![0xff; 70],
            b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        ] {
            let (mut a, b) = duplex(1 << 16);
            let gate = members(&[&hub]);
            a.write_all(&garbage).await.unwrap();
            drop(a);
            assert!(Channel::respond(b, &hub, community(), &gate).await.is_err());
        }

        // A flipped bit in an established channel's frame is caught.
        let phone = SigningKey::from_bytes(&[2; 32]);
        let gate = members(&[&hub, &phone]);
        let (a, b) = duplex(1 << 16);
        let (p, h) = tokio::join!(
            Channel::initiate(a, &phone, community(), None, &gate),
            Channel::respond(b, &hub, community(), &gate),
        );
        let (mut p, mut h) = (p.unwrap(), h.unwrap());
        let mut frame = vec![0; MAX_FRAME];
        let n = p
            .noise
            .write_message(b"\0\0\0\x05hello", &mut frame)
            .unwrap();
        frame[n - 1] ^= 1;
        write_frame(&mut p.io, &frame[..n]).await.unwrap();
        assert!(matches!(h.recv().await, Err(ChannelError::Noise(_))));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_samod_repos_sync_a_document_over_the_channel() {
        use automerge::transaction::Transactable;
        use automerge::{ReadDoc, ROOT};
        use std::sync::Arc;
        use std::time::Duration;

        let (hub, phone) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let members: Vec<MemberKey> = vec![MemberKey::of(&hub), MemberKey::of(&phone)];
        let gate: SharedGate = Arc::new(move |_, d, _| {
            if members.contains(d) {
                Ok(())
            } else {
                Err(Refusal::NotMember)
            }
        });

        let hub_repo = samod::Repo::build_tokio()
            .with_peer_id(peer_id(&MemberKey::of(&hub)))
            .load()
            .await;
        let acceptor = hub_repo
            .make_acceptor(samod::Url::parse("nabo://hub").unwrap())
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (hub_key, hub_gate) = (hub.clone(), gate.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                if let Ok(channel) =
                    Channel::respond(socket, &hub_key, community(), &*hub_gate).await
                {
                    let _ = acceptor.accept(channel.into_transport());
                }
            }
        });

        let phone_repo = samod::Repo::build_tokio()
            .with_peer_id(peer_id(&MemberKey::of(&phone)))
            .load()
            .await;
        let doc = phone_repo
            .create(automerge::Automerge::new())
            .await
            .unwrap();
        doc.with_document(|d| {
            d.transact(|tx| tx.put(ROOT, "checkin", "Amina"))
                .map(|_| ())
                .map_err(|f| f.error)
        })
        .unwrap();
        let dialer = phone_repo
            .dial(
                samod::BackoffConfig::default(),
                Arc::new(ChannelDialer {
                    address,
                    key: phone.clone(),
                    community: community(),
                    expected: Some(MemberKey::of(&hub).key_id()),
                    gate: gate.clone(),
                }),
            )
            .unwrap();
        tokio::time::timeout(Duration::from_secs(20), dialer.established())
            .await
            .expect("connected in time")
            .expect("connected");
        let connection = dialer.connection_id().expect("a connection");
        tokio::time::timeout(
            Duration::from_secs(20),
            doc.they_have_our_changes(connection),
        )
        .await
        .expect("the hub acknowledged the document in time");

        let on_hub = hub_repo
            .find(doc.document_id().clone())
            .await
            .unwrap()
            .expect("the hub has it");
        let value = on_hub.with_document(|d| {
            d.get(ROOT, "checkin")
                .unwrap()
                .and_then(|(v, _)| v.into_string().ok())
        });
        assert_eq!(value.as_deref(), Some("Amina"));
        phone_repo.stop().await;
        hub_repo.stop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_device_stops_dialing_and_learns_why() {
        use std::sync::Arc;
        use std::time::Duration;

        let (hub, stranger) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[3; 32]),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let hub_key = MemberKey::of(&hub);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let only_hub = move |_: &CommunityId, d: &MemberKey, _: &[u8]| {
                    if *d == hub_key {
                        Ok(())
                    } else {
                        Err(Refusal::NotMember)
                    }
                };
                let _ = Channel::respond(socket, &hub, community(), &only_hub).await;
            }
        });
        let repo = samod::Repo::build_tokio().load().await;
        let dialer = repo
            .dial(
                samod::BackoffConfig::default(),
                Arc::new(ChannelDialer {
                    address,
                    key: stranger,
                    community: community(),
                    expected: None,
                    gate: Arc::new(|_, _, _| Ok(())),
                }),
            )
            .unwrap();
        let outcome = tokio::time::timeout(Duration::from_secs(20), dialer.established())
            .await
            .expect("settled in time");
        let failure = format!("{:?}", outcome.expect_err("a stranger is not connected"));
        assert!(failure.contains("NotMember"), "{failure}");
        repo.stop().await;
    }

    #[tokio::test]
    async fn it_works_over_a_real_loopback_socket() {
        let (hub, phone) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hub_key = hub.clone();
        let phone_key = MemberKey::of(&phone);
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let gate = move |_: &CommunityId, d: &MemberKey, _: &[u8]| {
                if *d == phone_key {
                    Ok(())
                } else {
                    Err(Refusal::NotMember)
                }
            };
            let mut channel = Channel::respond(socket, &hub_key, community(), &gate)
                .await
                .unwrap();
            let got = channel.recv().await.unwrap();
            channel.send(&got).await.unwrap();
        });
        let socket = tokio::net::TcpStream::connect(addr).await.unwrap();
        let gate = |_: &CommunityId, _: &MemberKey, _: &[u8]| Ok(());
        let mut channel = Channel::initiate(
            socket,
            &phone,
            community(),
            Some(MemberKey::of(&hub).key_id()),
            &gate,
        )
        .await
        .unwrap();
        channel.send(b"ping").await.unwrap();
        assert_eq!(channel.recv().await.unwrap(), b"ping");
        server.await.unwrap();
    }
}
