//! The five-year benchmark: a coordinator's store after five years of a
//! community of 2,000 residents, 60 weekly activities and 20 partners —
//! about 830,000 rewarded check-ins, 50,000 approved hour claims and
//! 100,000 payments, so about a million ledger entries (see
//! `Engine::make_up_years`). Measures what the issue names: opening the
//! store, a member's balance, a member's wallet page, the review queue, a
//! full overspend check, a projection rebuild and a check-in, and the
//! reconcile every sync runs first. Prints a Markdown table for
//! `BENCHMARKS.md`.
//!
//! Run: `cargo bench -p nabo --bench five_years`. The store is made once
//! (tens of minutes) and kept in the target dir
//! (`bench-data/five-years-<residents>x<months>.sqlite`); set
//! `NABO_BENCH_RESIDENTS` and `NABO_BENCH_MONTHS` for a smaller community,
//! `NABO_BENCH_REBUILD=0` to leave out the rebuild (minutes).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use nabo_lib::engine::synthetic::{resident_key, Plan};
use nabo_lib::engine::{Engine, ManualClock};
use nabo_shared::activities::ScanOutcome;
use nabo_shared::crypto::MemberKey;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The target dir this bench was built into (`target/release/deps/…`).
fn target_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("the bench's path");
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir)
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// The median of up to `runs` timings of `f`: fewer when they take long
/// (it stops once ten seconds went by, after at least one).
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let began = Instant::now();
    let mut times: Vec<Duration> = Vec::new();
    while times.len() < runs && (times.is_empty() || began.elapsed() < Duration::from_secs(10)) {
        let start = Instant::now();
        f();
        times.push(start.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

/// Prints a row of the table as soon as it is measured.
fn row(what: &str, time: Duration, target: &str) {
    println!("| {what} | {} | {target} |", ms(time));
}

fn main() {
    let plan = Plan {
        residents: env_usize("NABO_BENCH_RESIDENTS", Plan::five_years().residents),
        months: env_usize("NABO_BENCH_MONTHS", Plan::five_years().months as usize) as u32,
        ..Plan::five_years()
    };
    // The last day of the history: a Tuesday at noon.
    let end = Utc
        .with_ymd_and_hms(2026, 12, 1, 11, 0, 0)
        .single()
        .expect("a time");
    let dir = target_dir().join("bench-data");
    std::fs::create_dir_all(&dir).expect("the bench-data dir");
    let name = format!("five-years-{}x{}", plan.residents, plan.months);
    let path = dir.join(format!("{name}.sqlite"));
    let done = dir.join(format!("{name}.done"));
    if !done.exists() {
        let _ = std::fs::remove_file(&path);
        eprintln!(
            "making up {} months of {} residents in {}",
            plan.months,
            plan.residents,
            path.display()
        );
        let clock = ManualClock::at(end);
        let mut engine = Engine::open(&path, clock.clone()).expect("a new store");
        let start = Instant::now();
        let made = engine
            .make_up_years(&plan, &clock, end, |month, made| {
                eprintln!(
                    "  month {month}/{}: {} check-ins, {} hour claims, {} payments, {:.0} s",
                    plan.months,
                    made.checkins,
                    made.hour_claims,
                    made.payments,
                    start.elapsed().as_secs_f64()
                );
            })
            .expect("the years");
        let summary = format!(
            "{} check-ins (each rewarded), {} hour claims (each approved), {} payments (each \
             closed by its partner): {} ledger entries, {} signed records, made in {:.0} s",
            made.checkins,
            made.hour_claims,
            made.payments,
            made.ledger_entries,
            made.records,
            start.elapsed().as_secs_f64()
        );
        drop(engine);
        std::fs::write(&done, &summary).expect("the done mark");
    }
    let summary = std::fs::read_to_string(&done).unwrap_or_default();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "Store: {} ({:.0} MB); {summary}",
        path.display(),
        size as f64 / 1e6
    );

    println!();
    println!("| What | Time (median) | Target |");
    println!("|---|---|---|");
    let clock = ManualClock::at(end);
    // The first open after an upgrade builds new indexes: not timed.
    drop(Engine::open(&path, clock.clone()).expect("open"));
    let open = median(5, || {
        let engine = Engine::open(&path, clock.clone()).expect("open");
        engine.status().expect("status");
    });
    row("Open the store (and read the status)", open, "under 1 s");
    let mut engine = Engine::open(&path, clock.clone()).expect("open");
    let member = MemberKey::of(&resident_key(plan.residents / 2));
    let device = member.key_id().to_string();
    // The engine keeps members' accounts judged, and what the queue found
    // signed out of office, between calls and in the store: the first look
    // after opening takes them up (the bench's first run, or one after a
    // change of the community document, judged everything).
    let start = Instant::now();
    engine.review().expect("review");
    row(
        "The first review queue after opening (what was judged taken up from the store)",
        start.elapsed(),
        "–",
    );
    let balance = median(20, || {
        engine.spendable(&member).expect("balance");
    });
    row(
        "A member's balance (what they can spend)",
        balance,
        "under 1 ms",
    );
    // A coordinator's correction moves a member's account: the next
    // balance judges it again from their rows alone. Ten members across
    // the community, so the corrections of earlier runs (one each per run)
    // do not pile up on one account.
    // Each member's account moves twice: the first judgement reads rows
    // no one read since the app opened (from the operating system's cache
    // or the disk), the second the same rows again.
    let (mut first, mut again) = (Vec::new(), Vec::new());
    for i in 0..10 {
        let other = MemberKey::of(&resident_key((i * 197 + 13) % plan.residents));
        for times in [&mut first, &mut again] {
            engine
                .correct_points(&other.key_id().to_string(), 1, "Bench")
                .expect("a correction");
            let start = Instant::now();
            engine.spendable(&other).expect("balance");
            times.push(start.elapsed());
        }
    }
    first.sort();
    again.sort();
    row(
        "A member's balance right after their account moved (judged again alone, their rows \
         not read since opening)",
        first[first.len() / 2],
        "under 1 ms",
    );
    row(
        "… when it moves again (the same rows read a moment ago)",
        again[again.len() / 2],
        "under 1 ms",
    );
    let every_balance = median(5, || {
        engine.members().expect("members");
    });
    row(
        "Every member's balance (the members list)",
        every_balance,
        "–",
    );
    let currency = median(5, || {
        engine.currency().expect("currency");
    });
    row(
        "The community's points as a whole (the currency screen)",
        currency,
        "–",
    );
    let wallet = median(10, || {
        engine.member_history(&device).expect("wallet");
    });
    let lines = engine
        .member_history(&device)
        .expect("wallet")
        .history
        .len();
    row(
        &format!("A member's wallet page ({lines} lines)"),
        wallet,
        "under 50 ms",
    );
    let activities = median(5, || {
        engine.list_activities().expect("activities");
    });
    let listed = engine.list_activities().expect("activities");
    row(
        &format!(
            "The activities list ({} activities, today's {} check-ins counted)",
            listed.len(),
            listed.iter().map(|a| a.checkins_today).sum::<u32>()
        ),
        activities,
        "–",
    );
    let activity = listed[0].id;
    // The screen asks for the newest 100, and 100 more at a time.
    let attendance = median(5, || {
        engine
            .activity_attendance(activity, 100)
            .expect("attendance");
    });
    let came = engine
        .activity_attendance(activity, 100)
        .expect("attendance")
        .checkins;
    row(
        &format!("An activity's attendance list (the newest 100 of {came} check-ins)"),
        attendance,
        "–",
    );
    let review = median(5, || {
        engine.review().expect("review");
    });
    row("The review queue", review, "under 50 ms");
    let kept = median(5, || {
        engine.overspends().expect("overspends");
    });
    row("The overspend flags (kept verdicts)", kept, "–");
    let overspend = median(5, || {
        engine.overspends_afresh().expect("overspends");
    });
    let flags = engine.overspends_afresh().expect("overspends").len();
    assert_eq!(engine.overspends().expect("overspends").len(), flags);
    row(
        &format!("A full overspend check, every account judged afresh ({flags} flags)"),
        overspend,
        "under 1 s",
    );
    // A change of the community document can make old check-ins
    // rewardable: a new or edited activity its own, a member placed anew
    // theirs, a change of the rules or the terms of office any. (A
    // reconcile first, so the one timed after the activity looks only at
    // what the activity can have changed.)
    engine.reconcile().expect("reconcile");
    let day = nabo_lib::engine::Clock::now(&clock).date_naive();
    engine
        .save_activity(nabo_shared::activities::ActivityInput {
            id: None,
            title: "Bench".into(),
            description: String::new(),
            place: "Beboerhuset".into(),
            schedule: nabo_shared::activities::Schedule {
                date: day,
                start: chrono::NaiveTime::from_hms_opt(18, 0, 0).expect("a time"),
                end: chrono::NaiveTime::from_hms_opt(19, 0, 0).expect("a time"),
                repeat: nabo_shared::activities::Repeat::Once,
                days: Default::default(),
            },
            reward: 1,
            daily_cap: None,
        })
        .expect("an activity");
    // Who counts as what, the rules and the activities live in the
    // community document: a new activity moves no one's account, and what
    // was judged is carried over it.
    let start = Instant::now();
    engine.review().expect("review");
    row(
        "The first review queue after a new activity (what was judged carried over the change)",
        start.elapsed(),
        "–",
    );
    // A new activity's check-ins (none yet) are all a reconcile looks at
    // again.
    let start = Instant::now();
    engine.reconcile().expect("reconcile");
    row(
        "The first reconcile after a new activity (its check-ins looked at again)",
        start.elapsed(),
        "–",
    );
    // A change of the rules can move every account: all are judged again
    // (the credit limit goes between 0 and 1 point from run to run; each
    // run's change a minute after the last, so it is the one in force).
    let rules = engine.rules().expect("the rules");
    if let Some(last) = rules.history.iter().map(|c| c.at).max() {
        clock.set(last.max(nabo_lib::engine::Clock::now(&clock)) + chrono::Duration::minutes(1));
    }
    engine
        .set_rules(nabo_shared::rewards::rules::Rules {
            credit_limit: u32::from(rules.rules.credit_limit == 0),
            ..rules.rules
        })
        .expect("the rules");
    assert_ne!(engine.rules().expect("the rules").rules, rules.rules);
    let start = Instant::now();
    engine.review().expect("review");
    row(
        "The first review queue after a change of the rules (every account judged again)",
        start.elapsed(),
        "–",
    );
    let start = Instant::now();
    engine.reconcile().expect("reconcile");
    row(
        "The first reconcile after a change of the rules (what is new only)",
        start.elapsed(),
        "–",
    );
    let reconcile = median(3, || {
        engine.reconcile().expect("reconcile");
    });
    row("A later reconcile (before every sync)", reconcile, "–");
    // The app closed and opened again: reconcile takes up where the last
    // one stopped (its marks are kept with the community document's heads).
    drop(engine);
    let mut engine = Engine::open(&path, clock.clone()).expect("open");
    let start = Instant::now();
    engine.reconcile().expect("reconcile");
    row(
        "The first reconcile after opening the app again",
        start.elapsed(),
        "–",
    );
    // A check-in on the coordinator's device (the community house's
    // computer): verify the code, record, project, and the reconcile that
    // rewards it at once. One per activity held today.
    // An earlier run checked in on this day: a week on, they meet again
    // (at least five samples, since a one-off activity an earlier run made
    // may be the only one left on a day).
    let mut now = end;
    let mut checkins = Vec::new();
    while checkins.len() < 5 {
        clock.set(now);
        let day = now.date_naive();
        let today = engine
            .list_activities()
            .expect("activities")
            .into_iter()
            .filter(|a| a.next_session == Some(day))
            .collect::<Vec<_>>();
        assert!(!today.is_empty(), "activities held on {day}");
        for activity in &today {
            let code = engine.checkin_qr(activity.id).expect("a code").text;
            let start = Instant::now();
            let outcome = engine.scan_text(&code).expect("a scan");
            let took = start.elapsed();
            if matches!(outcome, ScanOutcome::CheckedIn { .. }) {
                checkins.push(took);
            }
        }
        now += chrono::Duration::weeks(1);
    }
    checkins.sort();
    let checkin = checkins
        .get(checkins.len() / 2)
        .copied()
        .unwrap_or_default();
    row(
        &format!(
            "A check-in on the coordinator's device ({} samples)",
            checkins.len()
        ),
        checkin,
        "under 20 ms",
    );
    // A budget round opened (a change of the community document that
    // neither who counts as what nor rewards read), then the reconcile
    // before the next sync.
    let today = nabo_lib::engine::Clock::now(&clock).date_naive();
    engine
        .save_round(nabo_shared::budget::round::RoundInput {
            id: None,
            title: "Fem år".into(),
            amount: 50_000,
            area: String::new(),
            phases: nabo_shared::budget::round::Phases {
                ideas: today,
                review: today + chrono::Days::new(7),
                voting: today + chrono::Days::new(14),
                result: today + chrono::Days::new(21),
            },
            ballot: nabo_shared::budget::round::BallotRule {
                min: 0,
                max: None,
                cost_limit: None,
            },
            rule: nabo_shared::budget::round::OutcomeRule::EqualShares,
        })
        .expect("a round");
    let start = Instant::now();
    engine.reconcile().expect("reconcile");
    row(
        "The reconcile after a budget round is opened",
        start.elapsed(),
        "–",
    );
    // Minutes on the full store: `NABO_BENCH_REBUILD=0` leaves it out.
    if std::env::var("NABO_BENCH_REBUILD").as_deref() != Ok("0") {
        let docs = engine.doc_heads().expect("heads").len();
        let start = Instant::now();
        engine.rebuild_projection().expect("rebuild");
        let rebuild = start.elapsed();
        row(
            &format!("Projection rebuild ({docs} documents)"),
            rebuild,
            "under 30 s",
        );
    }
    println!();
    println!("Peak memory (VmHWM): {}", common::peak_rss());
}
