# Shared settings for the Nabo scripts. Sourced, never run.
# Everything heavy (cargo target dir, npm tools) lives in a cache outside the
# clone so a fresh clone on a machine that has built before is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NABO_CACHE="${NABO_CACHE:-$HOME/.cache/nabo}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$NABO_CACHE/target}"
TOOLS="$NABO_CACHE/tools"
# Tests find installed tools (the JavaScript sync server) here.
export NABO_TOOLS="$TOOLS"
# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in
# Cargo.lock, or the generated JS glue does not match the module.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' "$ROOT/Cargo.lock")"
# Debian's binaryen is too old (its output fails at load); npm's is current.
BINARYEN_VERSION="132.0.0"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

log() { printf '\033[1m[nabo]\033[0m %s\n' "$*" >&2; }
