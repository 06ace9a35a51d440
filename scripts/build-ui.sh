#!/usr/bin/env bash
# Builds the Leptos UI to wasm and assembles ui/dist, which the Tauri build
# embeds. cargo → wasm-bindgen → wasm-opt; no trunk needed.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

OUT="$ROOT/ui/dist"
PROFILE=ui-release
# Leptos's type-erased views: every component returns one view type, so the
# renderer is not copied for each screen's shape (a third smaller module,
# which the webview compiles at every start; see BENCHMARKS.md).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components"

if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  cargo build -q -p nabo-ui --target wasm32-unknown-unknown --profile "$PROFILE"
  WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$PROFILE/nabo-ui.wasm"
else
  # Debian's rustc-web ships the std source, not a prebuilt std: build it.
  # These variables belong to this build only; the native build must not see them.
  WEB_TARGET="$NABO_CACHE/target-web"
  env PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_DIR="$WEB_TARGET" \
    /usr/bin/cargo build -q -p nabo-ui --target wasm32-unknown-unknown --profile "$PROFILE"
  WASM="$WEB_TARGET/wasm32-unknown-unknown/$PROFILE/nabo-ui.wasm"
fi

rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$OUT.tmp/pkg" --out-name nabo_ui "$WASM"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$OUT.tmp/pkg/nabo_ui_bg.wasm" -o "$OUT.tmp/pkg/nabo_ui_bg.wasm"
cp ui/index.html ui/style.css ui/boot.js "$OUT.tmp/"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
log "UI built: $(du -sh "$OUT" | cut -f1) in ui/dist"
