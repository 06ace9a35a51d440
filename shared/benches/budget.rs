//! What the neighbourhood budget's outcomes cost on the two real pabulib
//! instances beside the project (`../shared/pabulib`): reading the file,
//! greedy by votes, the Method of Equal Shares alone and with its Add1
//! completion then greedy, and MES in exact arithmetic only (without the
//! floating-point pass). Prints a Markdown table for `BENCHMARKS.md`. Run:
//! `cargo bench -p nabo-shared --bench budget`.

use std::time::Instant;

use nabo_shared::budget::{greedy, mes, pabulib, TieBreak};

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/pabulib");
    if !dir.exists() {
        eprintln!(
            "*** SKIPPED: {} is absent; the budget bench needs the pabulib instances ***",
            dir.display()
        );
        return;
    }
    println!("| Instance | Ballots (distinct) | Projects | Read | Greedy | MES | MES + Add1 + greedy (shares tried) | MES exact only |");
    println!("|---|---|---|---|---|---|---|---|");
    for file in ["Netherlands_Amsterdam_621.pb", "Poland_Warszawa_2026.pb"] {
        let start = Instant::now();
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let e = pabulib::parse(&text)
            .expect("a pabulib file")
            .election()
            .expect("approval ballots");
        let read = ms(start);
        let tie = TieBreak::ProjectId;
        let start = Instant::now();
        let _ = greedy::greedy(&e, &tie);
        let greedy_ms = ms(start);
        let start = Instant::now();
        let plain = mes::mes(&e, &tie);
        let mes_ms = ms(start);
        let start = Instant::now();
        let done = mes::mes_add1(&e, &tie);
        let add1_ms = ms(start);
        let start = Instant::now();
        let exact = mes::mes_exact(&e, &tie, &plain.share);
        let exact_ms = ms(start);
        assert_eq!(exact.outcome, plain.outcome);
        println!(
            "| {file} | {} ({}) | {} | {read:.0} ms | {greedy_ms:.2} ms | {mes_ms:.0} ms | {:.2} s ({}) | {:.2} s |",
            e.voters,
            e.groups.len(),
            e.projects.len(),
            add1_ms / 1000.0,
            done.tries,
            exact_ms / 1000.0
        );
    }
    // The process's peak resident memory, as Linux reports it.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: unknown");
    println!("\npeak RSS {}", peak.trim_start_matches("VmHWM:").trim());
}
