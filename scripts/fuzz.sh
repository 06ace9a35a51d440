#!/usr/bin/env bash
# Fuzzes every decoder of outside bytes (the targets in tests/fuzz) with
# libFuzzer on the stable toolchain (no sanitizers): NABO_FUZZ_RUNS
# executions per target, 10 million unless told. Not part of the test
# command: run it by hand and record the results in RELIABILITY.md.
#   ./scripts/fuzz.sh                 every target
#   ./scripts/fuzz.sh scan wire       some
# Any input that makes a target fail is copied to tests/fuzz/crashers/<target>/,
# where tests/attacks.rs checks it is refused from then on.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz"
  cargo install -q cargo-fuzz --version "^0.13"
fi
RUNS="${NABO_FUZZ_RUNS:-10000000}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(scan records sync_file wire document pabulib proposal_text)
export CARGO_TARGET_DIR="$NABO_CACHE/fuzz-target"
WORK="$NABO_CACHE/fuzz"
failed=0
for target in "${TARGETS[@]}"; do
  corpus="$WORK/corpus/$target"
  artifacts="$WORK/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  cp -n tests/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  logfile="$WORK/$target.log"
  log "fuzzing $target ($RUNS runs)"
  if cargo fuzz run --fuzz-dir tests/fuzz --sanitizer none -O "$target" "$corpus" -- \
      -runs="$RUNS" -max_len=65536 -artifact_prefix="$artifacts/" >"$logfile" 2>&1; then
    log "$target: $(grep -E '^Done [0-9]+ runs' "$logfile" | tail -1); corpus $(ls "$corpus" | wc -l) inputs"
  else
    failed=1
    mkdir -p "tests/fuzz/crashers/$target"
    cp "$artifacts"/* "tests/fuzz/crashers/$target/" 2>/dev/null || true
    log "$target FAILED; inputs kept in tests/fuzz/crashers/$target (log: $logfile)"
  fi
done
exit "$failed"
