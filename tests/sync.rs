//! Live sync over real loopback sockets: a hub and phones, each an engine
//! over its own SQLite file, in one process. Joining, checking in and
//! getting rewarded through the hub; equal document heads and equal
//! projections everywhere afterwards; the cost of a sync with nothing new;
//! strangers and hostile peers refused without harm; connections cut at
//! many points; and random schedules of lost, repeated and reordered
//! messages that still converge.

mod support;

use support::{activity, tuesday as clock};

use std::sync::{Arc, Mutex};

use anyhow::{bail, Result};
use chrono::{TimeZone, Utc};
use nabo_lib::engine::{Engine, ManualClock};
use nabo_lib::engine::{EngineError, GateError, Refused};
use nabo_lib::net::channel::{Channel, Refusal};
use nabo_lib::net::sync::{self as live, Events, Hub, SharedEngine, SyncEvent};
use nabo_shared::activities::ScanOutcome;
use nabo_shared::community::{CreateCommunity, JoinCommunity};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::ids::{ActivityId, CommunityId};
use nabo_shared::members::Role;
use nabo_shared::sync::{PairingCode, SyncPhase, SyncProblem};
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Neighbourhood {
    _dir: tempfile::TempDir,
    clock: ManualClock,
    hub: SharedEngine,
    phones: Vec<SharedEngine>,
    activity: ActivityId,
}

fn lock(engine: &SharedEngine) -> std::sync::MutexGuard<'_, Engine> {
    live::lock(engine)
}

/// A coordinator's hub with one activity (reward 10, cap 25 a day) and
/// `phones` residents who joined with an invite but never met the hub.
fn neighbourhood(phones: usize) -> Result<Neighbourhood> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let mut hub = Engine::open(&dir.path().join("hub.sqlite3"), clock.clone())?;
    hub.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let activity = hub.save_activity(activity("Lektiecafé", 10, Some(25)))?.id;
    let mut out = Vec::new();
    for i in 0..phones {
        // One invite per phone: an invite admits one device.
        let invite = hub.invite_code(Role::Resident)?.encode();
        let mut phone = Engine::open(&dir.path().join(format!("phone{i}.sqlite3")), clock.clone())?;
        phone.join_community(JoinCommunity {
            invite: invite.clone(),
            my_name: format!("Beboer {i}"),
        })?;
        out.push(Arc::new(Mutex::new(phone)));
    }
    Ok(Neighbourhood {
        _dir: dir,
        clock,
        hub: Arc::new(Mutex::new(hub)),
        phones: out,
        activity,
    })
}

/// [`neighbourhood`] with its hub running, after every phone's first visit
/// (joined and confirmed).
async fn after_first_visit(phones: usize) -> Result<(Neighbourhood, Hub, PairingCode)> {
    let n = neighbourhood(phones)?;
    let (hub, code) = start_hub(&n.hub).await?;
    for phone in &n.phones {
        live::sync_with_hub(phone, &code, &live::no_events()).await?;
    }
    Ok((n, hub, code))
}

async fn start_hub(hub: &SharedEngine) -> Result<(Hub, PairingCode)> {
    let running = Hub::start(hub.clone(), "127.0.0.1:0".parse()?, live::no_events()).await?;
    let code = lock(hub).pairing_code(vec!["127.0.0.1".parse()?], running.address().port())?;
    Ok((running, code))
}

fn recorder() -> (Events, Arc<Mutex<Vec<SyncEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (Arc::new(move |e| sink.lock().unwrap().push(e)), seen)
}

/// The hub and every phone agree on everything they share (the community
/// document and the phone's own records: heads and projection rows), and
/// each phone holds nothing else.
fn assert_converged(hub: &SharedEngine, phones: &[&SharedEngine]) -> Result<()> {
    for (i, phone) in phones.iter().enumerate() {
        let me = lock(phone).device_key();
        let on_hub = lock(hub).shared_state(&me, false)?;
        let own = lock(phone).shared_state(&me, false)?;
        if own != on_hub {
            bail!(
                "phone {i} and the hub disagree: {} vs {} documents, {} vs {} rows",
                own.0.len(),
                on_hub.0.len(),
                own.1.len(),
                on_hub.1.len()
            );
        }
        let heads = lock(phone).doc_heads()?;
        let everything = (heads, lock(phone).projection_dump()?);
        if own != everything {
            bail!("phone {i} holds documents of other members");
        }
    }
    Ok(())
}

