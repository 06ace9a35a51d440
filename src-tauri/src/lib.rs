//! # nabo
//!
//! The engine ([`engine`]) and the thin Tauri layer over it ([`commands`]).
//! [`setup`] is generic over the Tauri runtime so the command tests run the
//! real handlers on Tauri's mock runtime.

pub mod commands;
pub mod engine;

use std::path::PathBuf;

use tauri::{Builder, Manager, Runtime};

/// Where the store lives, and where sync files are written.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The SQLite file.
    pub database: PathBuf,
    /// The folder sync files are exported to.
    pub exports: PathBuf,
}

/// Registers Nabo's state and commands on a Tauri builder. `paths` decides
/// where data lives; `None` means the platform's app data folder.
pub fn setup<R: Runtime>(builder: Builder<R>, paths: Option<Paths>) -> Builder<R> {
    builder
        .invoke_handler(commands::handler())
        .setup(move |app| {
            let paths = match paths.clone() {
                Some(p) => p,
                None => {
                    let data = app.path().app_data_dir()?;
                    let exports = app.path().download_dir().unwrap_or_else(|_| data.join("exports"));
                    Paths {
                        database: data.join("nabo.sqlite3"),
                        exports,
                    }
                }
            };
            log::info!("store: {}", paths.database.display());
            let engine = engine::Engine::open(&paths.database, engine::SystemClock)?;
            app.manage(commands::AppState::new(engine, paths.exports));
            Ok(())
        })
}
