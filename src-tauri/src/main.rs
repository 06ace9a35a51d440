// Without this a release build on Windows would also open a console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;

use nabo_lib::Paths;

/// `nabo [--data-dir DIR]`: with a data dir (or `NABO_DATA_DIR`), the store
/// and exported sync files live there, so two profiles can run side by side.
/// Unknown arguments are ignored (WebDriver adds its own).
fn data_dir() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(dir));
        }
    }
    std::env::var_os("NABO_DATA_DIR").map(PathBuf::from)
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let paths = data_dir().map(|dir| Paths {
        database: dir.join("nabo.sqlite3"),
        exports: dir.join("exports"),
    });
    let app = nabo_lib::setup(tauri::Builder::default(), paths)
        .map_err(|e| e.to_string())
        .and_then(|b| {
            b.build(tauri::generate_context!("../tauri.conf.json"))
                .map_err(|e| e.to_string())
        });
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Nabo could not start: {e}");
            std::process::exit(1);
        }
    }
}
