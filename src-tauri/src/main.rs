// Without this a release build on Windows would also open a console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;

use nabo_lib::Paths;

/// The value of `--name VALUE` or `--name=VALUE`.
fn flag(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    let long = format!("--{name}");
    while let Some(arg) = args.next() {
        if arg == long {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix(&format!("{long}=")) {
            return Some(value.to_owned());
        }
    }
    None
}

/// `nabo [--data-dir DIR]`: with a data dir (or `NABO_DATA_DIR`), the store
/// and exported sync files live there, so two profiles can run side by side.
/// Unknown arguments are ignored (WebDriver adds its own).
fn data_dir() -> Option<PathBuf> {
    flag("data-dir")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("NABO_DATA_DIR").map(PathBuf::from))
}

/// `nabo hub [--data-dir DIR] [--port N] [--demo]`: the headless hub.
fn hub() -> ! {
    let data_dir = data_dir()
        .or_else(|| dirs::data_dir().map(|d| d.join("dk.nabo.app")))
        .unwrap_or_else(|| PathBuf::from("nabo-data"));
    let port = match flag("port").map(|p| p.parse::<u16>()) {
        None => nabo_lib::net::sync::DEFAULT_PORT,
        Some(Ok(port)) => port,
        Some(Err(_)) => {
            eprintln!("--port needs a number from 0 to 65535");
            std::process::exit(2);
        }
    };
    let demo = std::env::args().any(|a| a == "--demo");
    let args = nabo_lib::headless::HubArgs {
        data_dir,
        port,
        demo,
    };
    match nabo_lib::headless::run(args) {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("Nabo hub: {e}");
            std::process::exit(1);
        }
    }
}

/// `nabo pb FILE.pb ...`: a pabulib instance's outcome (see `nabo_lib::pb`).
fn pb() -> ! {
    let args = match nabo_lib::pb::Args::parse(std::env::args().skip(2)) {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    match nabo_lib::pb::run(&args) {
        Ok(report) => {
            print!("{}", report.out);
            eprint!("{}", report.err);
            std::process::exit(0);
        }
        Err(e) => {
            eprintln!("nabo pb: {e}");
            std::process::exit(1);
        }
    }
}

/// WebKitGTK's JavaScript engine compiles every WebAssembly function the UI
/// runs with its baseline compiler (BBQ) soon after it first runs. At start
/// nearly all of the UI's code runs once, so on a small machine that
/// compiling competes with drawing the first screen; without it the code
/// runs in the engine's in-place interpreter and only hot functions are
/// compiled, by its optimising tier. The start-up benchmark measures the
/// difference (`BENCHMARKS.md`). Set before anything starts a thread; a
/// value the user set is kept.
#[cfg(target_os = "linux")]
fn tune_webkit() {
    const OPTION: &str = "JSC_useBBQJIT";
    if std::env::var_os(OPTION).is_none() {
        std::env::set_var(OPTION, "0");
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    tune_webkit();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match std::env::args().nth(1).as_deref() {
        Some("hub") => hub(),
        Some("pb") => pb(),
        _ => {}
    }
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
    // For the start-up benchmark: say when the first screen is drawn.
    if let (Ok(app), Some(_)) = (&app, std::env::var_os("NABO_PRINT_READY")) {
        use tauri::Listener;
        app.listen_any(nabo_shared::api::UI_READY, |event| {
            println!("ready {}", event.payload());
        });
    }
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Nabo could not start: {e}");
            std::process::exit(1);
        }
    }
}
