//! A neighbourhood budget round as the coordinator's device sees it at the
//! close of voting: `VOTERS` residents' signed ballots over `PROPOSALS`
//! proposals, all in a real store. Times what the round screen asks for:
//! the round before the count (it reads and checks every ballot), closing
//! voting (the count signed and both outcomes computed), and the round
//! after the count (both outcomes computed from the count, as every device
//! does each time it shows the round). Prints a Markdown table for
//! `BENCHMARKS.md`. Run: `cargo bench -p nabo --bench round`.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use nabo_lib::engine::{Engine, ManualClock};

const RUNS: usize = 5;

fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

fn main() {
    println!("| Ballots | Proposals | Round before the count | Close voting and count | Round with its result |");
    println!("|---|---|---|---|---|");
    for (voters, proposals) in [(2_000, 30), (10_000, 60)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap());
        let mut hub = Engine::open(&dir.path().join("hub.sqlite3"), clock.clone()).expect("store");
        let round = hub.make_up_round(voters, proposals).expect("round");
        let mut before = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let seen = hub.round_detail(round).expect("round");
            before.push(start.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(seen.ballots, Some(voters as u64));
        }
        let start = Instant::now();
        let report = hub.close_voting(round).expect("count");
        let close = start.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(report.voters, voters as u64);
        let mut after = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let seen = hub.round_detail(round).expect("round");
            after.push(start.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(seen.result.as_ref(), Some(&report));
        }
        println!(
            "| {voters} | {proposals} | {:.0} ms | {close:.0} ms | {:.0} ms |",
            median(before),
            median(after)
        );
    }
}
