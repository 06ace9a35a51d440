#!/usr/bin/env bash
# Refreshes the README's pictures in docs/screenshots/: runs the end-to-end
# test (two real app windows under Xvfb) with its screenshots sent there.
# The test command writes them to the target dir instead, so a test run
# leaves the work tree as it found it.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-ui.sh"
mkdir -p "$ROOT/docs/screenshots"
NABO_SCREENSHOTS="$ROOT/docs/screenshots" cargo test -q -p nabo --test e2e
log "pictures refreshed in docs/screenshots/"
