#!/usr/bin/env bash
# Sets up everything Nabo needs to build, run and test on a fresh Debian 12
# machine. Idempotent: each step checks before it acts, so a second run takes
# seconds.
source "$(dirname "$0")/lib.sh"

APT_PACKAGES=(build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  libxdo-dev xvfb xauth webkit2gtk-driver fonts-dejavu-core imagemagick xdotool
  poppler-utils)

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

apt_install "${APT_PACKAGES[@]}"

# The wasm32 standard library: rustup's prebuilt one when it can be had, else
# Debian's rustc-web with the std source, built with build-std (see
# scripts/build-ui.sh, which picks the same route).
if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"
  if ! timeout 90 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    log "rustup could not download the wasm32 std; using Debian's rustc-web with build-std"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  fi
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 10 minutes the first time)"
  # Not --locked: the CLI's own lockfile wants a crate version the registry lacks.
  cargo install -q wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

if [ "$(cat "$TOOLS/binaryen.version" 2>/dev/null)" != "$BINARYEN_VERSION" ]; then
  log "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
  echo "$BINARYEN_VERSION" > "$TOOLS/binaryen.version"
fi

# axe-core, the accessibility checker the end-to-end test runs inside the
# app's window.
AXE_VERSION="4.14.1"
if [ "$(cat "$TOOLS/axe.version" 2>/dev/null)" != "$AXE_VERSION" ]; then
  log "installing axe-core $AXE_VERSION from npm (for the accessibility audit)"
  mkdir -p "$TOOLS/axe"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/axe" "axe-core@$AXE_VERSION" >/dev/null
  echo "$AXE_VERSION" > "$TOOLS/axe.version"
fi

# The JavaScript automerge-repo sync server, for the interop test.
SYNC_SERVER_VERSION="0.2.8"
if [ "$(cat "$TOOLS/sync-server.version" 2>/dev/null)" != "$SYNC_SERVER_VERSION" ]; then
  log "installing @automerge/automerge-repo-sync-server $SYNC_SERVER_VERSION from npm (for the interop test)"
  mkdir -p "$TOOLS/sync-server"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/sync-server" \
    "@automerge/automerge-repo-sync-server@$SYNC_SERVER_VERSION" >/dev/null
  echo "$SYNC_SERVER_VERSION" > "$TOOLS/sync-server.version"
fi
