//! `nabo hub`: the same engine as the app, serving phones without a window,
//! for a small always-on machine in the community house.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use nabo_shared::sync::SyncPhase;
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

use crate::engine::{short_code, Engine, EngineError, SystemClock};
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

/// Why the headless hub stopped.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The async runtime could not start.
    #[error("cannot start: {0}")]
    Runtime(#[source] std::io::Error),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] EngineError),
    /// The data folder holds no neighbourhood, and no demo was asked for.
    #[error(
        "{} holds no neighbourhood yet. Start the app with this data folder and create one, \
         or run `nabo hub --demo` to try it with the demo neighbourhood.",
        database.display()
    )]
    NoNeighbourhood {
        /// The store.
        database: PathBuf,
    },
    /// The port could not be opened.
    #[error("cannot listen on {bind}: {source}")]
    Listen {
        /// The address.
        bind: SocketAddr,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// Waiting for Ctrl-C failed.
    #[error("cannot wait for Ctrl-C: {0}")]
    Signal(#[source] std::io::Error),
}

/// Runs the hub until Ctrl-C (or SIGTERM's default).
pub fn run(args: HubArgs) -> Result<(), HubError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(HubError::Runtime)?;
    runtime.block_on(serve(args))
}

async fn serve(args: HubArgs) -> Result<(), HubError> {
    let database = args.data_dir.join("nabo.sqlite3");
    let mut engine = Engine::open(&database, SystemClock)?;
    if engine.status()?.profile.is_none() {
        if !args.demo {
            return Err(HubError::NoNeighbourhood { database });
        }
        engine.start_demo()?;
    }
    let Some(profile) = engine.status()?.profile else {
        return Err(HubError::NoNeighbourhood { database });
    };
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
        .map_err(|source| HubError::Listen { bind, source })?;
    let code = live::lock(&engine).pairing_code(live::local_addresses(), hub.address().port())?;
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
    tokio::signal::ctrl_c().await.map_err(HubError::Signal)?;
    hub.stop();
    println!("Stopped.");
    Ok(())
}
