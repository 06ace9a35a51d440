//! # nabo
//!
//! The engine ([`engine`]) and the thin Tauri layer over it ([`commands`]).
//! [`setup`] is generic over the Tauri runtime so the command tests run the
//! real handlers on Tauri's mock runtime.

pub mod commands;
pub mod engine;
pub mod headless;
pub mod net;
pub mod pb;

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
        Some(paths) => builder.manage(open(&paths)?).setup(|app| {
            auto_sync(app.handle().clone());
            Ok(())
        }),
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
            auto_sync(app.handle().clone());
            Ok(())
        }),
    })
}

/// How often a phone with a paired hub tries to sync on its own.
const AUTO_SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// While the app is open, a phone that knows a hub syncs with it every
/// minute, so walking into the community house is enough. A hub that does
/// not answer is noted on the sync screen and tried again later.
fn auto_sync<R: Runtime>(app: tauri::AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let events = commands::ui_events(&app);
        loop {
            tokio::time::sleep(AUTO_SYNC_EVERY).await;
            let state = app.state::<commands::AppState>();
            if state.has_hubs() {
                if let Err(e) = state.sync_hubs(&events).await {
                    log::info!("automatic sync: {e}");
                }
            }
        }
    });
}

fn open(paths: &Paths) -> engine::Result<commands::AppState> {
    log::info!("store: {}", paths.database.display());
    let engine = engine::Engine::open(&paths.database, engine::SystemClock)?;
    Ok(commands::AppState::new(engine, paths.exports.clone()))
}
