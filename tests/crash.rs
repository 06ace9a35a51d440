//! Crash safety: a writer process is killed (`kill -9`) at a random point in
//! a burst of writes, hundreds of times over. Afterwards the store opens,
//! SQLite's integrity check passes, every write the writer saw acknowledged
//! is there, and the projection equals a rebuild from the documents.
//!
//! The writer is this test binary itself, started again with
//! `NABO_CRASH_WRITER` naming the store: it saves activities one after the
//! other and prints each one's id once `save_activity` has returned.

mod support;

use support::{activity, tuesday as clock};

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use nabo_lib::engine::Engine;
use nabo_shared::community::CreateCommunity;

/// How many times the writer is killed (`NABO_CRASH_ROUNDS` for more), in
/// stores of [`PER_STORE`] rounds each so no store grows large.
const ROUNDS: u64 = 200;
const PER_STORE: u64 = 40;

/// The child: writes until it is killed.
fn writer(path: &Path) -> ! {
    let mut engine = Engine::open(path, clock()).expect("the store opens");
    for n in 0.. {
        let saved = engine
            .save_activity(activity(&format!("Aktivitet {n}"), 10, None))
            .expect("the write succeeds");
        // Acknowledged: the transaction has committed.
        println!("ack {}", saved.id);
    }
    unreachable!("the writer writes until it is killed")
}

#[test]
fn a_writer_killed_mid_write_keeps_every_acknowledged_write() -> Result<()> {
    if let Some(path) = std::env::var_os("NABO_CRASH_WRITER") {
        writer(Path::new(&path));
    }
    let rounds = std::env::var("NABO_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(ROUNDS);
    let dir = tempfile::tempdir()?;
    let me = std::env::current_exe()?;
    let mut acknowledged = Vec::new();
    let mut kept = 0;
    let mut path = dir.path().join("store-0.sqlite3");
    for round in 0..rounds {
        if round % PER_STORE == 0 {
            kept += acknowledged.len();
            acknowledged.clear();
            path = dir.path().join(format!("store-{round}.sqlite3"));
            Engine::open(&path, clock())?.create_community(CreateCommunity {
                community_name: "Tingbjerg".into(),
                my_name: "Sara".into(),
            })?;
        }
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "a_writer_killed_mid_write_keeps_every_acknowledged_write",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("NABO_CRASH_WRITER", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        // Kill it after a different number of acknowledged writes each
        // round: somewhere inside the next write.
        let wait_for = (round * 7919) % 13;
        let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
        // (The test harness prints lines of its own; acknowledgements start
        // with "ack ".)
        let mut seen = 0;
        while seen < wait_for {
            match lines.next() {
                Some(line) => {
                    if let Some(id) = line?.strip_prefix("ack ") {
                        acknowledged.push(id.to_owned());
                        seen += 1;
                    }
                }
                None => bail!("the writer stopped by itself in round {round}"),
            }
        }
        child.kill()?;
        child.wait()?;
        // Whatever it printed before it died was acknowledged too.
        for line in lines {
            if let Some(id) = line?.strip_prefix("ack ") {
                acknowledged.push(id.to_owned());
            }
        }

        let integrity: String =
            rusqlite::Connection::open(&path)?
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        assert_eq!(integrity, "ok", "round {round}");
        let mut engine = Engine::open(&path, clock())?;
        let stored: std::collections::BTreeSet<String> = engine
            .list_activities()?
            .into_iter()
            .map(|a| a.id.to_string())
            .collect();
        for id in &acknowledged {
            assert!(
                stored.contains(id),
                "round {round}: acknowledged {id} is gone"
            );
        }
        let dump = engine.projection_dump()?;
        engine.rebuild_projection()?;
        assert_eq!(engine.projection_dump()?, dump, "round {round}");
    }
    eprintln!(
        "{rounds} kills, {} acknowledged writes all kept",
        kept + acknowledged.len()
    );
    Ok(())
}
