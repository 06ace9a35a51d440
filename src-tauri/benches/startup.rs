//! Start-up and memory of the release app with the demo neighbourhood,
//! against a minimal Tauri v2 "hello world" built on the same machine in
//! the same run. Run by `scripts/bench-startup.sh`, which builds both apps,
//! seeds the demo store and starts a display; this binary only measures:
//!
//! - **start**: from spawning the process to the moment its page says its
//!   first screen is drawn (Nabo's UI sends `ui-ready` once the first real
//!   screen is painted; the hello world sends it on its first animation
//!   frame after load), read from the app's stdout;
//! - **memory**: the proportional set size (PSS) of the app and every
//!   process it started (WebKit's web and network processes), summed from
//!   `/proc/<pid>/smaps_rollup`, once it has been ready for 1.5 s.
//!
//! Runs alternate between the hello world, Nabo, and Nabo with WebKit's
//! baseline wasm compiler left on (what the app's own tuning saves), so
//! drift of the machine falls on all alike.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How many starts of each app.
const RUNS: usize = 11;
/// How long after ready the memory is read.
const SETTLE: Duration = Duration::from_millis(1500);
/// The longest a start may take before the run is called failed.
const LIMIT: Duration = Duration::from_secs(60);

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(
        std::env::var_os(name)
            .unwrap_or_else(|| panic!("{name} is not set: run scripts/bench-startup.sh")),
    )
}

/// Every process below `root` (and `root`), from `/proc`.
fn tree(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name, which may hold spaces.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        if let Some(ppid) = rest.split(' ').nth(1).and_then(|p| p.parse::<u32>().ok()) {
            parent_of.push((pid, ppid));
        }
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            parent_of
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    out
}

/// PSS of one process in kB.
fn pss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// One start: seconds to ready, of which seconds in the page (from the
/// start of its navigation, as the page says), and PSS of the whole tree in
/// MiB.
fn start(binary: &Path, args: &[String], env: &[(&str, String)]) -> (f64, f64, f64) {
    let mut cmd = Command::new(binary);
    cmd.args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.clone())))
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let began = Instant::now();
    let mut child = cmd.spawn().expect("the app starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(ms) = line.trim().strip_prefix("ready") {
                let _ = tx.send(ms.trim().parse::<f64>().unwrap_or(f64::NAN) / 1000.0);
            }
        }
    });
    let ready = rx.recv_timeout(LIMIT);
    let secs = began.elapsed().as_secs_f64();
    let Ok(in_page) = ready else {
        let _ = child.kill();
        panic!("{} did not get ready within {LIMIT:?}", binary.display());
    };
    std::thread::sleep(SETTLE);
    let kb: u64 = tree(child.id()).into_iter().map(pss).sum();
    // The whole tree goes, WebKit's helpers too.
    for pid in tree(child.id()).into_iter().rev() {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    let _ = child.wait();
    (secs, in_page, kb as f64 / 1024.0)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// One app's starts: seconds to ready, seconds in the page, MiB.
#[derive(Default)]
struct Starts {
    total: Vec<f64>,
    page: Vec<f64>,
    memory: Vec<f64>,
}

impl Starts {
    fn push(&mut self, (t, p, m): (f64, f64, f64)) {
        self.total.push(t);
        self.page.push(p);
        self.memory.push(m);
    }

    /// Medians of start, page and memory (sorts the samples).
    fn medians(&mut self) -> (f64, f64, f64) {
        (
            median(&mut self.total),
            median(&mut self.page),
            median(&mut self.memory),
        )
    }

    fn row(&mut self, name: &str) -> (f64, f64, f64) {
        let (t, p, m) = self.medians();
        println!(
            "| {name} | {t:.2} s ({:.2}–{:.2}) | {p:.2} s | {m:.0} MiB ({:.0}–{:.0}) |",
            self.total[0],
            self.total[RUNS - 1],
            self.memory[0],
            self.memory[RUNS - 1]
        );
        (t, p, m)
    }
}

fn main() {
    let nabo = env_path("NABO_BENCH_APP");
    let hello = env_path("NABO_BENCH_HELLO");
    let demo = env_path("NABO_BENCH_DEMO");
    let work = tempfile::tempdir().expect("temp dir");
    let (mut hello_s, mut nabo_s, mut baseline_s) =
        (Starts::default(), Starts::default(), Starts::default());
    for run in 0..RUNS {
        hello_s.push(start(&hello, &[], &[("HELLO_PRINT_READY", "1".into())]));
        // Nabo as it starts, and with WebKit's baseline wasm compiler left
        // on (the app turns it off, see `tune_webkit` in main.rs), each on a
        // fresh copy of the demo store: the same data, opened the way a
        // start opens it.
        for (starts, baseline) in [(&mut nabo_s, false), (&mut baseline_s, true)] {
            let data = work.path().join(format!("run{run}-{baseline}"));
            copy_dir(&demo, &data);
            let mut env = vec![("NABO_PRINT_READY", "1".to_string())];
            if baseline {
                env.push(("JSC_useBBQJIT", "1".into()));
            }
            starts.push(start(
                &nabo,
                &["--data-dir".into(), data.display().to_string()],
                &env,
            ));
        }
        eprintln!(
            "run {}: hello {:.2} s, nabo {:.2} s, with the baseline compiler {:.2} s",
            run + 1,
            hello_s.total[run],
            nabo_s.total[run],
            baseline_s.total[run]
        );
    }
    println!("Starts: {RUNS} of each, alternating; medians (min–max).");
    println!();
    println!("| | Start to first screen | Of which in the page | Memory (PSS, app and WebKit) |");
    println!("|---|---|---|---|");
    let (ht, hp, hm) = hello_s.row("Tauri v2 hello world");
    let (nt, np, nm) = nabo_s.row("Nabo with the demo neighbourhood");
    let (bt, bp, _) =
        baseline_s.row("Nabo, WebKit's baseline wasm compiler left on (`JSC_useBBQJIT=1`)");
    println!(
        "| Nabo ÷ hello world | {:.2}× (target ≤ 1.2×) | {:.2}× | {:.2}× (target ≤ 1.3×) |",
        nt / ht,
        np / hp,
        nm / hm
    );
    println!(
        "| Nabo with the baseline compiler ÷ hello world | {:.2}× | {:.2}× | |",
        bt / ht,
        bp / hp
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("data dir");
    for entry in std::fs::read_dir(from).expect("demo store").flatten() {
        let path = entry.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}
