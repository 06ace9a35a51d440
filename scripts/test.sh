#!/usr/bin/env bash
# Runs every check and test: formatting, clippy, unit and property tests
# (shared), engine tests on real SQLite files, command tests on Tauri's mock
# runtime, and the end-to-end test in real app windows under Xvfb.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
log "building the UI"
"$ROOT/scripts/build-ui.sh"
log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy"
cargo clippy -q --workspace --all-targets -- -D warnings
log "cargo test"
cargo test --workspace
# The test output hides what passing tests print: say it here too.
if [ ! -f "$ROOT/../shared/pabulib/expected.json" ]; then
  log "SKIPPED: tests/pb.rs's checks against pabutools on the real pabulib instances (../shared/pabulib is absent beside the project)"
fi
