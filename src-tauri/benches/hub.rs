//! The community-house benchmark: 50 phones, each with a week of offline
//! check-ins (~100), sync into one hub over loopback (real sockets, the
//! encrypted channel, a SQLite file per device). Prints a Markdown table for
//! `BENCHMARKS.md`: wall time of the busy hour, bytes on the wire against the
//! size of the changes that had to move, and the cost of a sync with nothing
//! new. Run: `cargo bench -p nabo --bench hub` (set `NABO_BENCH_PHONES` for
//! another crowd size).

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use nabo_lib::engine::{Engine, ManualClock};
use nabo_lib::net::sync::{self as live, Hub, SharedEngine};
use nabo_shared::activities::{ActivityInput, Repeat, Schedule};
use nabo_shared::community::{CreateCommunity, JoinCommunity};
use nabo_shared::members::Role;
use nabo_shared::sync::SyncTotals;

type Heads = BTreeMap<String, Vec<automerge::ChangeHash>>;

const ACTIVITIES: usize = 14;
const DAYS: i64 = 7;

fn activity(i: usize) -> ActivityInput {
    ActivityInput {
        id: None,
        title: format!("Aktivitet {i}"),
        description: String::new(),
        place: "Beboerhuset".into(),
        schedule: Schedule {
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
            days: nabo_shared::activities::Weekdays::default(),
        },
        reward: 10,
        daily_cap: Some(400),
    }
}

fn lock(e: &SharedEngine) -> std::sync::MutexGuard<'_, Engine> {
    live::lock(e)
}

fn heads(devices: &[SharedEngine]) -> Vec<Heads> {
    devices
        .iter()
        .map(|d| lock(d).doc_heads().expect("heads"))
        .collect()
}

/// Changes (count, bytes) that reached each device since `before`, summed.
fn moved(devices: &[SharedEngine], before: &[Heads]) -> (u64, u64) {
    devices.iter().zip(before).fold((0, 0), |(c, b), (d, h)| {
        let (count, bytes) = lock(d).received_since(h).expect("changes");
        (c + count, b + bytes)
    })
}

/// Every phone syncs with the hub at once; returns the summed counts
/// (from the phones' side) and the wall time. A phone whose sync fails is
/// reported and fails the run at the end: the crowd must get through.
async fn round(
    phones: &[SharedEngine],
    code: &nabo_shared::sync::PairingCode,
) -> (SyncTotals, f64) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, phone) in phones.iter().enumerate() {
        let (phone, code) = (phone.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            live::sync_with_hub_from(&phone, &code, Some(address_of(i)), &live::no_events()).await
        }));
    }
    let mut totals = SyncTotals::default();
    let mut failed = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(t) => totals.add(&t),
            Err(e) => {
                eprintln!("a phone's sync failed: {e}");
                failed += 1;
            }
        }
    }
    assert_eq!(failed, 0, "{failed} phones could not sync");
    (totals, start.elapsed().as_secs_f64())
}

