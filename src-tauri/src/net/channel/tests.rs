//! The channel's tests: handshakes, refusals, hostile frames, samod over it.

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

#[test]
fn an_announced_length_reserves_nothing_before_it_arrives() {
    let buffer = message_buffer(MAX_MESSAGE, &[7; 100]);
    assert_eq!(buffer, vec![7; 100]);
    assert!(buffer.capacity() < 64 * 1024, "{}", buffer.capacity());
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
            if let Ok(channel) = Channel::respond(socket, &hub_key, community(), &*hub_gate).await {
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
