//! What a member card costs: printing one (a new key, its PIN stretched
//! with Argon2id at 64 MiB, the signed records, the PDF with its fonts) and
//! a payee's device checking a PIN (one Argon2id run, right or wrong) —
//! the price of each guess for whoever tries a photocopied card. Prints a
//! Markdown table for `BENCHMARKS.md`. Run: `cargo bench -p nabo --bench
//! cards`.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use nabo_lib::engine::{Engine, ManualClock};
use nabo_shared::community::CreateCommunity;
use nabo_shared::members::cards::CardTexts;

const ROUNDS: usize = 10;

fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap());
    let mut hub = Engine::open(&dir.path().join("hub.sqlite3"), clock).expect("store");
    hub.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })
    .expect("community");
    let texts = CardTexts {
        heading: "Medlemskort".into(),
        code: "Kode".into(),
        how: "Vis kortet ved aktiviteter; din pinkode skal bruges, når du betaler.".into(),
    };
    let mut print = Vec::new();
    let mut pdf_bytes = 0;
    for i in 0..ROUNDS {
        let start = Instant::now();
        let card = hub
            .enrol_card(&format!("Beboer {i} فاطمة"), "246813", &texts)
            .expect("card");
        print.push(start.elapsed().as_secs_f64() * 1000.0);
        pdf_bytes = card.pdf.len();
    }
    // A PIN checked at the counter: a request of this device, a card, and
    // a wrong PIN (the Argon2id run is the same for a right one).
    let card = hub.enrol_card("Zainab", "246813", &texts).expect("card");
    let png = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-singlefile", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(&card.pdf)?;
            child.wait_with_output()
        })
        .expect("pdftoppm (poppler-utils, installed by scripts/setup.sh)")
        .stdout;
    let text = nabo_lib::engine::read_qr_image(&png).expect("the card's code");
    let mut check = Vec::new();
    for _ in 0..4 {
        let request = hub.request_payment(1, "Kaffe").expect("request").text;
        let start = Instant::now();
        let _ = hub.pay_by_card(&request, &text, "000000");
        check.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!("| What | Median of {ROUNDS} (4 for PINs) |");
    println!("|---|---|");
    println!(
        "| Print a card (key, Argon2id seal, records, PDF of {} kB) | {:.0} ms |",
        pdf_bytes / 1024,
        median(print)
    );
    println!(
        "| Check a PIN at the counter (one Argon2id run) | {:.0} ms |",
        median(check)
    );
}
