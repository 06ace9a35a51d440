//! # nabo
//!
//! The engine ([`engine`]) and the thin Tauri layer over it ([`commands`]).
//! [`setup`] is generic over the Tauri runtime so the command tests run the
//! real handlers on Tauri's mock runtime.

pub mod commands;
pub mod engine;
pub mod headless;
pub mod net;

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

/// Registers Nabo's state and commands on a Tauri builder. With `paths`
/// the store is opened now (an error is returned to the caller); without,
/// it is opened in the platform's app data folder when the app starts.
pub fn setup<R: Runtime>(builder: Builder<R>, paths: Option<Paths>) -> engine::Result<Builder<R>> {
    let builder = builder.invoke_handler(commands::handler());
    Ok(match paths {
        Some(paths) => builder.manage(open(&paths)?),
        None => builder.setup(|app| {
            let data = app.path().app_data_dir()?;
            let exports = app
                .path()
                .download_dir()
                .unwrap_or_else(|_| data.join("exports"));
            let state = open(&Paths {
                database: data.join("nabo.sqlite3"),
                exports,
            })?;
            app.manage(state);
            Ok(())
        }),
    })
}

fn open(paths: &Paths) -> engine::Result<commands::AppState> {
    log::info!("store: {}", paths.database.display());
    let engine = engine::Engine::open(&paths.database, engine::SystemClock)?;
    Ok(commands::AppState::new(engine, paths.exports.clone()))
}