fn check_in(phone: &SharedEngine, hub: &SharedEngine, activity: ActivityId) -> Result<()> {
    let code = lock(hub).checkin_code(activity)?.encode();
    match lock(phone).scan_text(&code)? {
        ScanOutcome::CheckedIn { .. } => Ok(()),
        other => bail!("not checked in: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_join_check_in_and_are_rewarded_through_the_hub() -> Result<()> {
    let n = neighbourhood(3)?;
    let (_hub, code) = start_hub(&n.hub).await?;
    let short = nabo_lib::engine::short_code(&code).unwrap().to_string();

    // First visit: each phone pairs by the typed short code, shows its join
    // request as its ticket, and comes back a confirmed member.
    for phone in &n.phones {
        assert!(!lock(phone).status()?.profile.unwrap().confirmed);
        lock(phone).pair_hub(&short)?;
        let (events, seen) = recorder();
        let totals = live::sync_with_hub(phone, &code, &events).await?;
        assert!(totals.records_in > 0, "{totals:?}");
        let profile = lock(phone).status()?.profile.unwrap();
        assert!(
            profile.confirmed,
            "the hub confirmed the join in the same sync"
        );
        let seen = seen.lock().unwrap();
        assert!(matches!(
            seen.first().unwrap().progress.phase,
            SyncPhase::Connecting
        ));
        assert!(matches!(
            seen.last().unwrap().progress.phase,
            SyncPhase::Done { .. }
        ));
    }

    // Offline, each checks in; then they come to the house one by one.
    for phone in &n.phones {
        check_in(phone, &n.hub, n.activity)?;
    }
    let mut issued = 0;
    for phone in &n.phones {
        let totals = live::sync_with_hub(phone, &code, &live::no_events()).await?;
        issued += totals.issued;
    }
    assert_eq!(issued, 0, "the phones issue nothing; the hub does");
    let balances: Vec<i64> = n
        .phones
        .iter()
        .map(|p| lock(p).wallet().map(|w| w.balance))
        .collect::<Result<_, _>>()?;
    // Each phone got its own reward back in its own sync; the third hit the cap.
    assert_eq!(balances, vec![10, 10, 5]);

    // One more round for everyone, then all four agree on everything.
    for phone in &n.phones {
        live::sync_with_hub(phone, &code, &live::no_events()).await?;
    }
    let phones: Vec<&SharedEngine> = n.phones.iter().collect();
    assert_converged(&n.hub, &phones)?;

    // A sync with nothing new: one round trip, no document changed, and a
    // few bytes each way for the whole document set. The phone names no
    // document (none changed since the shared heads); the hub has nothing
    // either and answers Done.
    let totals = live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    assert_eq!(totals.documents_in, 0);
    assert_eq!(totals.rounds, 0, "no batch came back: {totals:?}");
    assert!(
        totals.bytes_out < 100 && totals.bytes_in < 100,
        "{totals:?}"
    );

    // The phone remembers when it last synced with the hub.
    let hubs = lock(&n.phones[0]).sync_status()?.hubs;
    assert_eq!(hubs.len(), 1);
    assert!(hubs[0].last_sync.is_some() && hubs[0].last_error.is_none());
    let peers = lock(&n.hub).peers()?;
    assert_eq!(peers.len(), 3);
    assert!(peers
        .iter()
        .all(|p| p.name.as_deref().is_some_and(|n| n.starts_with("Beboer"))));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_pass_news_to_each_other_but_not_their_records() -> Result<()> {
    let (n, _hub, code) = after_first_visit(2).await?;
    // A new activity and a check-in reach the first phone at the house...
    let spisning = lock(&n.hub)
        .save_activity(activity("Fællesspisning", 15, None))?
        .id;
    check_in(&n.phones[0], &n.hub, n.activity)?;
    live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    assert_eq!(lock(&n.phones[0]).wallet()?.balance, 10);
    // ...and the second phone, away from the house, gets the news from the
    // first phone's own hub, but not the first phone's check-in or points.
    let (_phone_hub, phone_code) = start_hub(&n.phones[0]).await?;
    live::sync_with_hub(&n.phones[1], &phone_code, &live::no_events()).await?;
    {
        let second = lock(&n.phones[1]);
        assert!(second.list_activities()?.iter().any(|a| a.id == spisning));
        let rows = second.projection_dump()?;
        assert!(!rows
            .iter()
            .any(|r| r.starts_with("checkins:") || r.starts_with("ledger:")));
    }
    let phones: Vec<&SharedEngine> = n.phones.iter().collect();
    live::sync_with_hub(&n.phones[1], &code, &live::no_events()).await?;
    assert_converged(&n.hub, &phones)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_and_other_neighbourhoods_are_refused_before_any_document_moves() -> Result<()> {
    let n = neighbourhood(1)?;
    let (hub, code) = start_hub(&n.hub).await?;
    let community = lock(&n.hub).community()?;
    let before = lock(&n.hub).doc_heads()?;
    let open = |_: &CommunityId, _: &MemberKey, _: &[u8]| -> Result<(), Refusal> { Ok(()) };

    // A device that claims the community but is no member and has no ticket.
    let stranger = SigningKey::from_bytes(&[9; 32]);
    let socket = tokio::net::TcpStream::connect(hub.address()).await?;
    let refused = Channel::initiate(socket, &stranger, community, Some(code.hub), &open).await;
    assert!(
        matches!(
            refused,
            Err(nabo_lib::net::channel::ChannelError::RefusedByPeer(
                Refusal::NotMember
            ))
        ),
        "{refused:?}"
    );

    // A ticket that is not a join request of this device.
    let socket = tokio::net::TcpStream::connect(hub.address()).await?;
    let ticket = lock(&n.phones[0]).join_ticket()?;
    assert!(!ticket.is_empty());
    let refused =
        Channel::initiate_with_ticket(socket, &stranger, &ticket, community, None, &open).await;
    assert!(matches!(
        refused,
        Err(nabo_lib::net::channel::ChannelError::RefusedByPeer(
            Refusal::NotMember
        ))
    ));

    // A device of another neighbourhood.
    let dir = tempfile::tempdir()?;
    let mut other = Engine::open(&dir.path().join("other.sqlite3"), n.clock.clone())?;
    other.create_community(CreateCommunity {
        community_name: "Mjølnerparken".into(),
        my_name: "Ali".into(),
    })?;
    let other_community = other.community()?;
    assert!(other.pair_hub(&code.encode()).is_err(), "not its hub");
    let other = Arc::new(Mutex::new(other));
    let forged = PairingCode {
        community: other_community,
        ..code.clone()
    };
    // It learns in the handshake that the hub is of another neighbourhood.
    let result = live::sync_with_hub(&other, &forged, &live::no_events()).await;
    assert_eq!(
        result,
        Err(SyncProblem::RefusedPeer {
            reason: Refusal::OtherCommunity
        })
    );
    // A hub that is not the paired one is refused by the phone.
    let wrong_hub = PairingCode {
        hub: MemberKey::of(&stranger).key_id(),
        ..code.clone()
    };
    let result = live::sync_with_hub(&n.phones[0], &wrong_hub, &live::no_events()).await;
    assert_eq!(
        result,
        Err(SyncProblem::RefusedPeer {
            reason: Refusal::UnexpectedPeer
        })
    );
    assert_eq!(lock(&n.hub).doc_heads()?, before, "nothing moved");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_messages_are_refused_and_damage_nothing() -> Result<()> {
    let (n, hub, code) = after_first_visit(1).await?;
    let community = lock(&n.hub).community()?;
    let heads = lock(&n.hub).doc_heads()?;
    let rows = lock(&n.hub).projection_dump()?;

    let gate = |_: &CommunityId, _: &MemberKey, _: &[u8]| -> Result<(), Refusal> { Ok(()) };
    let hub_key_id = code.hub;
    let ticket = lock(&n.phones[0]).join_ticket()?;
    assert!(ticket.is_empty(), "the phone is a member now");

    // Frames of garbage after a valid handshake, from a device admitted with
    // a join ticket of its own.
    for junk in [
        vec![0u8; 0],
        vec![0xff; 40],
        postcard_round(&[("nonsense".into(), vec![1, 2, 3])]),
        postcard_round(&[(
            format!("community/{community}"),
            vec![0x42, 0xff, 0xff, 0xff],
        )]),
        postcard_round(&[(
            format!("ledger/{}/2026-11", CommunityId::from_bytes([7; 16])),
            vec![0x42],
        )]),
    ] {
        let (device, device_ticket) = joining_device(&n)?;
        let socket = tokio::net::TcpStream::connect(hub.address()).await?;
        let mut channel = Channel::initiate_with_ticket(
            socket,
            &device,
            &device_ticket,
            community,
            Some(hub_key_id),
            &gate,
        )
        .await?;
        channel.send(&junk).await?;
        // The hub hangs up (or says Done) rather than crash.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), channel.recv()).await?;
    }
    assert_eq!(lock(&n.hub).doc_heads()?, heads, "nothing stored");
    assert_eq!(lock(&n.hub).projection_dump()?, rows);
    // And the hub still serves its members.
    live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    Ok(())
}

/// The network gate's verdict; a failure to check fails the test.
fn gate(
    engine: &nabo_lib::engine::Engine,
    community: &CommunityId,
    device: &MemberKey,
) -> Result<(), Refusal> {
    engine.admit(community, device, &[]).map_err(|e| match e {
        GateError::Refused(reason) => reason,
        GateError::Failed(e) => panic!("the gate could not check: {e}"),
    })
}

/// A `Round` of the wire protocol, as the hub decodes it.
fn postcard_round(messages: &[(String, Vec<u8>)]) -> Vec<u8> {
    // Variant 0 of the wire enum, then the list.
    let mut out = vec![0u8];
    out.extend(postcard::to_allocvec(messages).unwrap());
    out
}

/// A device key and a join ticket signed with it, from a fresh invite.
fn joining_device(n: &Neighbourhood) -> Result<(SigningKey, Vec<u8>)> {
    use nabo_shared::community::JoinRequest;
    use nabo_shared::signed::Signed;
    let invite = lock(&n.hub).invite_code(Role::Resident)?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)?;
    let key = SigningKey::from_bytes(&seed);
    let request = JoinRequest {
        community: invite.invite.community,
        member: MemberKey::of(&key),
        name: "Prøver".into(),
        pass: invite.pass_for(&MemberKey::of(&key)),
        invite: invite.invite,
        requested_at: Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap(),
    };
    Ok((key.clone(), Signed::seal(&key, &request).to_bytes()))
}

/// A proxy that forwards both ways and cuts the connection after `limit`
/// bytes in all.
async fn cutting_proxy(target: std::net::SocketAddr, limit: usize) -> Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let Ok((mut a, _)) = listener.accept().await else {
            return;
        };
        let Ok(mut b) = tokio::net::TcpStream::connect(target).await else {
            return;
        };
        let mut left = limit;
        let (mut ab, mut ba) = ([0u8; 4096], [0u8; 4096]);
        loop {
            tokio::select! {
                r = a.read(&mut ab) => match r {
                    Ok(0) | Err(_) => return,
                    Ok(k) => {
                        let k = k.min(left);
                        if b.write_all(&ab[..k]).await.is_err() { return; }
                        left -= k;
                    }
                },
                r = b.read(&mut ba) => match r {
                    Ok(0) | Err(_) => return,
                    Ok(k) => {
                        let k = k.min(left);
                        if a.write_all(&ba[..k]).await.is_err() { return; }
                        left -= k;
                    }
                },
            }
            if left == 0 {
                return;
            }
        }
    });
    Ok(address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_anywhere_loses_nothing_and_the_next_sync_completes() -> Result<()> {
    let (n, hub, code) = after_first_visit(1).await?;
    let phone = &n.phones[0];
    let mut cuts = 0;
    for (day, limit) in [60usize, 300, 700, 1200, 2000, 3500, 6000, 12000]
        .into_iter()
        .enumerate()
    {
        // Something new on both sides each time: a check-in on the phone, an
        // activity on the hub.
        n.clock
            .advance(chrono::Duration::days(7 * (day as i64 + 1)));
        check_in(phone, &n.hub, n.activity)?;
        lock(&n.hub).save_activity(activity(&format!("Aktivitet {day}"), 5, None))?;
        let proxy = cutting_proxy(hub.address(), limit).await?;
        let via_proxy = PairingCode {
            addresses: vec![proxy.ip()],
            port: proxy.port(),
            ..code.clone()
        };
        match live::sync_with_hub(phone, &via_proxy, &live::no_events()).await {
            Err(SyncProblem::Interrupted | SyncProblem::Timeout | SyncProblem::Damaged) => {
                cuts += 1
            }
            Err(other) => bail!("unexpected failure at {limit} bytes: {other:?}"),
            Ok(_) => {}
        }
        // The next sync, straight to the hub, completes and converges.
        live::sync_with_hub(phone, &code, &live::no_events()).await?;
        live::sync_with_hub(phone, &code, &live::no_events()).await?;
        assert_converged(&n.hub, &[phone])?;
    }
    assert!(cuts >= 4, "the proxy cut most syncs ({cuts})");
    let rewarded = lock(phone).wallet()?.balance;
    assert_eq!(rewarded, 8 * 10, "every check-in was rewarded once");
    Ok(())
}

/// One message in flight in the chaos schedule: to whom, and what.
#[derive(Debug, Clone)]
struct InFlight {
    to_hub: bool,
    messages: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Clone)]
enum Step {
    /// Phone `i` checks in (a new day first).
    CheckIn(usize),
    /// The hub adds an activity.
    Activity,
    /// Phone `i` and the hub each produce their next messages.
    Speak(usize),
    /// Deliver the message at this index (modulo), keeping a copy if `dup`.
    Deliver(usize, bool),
    /// Drop the message at this index (modulo).
    Drop(usize),
    /// Cut every conversation: in-flight messages are lost, states reload.
    Cut,
    /// Phone 1's modified app deletes a key of the community document
    /// (`delete`), or puts back a value the key once held, picked by index.
    Tamper { delete: bool, pick: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..2usize).prop_map(Step::CheckIn),
        Just(Step::Activity),
        (0..2usize).prop_map(Step::Speak),
        (0..8usize, any::<bool>()).prop_map(|(i, d)| Step::Deliver(i, d)),
        (0..8usize).prop_map(Step::Drop),
        Just(Step::Cut),
        (any::<bool>(), 0..64usize).prop_map(|(delete, pick)| Step::Tamper { delete, pick }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// Random schedules of lost, repeated and reordered sync messages and cut
    /// conversations, while one member's modified app deletes keys and puts
    /// old values back, never corrupt anything: clean syncs afterwards bring
    /// every device to equal heads and equal projections, and no honest
    /// member's record is lost.
    #[test]
    fn random_loss_duplication_reordering_and_cuts_still_converge(
        steps in proptest::collection::vec(step(), 1..40)
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(chaos(steps)).unwrap();
    }
}

async fn chaos(steps: Vec<Step>) -> Result<()> {
    let _ = env_logger::builder().is_test(true).try_init();
    let (n, _hub, code) = after_first_visit(2).await?;
    let hub_key = lock(&n.hub).device_key();
    let keys: Vec<MemberKey> = n.phones.iter().map(|p| lock(p).device_key()).collect();
    let mut sessions: Vec<_> = Vec::new();
    for (phone, key) in n.phones.iter().zip(&keys) {
        sessions.push((
            lock(phone).sync_start(hub_key)?,
            lock(&n.hub).sync_start(*key)?,
        ));
    }
    let mut flight: Vec<Vec<InFlight>> = vec![Vec::new(), Vec::new()];
    let community = format!("community/{}", lock(&n.hub).community()?);
    let mut checked_in = [0i64; 2];
    for step in steps {
        match step {
            Step::CheckIn(i) => {
                n.clock.advance(chrono::Duration::days(7));
                check_in(&n.phones[i], &n.hub, n.activity)?;
                checked_in[i] += 1;
            }
            Step::Tamper { delete, pick } => {
                use automerge::transaction::Transactable;
                let path = n._dir.path().join("phone1.sqlite3");
                support::tamper(&path, &keys[1], &community, |doc| {
                    let keys: Vec<String> =
                        automerge::ReadDoc::keys(doc, automerge::ROOT).collect();
                    if delete {
                        if let Some(key) = keys.get(pick % keys.len().max(1)) {
                            doc.delete(automerge::ROOT, key.as_str())?;
                        }
                        return Ok(());
                    }
                    // Every value ever put at the root, oldest first.
                    let mut old = Vec::new();
                    for change in doc.get_changes(&[]) {
                        for op in change.decode().operations {
                            if let (
                                automerge::legacy::Key::Map(key),
                                automerge::legacy::OpType::Put(automerge::ScalarValue::Bytes(b)),
                            ) = (op.key, op.action)
                            {
                                old.push((key.to_string(), b));
                            }
                        }
                    }
                    if let Some((key, bytes)) = old.get(pick % old.len().max(1)) {
                        doc.put(automerge::ROOT, key.as_str(), bytes.clone())?;
                    }
                    Ok(())
                })?;
                // Its app takes its own change into its projection too, so
                // all three devices should end alike.
                let mut reopened = Engine::open(&path, n.clock.clone())?;
                reopened.rebuild_projection()?;
                *lock(&n.phones[1]) = reopened;
            }
            Step::Activity => {
                lock(&n.hub).save_activity(activity("Fællesspisning", 15, Some(40)))?;
            }
            Step::Speak(i) => {
                let (phone_session, hub_session) = &mut sessions[i];
                let out = lock(&n.phones[i]).sync_messages(phone_session)?;
                flight[i].push(InFlight {
                    to_hub: true,
                    messages: out,
                });
                let out = lock(&n.hub).sync_messages(hub_session)?;
                flight[i].push(InFlight {
                    to_hub: false,
                    messages: out,
                });
            }
            Step::Deliver(k, dup) => {
                for i in 0..2 {
                    if flight[i].is_empty() {
                        continue;
                    }
                    let at = k % flight[i].len();
                    let message = if dup {
                        flight[i][at].clone()
                    } else {
                        flight[i].remove(at)
                    };
                    let (phone_session, hub_session) = &mut sessions[i];
                    // A message that no longer fits the conversation may be
                    // refused; it must never damage anything.
                    let received = if message.to_hub {
                        lock(&n.hub).sync_receive(hub_session, message.messages)
                    } else {
                        lock(&n.phones[i]).sync_receive(phone_session, message.messages)
                    };
                    match received {
                        Ok(_) | Err(EngineError::Refused(Refused::Sync(SyncProblem::Damaged))) => {}
                        Err(other) => panic!("a stale message did damage: {other}"),
                    }
                }
            }
            Step::Drop(k) => {
                for queue in flight.iter_mut() {
                    if !queue.is_empty() {
                        let at = k % queue.len();
                        queue.remove(at);
                    }
                }
            }
            Step::Cut => {
                flight = vec![Vec::new(), Vec::new()];
                sessions.clear();
                for (phone, key) in n.phones.iter().zip(&keys) {
                    sessions.push((
                        lock(phone).sync_start(hub_key)?,
                        lock(&n.hub).sync_start(*key)?,
                    ));
                }
            }
        }
    }
    // Clean syncs: twice round, so each phone also gets what the other brought.
    for _ in 0..2 {
        for phone in &n.phones {
            live::sync_with_hub(phone, &code, &live::no_events()).await?;
        }
    }
    assert_converged(&n.hub, &[&n.phones[0], &n.phones[1]])?;
    // The honest phone lost nothing: each of its check-ins (a week apart)
    // earned its 10 points, whatever the other phone deleted or put back.
    assert_eq!(lock(&n.phones[0]).wallet()?.balance, 10 * checked_in[0]);
    // A rebuilt projection equals the incremental one on every device.
    for device in [&n.hub, &n.phones[0], &n.phones[1]] {
        let rows = lock(device).projection_dump()?;
        lock(device).rebuild_projection()?;
        assert_eq!(lock(device).projection_dump()?, rows);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_headless_hub_serves_a_coordinators_store() -> Result<()> {
    use tokio::io::AsyncBufReadExt;
    let dir = tempfile::tempdir()?;
    let hub_dir = dir.path().join("hub");
    // A coordinator's store, with an invite for a resident; then the
    // headless hub serves that store (the app is closed).
    // The headless hub keeps real time, so the devices here do too.
    let now = ManualClock::at(Utc::now());
    let (invite, hub_key) = {
        let mut hub = Engine::open(&hub_dir.join("nabo.sqlite3"), now.clone())?;
        hub.create_community(CreateCommunity {
            community_name: "Tingbjerg".into(),
            my_name: "Sara".into(),
        })?;
        (hub.invite_code(Role::Resident)?.encode(), hub.device_key())
    };
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_nabo"))
        .args(["hub", "--port", "0", "--data-dir"])
        .arg(&hub_dir)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let port = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.strip_prefix("Listening on 0.0.0.0:") {
                return Ok::<u16, anyhow::Error>(rest.trim_end_matches(". Ctrl-C stops.").parse()?);
            }
        }
        bail!("the hub ended without listening")
    })
    .await??;

    let phone_dir = tempfile::tempdir()?;
    let mut phone = Engine::open(&phone_dir.path().join("phone.sqlite3"), now)?;
    phone.join_community(JoinCommunity {
        invite,
        my_name: "Amina".into(),
    })?;
    phone.pair_hub(&format!("127.0.0.1:{port} {}", hub_key.key_id()))?;
    let code = phone.hubs()?.remove(0).0;
    let phone = Arc::new(Mutex::new(phone));
    live::sync_with_hub(&phone, &code, &live::no_events()).await?;
    assert!(lock(&phone).status()?.profile.unwrap().confirmed);
    child.kill().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_member_is_refused_and_the_others_still_sync() -> Result<()> {
    let (n, _hub, code) = after_first_visit(2).await?;
    let revoked = lock(&n.phones[1]).device_key();
    lock(&n.hub).revoke_member(&revoked.key_id().to_string())?;
    // A coordinator's own access cannot be withdrawn: another must do it.
    let hub_key = lock(&n.hub).device_key();
    assert!(matches!(
        lock(&n.hub).revoke_member(&hub_key.key_id().to_string()),
        Err(EngineError::Refused(Refused::OwnAccess))
    ));

    check_in(&n.phones[1], &n.hub, n.activity)?;
    lock(&n.phones[1]).pair_hub(&code.encode())?;
    let result = live::sync_with_hub(&n.phones[1], &code, &live::no_events()).await;
    assert_eq!(
        result,
        Err(SyncProblem::RefusedByPeer {
            reason: Refusal::Revoked
        })
    );
    let hubs = lock(&n.phones[1]).sync_status()?.hubs;
    assert_eq!(
        hubs[0].last_error,
        Some(SyncProblem::RefusedByPeer {
            reason: Refusal::Revoked
        }),
        "the phone shows why"
    );
    // Its join request does not bring it back either.
    let community = lock(&n.hub).community()?;
    assert_eq!(
        gate(&lock(&n.hub), &community, &revoked),
        Err(Refusal::Revoked)
    );
    let listed = lock(&n.hub).members()?;
    let shown = listed
        .iter()
        .find(|m| m.device == revoked.key_id().to_string())
        .expect("still listed, as removed");
    assert!(shown.revoked && !shown.confirmed);

    // The other member syncs as before, and learns of the revocation.
    check_in(&n.phones[0], &n.hub, n.activity)?;
    live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    assert_eq!(lock(&n.phones[0]).wallet()?.balance, 10);
    assert_eq!(
        gate(&lock(&n.phones[0]), &community, &revoked),
        Err(Refusal::Revoked)
    );

    // Given access again, the phone syncs and its waiting check-in is rewarded.
    lock(&n.hub).reinstate_member(&revoked.key_id().to_string())?;
    live::sync_with_hub(&n.phones[1], &code, &live::no_events()).await?;
    assert_eq!(lock(&n.phones[1]).wallet()?.balance, 10);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_restored_from_a_backup_gets_everything_back_at_its_next_sync() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let mut hub = Engine::open(&dir.path().join("hub.sqlite3"), clock.clone())?;
    hub.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let lektie = hub.save_activity(activity("Lektiecafé", 10, None))?.id;
    let invite = hub.invite_code(Role::Resident)?.encode();
    let phone_path = dir.path().join("phone.sqlite3");
    let mut phone = Engine::open(&phone_path, clock.clone())?;
    phone.join_community(JoinCommunity {
        invite,
        my_name: "Amina".into(),
    })?;
    let hub = Arc::new(Mutex::new(hub));
    let phone = Arc::new(Mutex::new(phone));
    let (_running, code) = start_hub(&hub).await?;
    live::sync_with_hub(&phone, &code, &live::no_events()).await?;

    // A backup of the phone, then a check-in that is rewarded.
    let backup = dir.path().join("backup.sqlite3");
    rusqlite::Connection::open(&phone_path)?
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])?;
    check_in(&phone, &hub, lektie)?;
    live::sync_with_hub(&phone, &code, &live::no_events()).await?;
    assert_eq!(lock(&phone).wallet()?.balance, 10);

    // The phone is restored from the backup: its check-in and points are gone,
    // and its saved states are older than the hub's. Bringing up only changed
    // documents would not notice; the digest of the shared heads does.
    drop(phone);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", phone_path.display()));
    }
    std::fs::copy(&backup, &phone_path)?;
    let phone = Arc::new(Mutex::new(Engine::open(&phone_path, clock.clone())?));
    assert_eq!(lock(&phone).wallet()?.balance, 0);

    live::sync_with_hub(&phone, &code, &live::no_events()).await?;
    assert_eq!(lock(&phone).wallet()?.balance, 10);
    assert_converged(&hub, &[&phone])?;
    Ok(())
}

