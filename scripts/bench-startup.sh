#!/usr/bin/env bash
# Start-up and memory of the release app with the demo neighbourhood against
# a minimal Tauri v2 hello world, built here in the same run (its project is
# written to the cache each time, never to the repository), and the UI
# bundle's size. Not part of the test command; results go to BENCHMARKS.md.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-ui.sh"
log "building the release app"
cargo build -q --release -p nabo
APP="$CARGO_TARGET_DIR/release/nabo"

# The hello world: the same tauri versions as the app (from Cargo.lock).
TAURI_VERSION="$(awk '/^name = "tauri"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)"
TAURI_BUILD_VERSION="$(awk '/^name = "tauri-build"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)"
HELLO="$NABO_CACHE/hello-world"
mkdir -p "$HELLO/src" "$HELLO/dist" "$HELLO/capabilities"
cat > "$HELLO/Cargo.toml" <<TOML
[package]
name = "hello"
version = "0.1.0"
edition = "2021"

[dependencies]
tauri = { version = "=$TAURI_VERSION", features = ["custom-protocol"] }

[build-dependencies]
tauri-build = { version = "=$TAURI_BUILD_VERSION", features = [] }

[workspace]
TOML
cat > "$HELLO/build.rs" <<'RS'
fn main() {
    tauri_build::build()
}
RS
cat > "$HELLO/src/main.rs" <<'RS'
use tauri::Listener;

fn main() {
    let app = tauri::Builder::default()
        .build(tauri::generate_context!())
        .expect("the hello world builds");
    if std::env::var_os("HELLO_PRINT_READY").is_some() {
        app.listen_any("ui-ready", |event| println!("ready {}", event.payload()));
    }
    app.run(|_, _| {});
}
RS
cat > "$HELLO/tauri.conf.json" <<'JSON'
{
  "productName": "Hello",
  "version": "0.1.0",
  "identifier": "dev.example.hello",
  "build": { "frontendDist": "dist" },
  "app": {
    "withGlobalTauri": true,
    "windows": [{ "label": "main", "title": "Hello", "width": 420, "height": 820 }],
    "security": { "csp": null }
  },
  "bundle": { "active": false }
}
JSON
cat > "$HELLO/capabilities/default.json" <<'JSON'
{ "identifier": "default", "windows": ["main"], "permissions": ["core:default"] }
JSON
cat > "$HELLO/dist/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hello</title></head>
<body><h1>Hello, world</h1>
<script>
  window.addEventListener('load', () =>
    requestAnimationFrame(() => window.__TAURI__.event.emit('ui-ready', performance.now())));
</script></body></html>
HTML
mkdir -p "$HELLO/icons"
cp icons/*.png "$HELLO/icons/" 2>/dev/null || true
log "building the Tauri hello world (tauri $TAURI_VERSION)"
(cd "$HELLO" && CARGO_TARGET_DIR="$NABO_CACHE/hello-target" cargo build -q --release)
HELLO_BIN="$NABO_CACHE/hello-target/release/hello"

# The demo neighbourhood, seeded once by the headless hub's --demo.
DEMO="$NABO_CACHE/bench-demo"
rm -rf "$DEMO"
log "seeding the demo neighbourhood"
"$APP" hub --demo --port 0 --data-dir "$DEMO" > "$NABO_CACHE/bench-demo.log" 2>&1 &
HUB=$!
for _ in $(seq 1 200); do grep -q "Listening" "$NABO_CACHE/bench-demo.log" && break; sleep 0.1; done
kill "$HUB"; wait "$HUB" 2>/dev/null || true

# A display of its own.
for n in $(seq 150 199); do [ -e "/tmp/.X11-unix/X$n" ] || { DISP=":$n"; break; }; done
Xvfb "$DISP" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X${DISP#:}" ] && break; sleep 0.1; done

log "measuring"
DISPLAY="$DISP" NABO_BENCH_APP="$APP" NABO_BENCH_HELLO="$HELLO_BIN" NABO_BENCH_DEMO="$DEMO" \
  cargo bench -q -p nabo --bench startup

gz() { gzip -9 -c "$1" | wc -c; }
WASM=$(gz ui/dist/pkg/nabo_ui_bg.wasm); JS=$(gz ui/dist/pkg/nabo_ui.js); CSS=$(gz ui/dist/style.css)
echo
echo "UI bundle, gzip -9: wasm $((WASM / 1024)) KiB, JS glue $((JS / 1024)) KiB, CSS $((CSS / 1024)) KiB; in all $(((WASM + JS + CSS) / 1024)) KiB."
