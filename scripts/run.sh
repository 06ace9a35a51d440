#!/usr/bin/env bash
# Builds and starts the Nabo desktop app. Its store is an SQLite file in the
# user's data folder (~/.local/share/dk.nabo.app/), or in the folder given
# with --data-dir DIR (one folder per profile); `run.sh hub ...` runs the
# headless hub instead of the window.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-ui.sh"
cargo build -q -p nabo
exec "$CARGO_TARGET_DIR/debug/nabo" "$@"
