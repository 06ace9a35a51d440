//! An encrypted channel between two devices of the same community, over any
//! byte stream (a TCP connection on the community house's network).
//!
//! The handshake is Noise XX (X25519, ChaCha20-Poly1305, BLAKE2s) with a
//! fresh X25519 key per connection. Each side's handshake payload is a
//! `Hello` (in `nabo_shared::sync::wire`): its community, its ed25519 device key, and that device key's
//! signature over the X25519 key it is using. Noise proves each side holds
//! its X25519 key; the signature binds that key to the device identity.
//! Before any application byte moves, each side asks its gate whether the
//! other device is a current member; a refusal closes the connection, and
//! the initiator is told why. Application messages of any size are split
//! into Noise frames (at most 65535 bytes, length-prefixed on the wire).

use nabo_shared::crypto::{KeyId, MemberKey, SigningKey};
use nabo_shared::ids::CommunityId;
use nabo_shared::sync::wire::Hello;
use snow::{HandshakeState, TransportState};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const NOISE: &str = "Noise_XX_25519_ChaChaPoly_BLAKE2s";
const PROLOGUE: &[u8] = b"nabo/channel/v1";
const MAX_FRAME: usize = 65535;
const TAG_LEN: usize = 16;
const MAX_CHUNK: usize = MAX_FRAME - TAG_LEN;
/// The largest application message accepted: a bound on what a peer can make
/// this device buffer.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

pub use nabo_shared::sync::Refusal;

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
    let hello = Hello::decode(payload).ok_or(ChannelError::Protocol("unreadable hello"))?;
    let noise_key = state
        .get_remote_static()
        .ok_or(ChannelError::Protocol("no static key"))?;
    let refuse = ChannelError::RefusedPeer;
    if !hello.binds(noise_key) {
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
        io: S,
        me: &SigningKey,
        community: CommunityId,
        gate: Gate<'_>,
    ) -> Result<Self, ChannelError> {
        Self::hear(io, me, community).await?.decide(gate).await
    }

    /// The network half of accepting: the Noise handshake up to the peer's
    /// hello. A hub bounds this half by a deadline (it waits on the peer);
    /// [`Responding::decide`] is this device's own work.
    pub async fn hear(
        mut io: S,
        me: &SigningKey,
        community: CommunityId,
    ) -> Result<Responding<S>, ChannelError> {
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
        payload.truncate(n);
        Ok(Responding {
            io,
            state,
            hello: payload,
            community,
        })
    }
}

/// A connecting device heard out, waiting for this device's verdict.
pub struct Responding<S> {
    io: S,
    state: HandshakeState,
    hello: Vec<u8>,
    community: CommunityId,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Responding<S> {
    /// Checks the peer's hello (and asks `gate`), tells the peer the
    /// verdict, and opens the channel if it is let in.
    pub async fn decide(self, gate: Gate<'_>) -> Result<Channel<S>, ChannelError> {
        let Self {
            io,
            state,
            hello,
            community,
        } = self;
        let checked = check_hello(&hello, &state, &community, None, gate);
        let mut channel = Channel {
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
}

impl<S: AsyncRead + AsyncWrite + Unpin> Channel<S> {
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
    let mut message = message_buffer(len, &plain[4..n]);
    while message.len() < len {
        let frame = read_frame(io).await?;
        wire += 2 + frame.len() as u64;
        let n = decrypt(&frame, &mut plain)?;
        if message.len() + n > len {
            return Err(ChannelError::Protocol("message longer than announced"));
        }
        message.extend_from_slice(&plain[..n]);
    }
    if message.len() != len {
        return Err(ChannelError::Protocol("message longer than announced"));
    }
    Ok((message, wire))
}

/// The buffer a message is read into, holding its first frame. It grows as
/// frames arrive: a peer that announces a large message and sends nothing
/// more costs no more memory than what it sent.
fn message_buffer(announced: usize, first: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(first.len().min(announced));
    message.extend_from_slice(first);
    message
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
mod tests;
