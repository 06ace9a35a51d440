//! Helpers the test targets share (each uses its own part of them).
#![allow(dead_code)]

use std::path::Path;

use automerge::{ActorId, AutoCommit};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use nabo_lib::engine::ManualClock;
use nabo_shared::activities::{ActivityInput, Repeat, Schedule};
use nabo_shared::crypto::MemberKey;

/// A Tuesday afternoon in Copenhagen, during [`activity`]'s first session.
pub fn tuesday() -> ManualClock {
    ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap())
}

/// A weekly activity from that Tuesday, 15:00–17:00 at the community house.
pub fn activity(title: &str, reward: u32, cap: Option<u32>) -> ActivityInput {
    ActivityInput {
        id: None,
        title: title.into(),
        description: "Hjælp til lektier".into(),
        place: "Beboerhuset".into(),
        schedule: Schedule {
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            start: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
            days: nabo_shared::activities::Weekdays::default(),
        },
        reward,
        daily_cap: cap,
    }
}

/// A budget round of 10,000 kr. whose ideas phase starts `today`, each
/// later phase a day after the one before, with no limits on the ballot and
/// equal shares published (change what a test needs with `..`).
pub fn round_input(today: NaiveDate) -> nabo_shared::budget::round::RoundInput {
    use nabo_shared::budget::round::{BallotRule, OutcomeRule, Phases, RoundInput};
    RoundInput {
        id: None,
        title: "Solhøj 2027".into(),
        amount: 10_000,
        area: String::new(),
        phases: Phases {
            ideas: today,
            review: today + chrono::Days::new(1),
            voting: today + chrono::Days::new(2),
            result: today + chrono::Days::new(3),
        },
        ballot: BallotRule {
            min: 0,
            max: None,
            cost_limit: None,
        },
        rule: OutcomeRule::EqualShares,
    }
}

/// Changes a document in a device's store behind its app's back, as that
/// device's own Automerge actor, so the change travels with the device's
/// next sync as if its (modified) app had made it. The app must be reopened
/// afterwards to see it.
pub fn tamper(
    path: &Path,
    device: &MemberKey,
    doc: &str,
    change: impl FnOnce(&mut AutoCommit) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    let chunks: Vec<Vec<u8>> = conn
        .prepare("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?
        .query_map([doc], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut saved = AutoCommit::load(&chunks.concat())?.with_actor(ActorId::from(&device.0[..16]));
    let before = saved.get_heads();
    change(&mut saved)?;
    let chunk = saved.save_after(&before);
    let heads: Vec<u8> = saved.get_heads().iter().flat_map(|h| h.0).collect();
    conn.execute(
        "INSERT INTO doc_chunks(doc_id, seq, bytes)
         VALUES (?1, (SELECT MAX(seq) + 1 FROM doc_chunks WHERE doc_id = ?1), ?2)",
        rusqlite::params![doc, chunk],
    )?;
    conn.execute(
        "UPDATE docs SET heads = ?2 WHERE id = ?1",
        rusqlite::params![doc, heads],
    )?;
    Ok(())
}

/// A picture of `text`'s QR code as the app draws it (error correction M,
/// with its quiet zone), at most `side` pixels wide, as a PNG.
pub fn qr_picture(text: &str, side: usize) -> Vec<u8> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .expect("fits");
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let scale = (side / (width + 2 * quiet)).max(1);
    let pixels = ((width + 2 * quiet) * scale) as u32;
    let picture = image::GrayImage::from_fn(pixels, pixels, |x, y| {
        let (mx, my) = (
            (x as usize / scale).checked_sub(quiet),
            (y as usize / scale).checked_sub(quiet),
        );
        let dark = matches!((mx, my), (Some(mx), Some(my))
            if mx < width && my < width && colors[my * width + mx] == qrcode::Color::Dark);
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(picture)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    png
}