/// Phone `i`'s own loopback address (127.0.0.2, .3, ...): phones on the
/// Wi-Fi each come from their own address, and the hub lets one address
/// hold only a few connections.
fn address_of(i: usize) -> std::net::IpAddr {
    std::net::Ipv4Addr::new(127, 0, (i / 250) as u8, (2 + i % 250) as u8).into()
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() {
    // RUST_LOG=warn shows why a sync fails.
    let _ = env_logger::try_init();
    let began = Instant::now();
    let phones: usize = std::env::var("NABO_BENCH_PHONES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let monday = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
    let clock = ManualClock::at(monday - Duration::days(1));

    // The neighbourhood: a coordinator's hub, 14 activities, and phones that
    // joined and synced once before the week.
    let mut hub = Engine::open(&dir.path().join("hub.sqlite3"), clock.clone()).expect("hub");
    hub.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })
    .expect("community");
    let activities: Vec<_> = (0..ACTIVITIES)
        .map(|i| hub.save_activity(activity(i)).expect("activity").id)
        .collect();
    // One invite per phone: an invite admits one device.
    let invites: Vec<String> = (0..phones)
        .map(|_| hub.invite_code(Role::Resident).expect("invite").encode())
        .collect();
    let hub = Arc::new(Mutex::new(hub));
    let devices: Vec<SharedEngine> = (0..phones)
        .map(|i| {
            let invite = &invites[i];
            let mut phone =
                Engine::open(&dir.path().join(format!("phone{i}.sqlite3")), clock.clone())
                    .expect("phone");
            phone
                .join_community(JoinCommunity {
                    invite: invite.clone(),
                    my_name: format!("Beboer {i}"),
                })
                .expect("join");
            Arc::new(Mutex::new(phone))
        })
        .collect();
    // What the hub issued (memberships and rewards), from its own events.
    let issued = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (running, code) = runtime.block_on(async {
        let issued = issued.clone();
        let events: live::Events = Arc::new(move |e: live::SyncEvent| {
            if let nabo_shared::sync::SyncPhase::Done { totals } = e.progress.phase {
                issued.fetch_add(totals.issued as u64, std::sync::atomic::Ordering::Relaxed);
            }
        });
        let running = Hub::start(hub.clone(), "127.0.0.1:0".parse().unwrap(), events)
            .await
            .expect("hub");
        let code = lock(&hub)
            .pairing_code(vec!["127.0.0.1".parse().unwrap()], running.address().port())
            .expect("code");
        for (i, phone) in devices.iter().enumerate() {
            live::sync_with_hub_from(phone, &code, Some(address_of(i)), &live::no_events())
                .await
                .expect("first sync");
        }
        (running, code)
    });

    let mut all = vec![hub.clone()];
    all.extend(devices.iter().cloned());
    let mut rows = Vec::new();
    let mut checkins = 0;
    for week in 0..2 {
        // The week, offline: every phone checks in to every activity every day.
        let start = monday + Duration::weeks(week);
        for day in 0..DAYS {
            for (a, id) in activities.iter().enumerate() {
                clock.set(start + Duration::days(day) + Duration::minutes(30 * a as i64));
                let text = lock(&hub).checkin_code(*id).expect("code").encode();
                for phone in &devices {
                    lock(phone).scan_text(&text).expect("check-in");
                    checkins += 1;
                }
            }
        }
        clock.set(start + Duration::days(DAYS));
        // The busy hour: everyone comes by at once.
        eprintln!(
            "[{:.1} s] week {}: syncing",
            began.elapsed().as_secs_f64(),
            week + 1
        );
        let issued_before = issued.load(std::sync::atomic::Ordering::Relaxed);
        let before = heads(&all);
        let (totals, secs) = runtime.block_on(round(&devices, &code));
        let (count, bytes) = moved(&all, &before);
        let wire = totals.bytes_in + totals.bytes_out;
        rows.push(format!(
            "| Week {}: everyone arrives at once | {secs:.2} s | {count} ({} rewards) | {} | {} | {:.2} |",
            week + 1,
            issued.load(std::sync::atomic::Ordering::Relaxed) - issued_before,
            kib(bytes),
            kib(wire),
            wire as f64 / bytes.max(1) as f64
        ));
    }
    // Nothing new: the cost of checking.
    let (idle, idle_secs) = runtime.block_on(round(&devices, &code));
    drop(running);
    let idle_wire = idle.bytes_in + idle.bytes_out;
    println!(
        "Phones: {phones}; {ACTIVITIES} activities; check-ins made offline: {checkins} ({} per phone per week).",
        checkins / phones / 2
    );
    println!();
    println!(
        "| Sync | Wall time | Changes moved | Their size | Bytes on the wire | Wire ÷ changes |"
    );
    println!("|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!(
        "| Nothing new | {idle_secs:.2} s | 0 | 0 | {} ({} B per phone, both ways) | – |",
        kib(idle_wire),
        idle_wire / phones as u64,
    );
    assert_eq!(idle.rounds, 0, "one message each way: nothing, and Done");
    println!();
    println!(
        "Every phone synced without an error. Peak memory of the process (the hub and all {phones} phones' engines together): {}.",
        common::peak_rss()
    );
}