/// The hub blocks phone `lost` of Beboer 0 and invites a new phone for
/// her, which joins with it (in `dir`), not yet synced.
fn replacement_phone(n: &Neighbourhood, lost: &MemberKey, dir: &std::path::Path) -> Result<Engine> {
    let invite = lock(&n.hub).replace_device(&lost.key_id().to_string(), true)?;
    let mut new = Engine::open(&dir.join("new.sqlite3"), n.clock.clone())?;
    new.join_community(JoinCommunity {
        invite: invite.qr.text,
        my_name: "Beboer 0".into(),
    })?;
    Ok(new)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_phone_gets_its_members_history_in_its_first_sync_and_the_lost_one_is_refused(
) -> Result<()> {
    let (n, _hub, code) = after_first_visit(2).await?;
    check_in(&n.phones[0], &n.hub, n.activity)?;
    live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    assert_eq!(lock(&n.phones[0]).wallet()?.balance, 10);
    let lost = lock(&n.phones[0]).device_key();

    // The phone is lost: the coordinator blocks it and makes an invitation
    // for the new one.
    let dir = tempfile::tempdir()?;
    let new = Arc::new(Mutex::new(replacement_phone(&n, &lost, dir.path())?));
    live::sync_with_hub(&new, &code, &live::no_events()).await?;
    // One sync: linked, and the member's points and history are here.
    assert!(lock(&new).status()?.profile.expect("joined").confirmed);
    let wallet = lock(&new).wallet()?;
    assert_eq!((wallet.balance, wallet.history.len()), (10, 1));

    // The lost phone is refused, as taken out of use (its member is not);
    // the neighbour never sees either's records.
    assert_eq!(
        live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await,
        Err(SyncProblem::RefusedByPeer {
            reason: Refusal::Retired
        })
    );
    live::sync_with_hub(&n.phones[1], &code, &live::no_events()).await?;
    assert_converged(&n.hub, &[&n.phones[1]])?;
    let neighbour = lock(&n.phones[1]).doc_heads()?;
    let theirs = lost.key_id().to_string();
    assert!(
        neighbour.keys().all(|doc| !doc.contains(&theirs)),
        "a neighbour holds none of the member's documents"
    );
    Ok(())
}

/// The same first sync of a new phone, held by hand, with the hub's
/// community document message that links the phone to its member arriving
/// one round after the member's documents (as when the phone's summary of
/// what it has made the hub hold that change back a round). The member's
/// documents are kept aside until the link comes, not dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_phone_keeps_its_members_documents_that_came_before_the_link() -> Result<()> {
    let _ = env_logger::builder().is_test(true).try_init();
    let (n, _hub, code) = after_first_visit(2).await?;
    check_in(&n.phones[0], &n.hub, n.activity)?;
    live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    let lost = lock(&n.phones[0]).device_key();
    let dir = tempfile::tempdir()?;
    let mut new = replacement_phone(&n, &lost, dir.path())?;
    let new_key = new.device_key();
    let hub_key = lock(&n.hub).device_key();
    let mut phone_session = new.sync_start(hub_key)?;
    let mut hub_session = lock(&n.hub).sync_start(new_key)?;
    let community = format!("community/{}", lock(&n.hub).community()?);
    let theirs = lost.key_id().to_string();

    let mut to_hub = new.sync_messages(&mut phone_session)?;
    let mut late: Vec<(String, Vec<u8>)> = Vec::new();
    let mut held_back_once = false;
    for _ in 0..64 {
        let to_phone = {
            let mut hub = lock(&n.hub);
            hub.sync_receive(&mut hub_session, to_hub)?;
            hub.sync_messages(&mut hub_session)?
        };
        let members_docs = to_phone.iter().any(|(doc, _)| doc.contains(&theirs));
        let (held, mut batch): (Vec<_>, Vec<_>) = to_phone
            .into_iter()
            .partition(|(doc, _)| !held_back_once && members_docs && *doc == community);
        if !held.is_empty() {
            held_back_once = true;
        }
        batch.splice(0..0, std::mem::replace(&mut late, held));
        if batch.is_empty() {
            break;
        }
        new.sync_receive(&mut phone_session, batch)?;
        to_hub = new.sync_messages(&mut phone_session)?;
        if to_hub.is_empty() && late.is_empty() {
            break;
        }
    }
    assert!(held_back_once, "the link was never held back a round");
    assert!(new.status()?.profile.expect("joined").confirmed);
    let wallet = new.wallet()?;
    assert_eq!((wallet.balance, wallet.history.len()), (10, 1));
    Ok(())
}

