//! `nabo hub`: the same engine as the app, serving phones without a window,
//! for a small always-on machine in the community house.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use nabo_shared::api::SyncPhase;
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

use crate::engine::{short_code, Engine, SystemClock};
use crate::net::sync::{self as live, Events, Hub};

/// What `nabo hub` was asked to do.
#[derive(Debug, Clone)]
pub struct HubArgs {
    /// The folder of the store (`nabo.sqlite3`).
    pub data_dir: PathBuf,
    /// The port to listen on.
    pub port: u16,
    /// Fill an empty store with the demo neighbourhood first.
    pub demo: bool,
}

/// Runs the hub until Ctrl-C (or SIGTERM's default).
pub fn run(args: HubArgs) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(serve(args))
}

async fn serve(args: HubArgs) -> Result<(), String> {
    let database = args.data_dir.join("nabo.sqlite3");
    let mut engine = Engine::open(&database, SystemClock).map_err(|e| e.to_string())?;
    if engine
        .status()
        .map_err(|e| e.to_string())?
        .profile
        .is_none()
    {
        if !args.demo {
            return Err(format!(
                "{} holds no neighbourhood yet. Start the app with this data folder and create \
                 one, or run `nabo hub --demo` to try it with the demo neighbourhood.",
                database.display()
            ));
        }
        engine.start_demo().map_err(|e| e.to_string())?;
    }
    let profile = engine
        .status()
        .map_err(|e| e.to_string())?
        .profile
        .ok_or("no neighbourhood")?;
    if !profile.is_coordinator {
        log::warn!(
            "this device is not a coordinator: it relays data but issues no rewards and \
             confirms no members"
        );
    }
    let engine = Arc::new(Mutex::new(engine));
    let events: Events = Arc::new(|event: live::SyncEvent| {
        let who = event
            .progress
            .name
            .clone()
            .unwrap_or_else(|| event.progress.peer.clone());
        match event.progress.phase {
            SyncPhase::Done { totals } => log::info!(
                "synced with {who}: {} records in, {} issued, {} B in, {} B out",
                totals.records_in,
                totals.issued,
                totals.bytes_in,
                totals.bytes_out
            ),
            SyncPhase::Failed { problem } => log::warn!("sync with {who} failed: {problem}"),
            _ => {}
        }
    });
    let bind = SocketAddr::from(([0, 0, 0, 0], args.port));
    let hub = Hub::start(engine.clone(), bind, events)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let code = live::lock(&engine)
        .pairing_code(live::local_addresses(), hub.address().port())
        .map_err(|e| e.to_string())?;
    let text = code.encode();
    let qr = QrCode::new(text.as_bytes())
        .map(|q| q.render::<Dense1x2>().quiet_zone(true).build())
        .unwrap_or_default();
    println!(
        "Nabo hub for {} — scan to pair:\n{qr}",
        profile.community_name
    );
    println!("Pairing code: {text}");
    if let Some(short) = short_code(&code) {
        println!("Short code:   {short}");
    }
    println!("Listening on {}. Ctrl-C stops.", hub.address());
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    hub.stop();
    println!("Stopped.");
    Ok(())
}