#[tokio::test]
async fn a_hub_that_cannot_read_its_store_says_try_again_not_revoked() -> Result<()> {
    let (n, _running, code) = after_first_visit(1).await?;
    // The hub's store starts failing: a table it reads is gone.
    let path = n._dir.path().join("hub.sqlite3");
    let reopened = Engine::open(&path, n.clock.clone())?;
    *lock(&n.hub) = reopened;
    rusqlite::Connection::open(&path)?.execute("DROP TABLE revocations", [])?;
    let phone_key = lock(&n.phones[0]).device_key();
    let community = lock(&n.hub).community()?;
    assert!(matches!(
        lock(&n.hub).admit(&community, &phone_key, &[]),
        Err(GateError::Failed(EngineError::Sql(_)))
    ));
    let result = live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await;
    assert_eq!(
        result,
        Err(SyncProblem::RefusedByPeer {
            reason: Refusal::Unavailable
        }),
        "the phone hears 'try again', not 'revoked'"
    );
    Ok(())
}

/// Opens a TCP connection to `hub` from the loopback address `from`.
async fn connect_from(
    from: std::net::Ipv4Addr,
    hub: std::net::SocketAddr,
) -> Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(std::net::SocketAddr::new(from.into(), 0))?;
    Ok(socket.connect(hub).await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_syncs_while_a_thousand_silent_sockets_wait_at_the_door() -> Result<()> {
    let (n, running, code) = after_first_visit(1).await?;
    let hub = std::net::SocketAddr::new("127.0.0.1".parse()?, running.address().port());
    // Someone on the Wi-Fi opens 1,000 connections from 125 addresses and
    // says nothing on them, and a few more that trickle a byte now and then.
    let mut silent = Vec::new();
    for i in 0..1000u32 {
        let from = std::net::Ipv4Addr::new(127, 0, 1 + (i / 200) as u8, 2 + (i % 125) as u8);
        silent.push(connect_from(from, hub).await?);
    }
    let mut tricklers = Vec::new();
    for i in 0..8u8 {
        let mut socket = connect_from(std::net::Ipv4Addr::new(127, 0, 9, 2 + i), hub).await?;
        tricklers.push(tokio::spawn(async move {
            // Whatever the hub does, this side just keeps dripping.
            while socket.write_all(&[0]).await.is_ok() {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }));
    }
    // The member checks in and syncs as on any day.
    check_in(&n.phones[0], &n.hub, n.activity)?;
    live::sync_with_hub(&n.phones[0], &code, &live::no_events()).await?;
    assert_eq!(
        lock(&n.phones[0]).wallet()?.balance,
        10,
        "the hub rewarded the check-in in the same sync"
    );
    for t in tricklers {
        t.abort();
    }
    drop(silent);
    Ok(())
}

/// A schedule the property test once found: phone 1's modified app deletes
/// and puts back keys between lost and repeated messages and cuts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_tampering_between_cuts_still_converges() -> Result<()> {
    use Step::*;
    chaos(vec![
        Deliver(7, false),
        Deliver(7, true),
        Cut,
        Drop(1),
        Speak(0),
        Activity,
        Tamper {
            delete: true,
            pick: 13,
        },
        Drop(0),
        Speak(0),
        Tamper {
            delete: false,
            pick: 51,
        },
        Deliver(3, true),
        Activity,
        Drop(1),
        Tamper {
            delete: false,
            pick: 39,
        },
        Speak(0),
        Tamper {
            delete: true,
            pick: 37,
        },
        Drop(4),
        Speak(1),
        Tamper {
            delete: false,
            pick: 8,
        },
        Speak(1),
        Tamper {
            delete: false,
            pick: 51,
        },
        Drop(7),
        Cut,
        Drop(2),
    ])
    .await
}
