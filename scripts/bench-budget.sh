#!/usr/bin/env bash
# The neighbourhood budget's outcomes against pabutools on the real pabulib
# instances beside the project (../shared/pabulib): Nabo's bench
# (`cargo bench -p nabo-shared --bench budget`), then pabutools 1.2.3 from
# PyPI (installed into the cache the first time) on the same files in the
# same run, in float mode, checking both fund the same projects.
#   ./scripts/bench-budget.sh            Amsterdam (pabutools takes ~40 s)
#   ./scripts/bench-budget.sh --warsaw   Warszawa too (pabutools: 10-45 min, >5 GB)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

PB="$ROOT/../shared/pabulib"
if [ ! -f "$PB/expected.json" ]; then
  log "SKIPPED: ../shared/pabulib is absent beside the project; nothing to compare"
  exit 0
fi
FILES=("$PB/Netherlands_Amsterdam_621.pb")
[ "${1:-}" = "--warsaw" ] && FILES+=("$PB/Poland_Warszawa_2026.pb")

VENV="$NABO_CACHE/pabutools"
if ! "$VENV/bin/python" -c "import pabutools" 2>/dev/null; then
  log "installing pabutools 1.2.3 from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "pabutools==1.2.3"
fi

log "Nabo: cargo bench -p nabo-shared --bench budget"
cargo bench -q -p nabo-shared --bench budget
cargo build -q --release -p nabo
NABO="$CARGO_TARGET_DIR/release/nabo"
for file in "${FILES[@]}"; do
  name="$(basename "$file")"
  start=$(date +%s.%N)
  ours=$("$NABO" pb "$file" --rule mes --tie-break pabutools | sed '$d' | sort | tr '\n' ' ' | sed 's/ $//')
  nabo_s=$(python3 -c "print($(date +%s.%N) - $start)")
  log "pabutools on $name (float mode)"
  theirs=$("$VENV/bin/python" "$ROOT/scripts/pabutools_bench.py" "$file")
  pabutools_s=$(echo "$theirs" | head -1)
  their_ids=$(echo "$theirs" | tail -1 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$ours" = "$their_ids" ]; then same="the same projects"; else same="DIFFERENT projects"; fi
  printf '%s: Nabo (whole command, reading included) %.2f s, pabutools %.2f s CPU: %.0fx; %s\n' \
    "$name" "$nabo_s" "$pabutools_s" "$(python3 -c "print($pabutools_s / $nabo_s)")" "$same"
  [ "$ours" = "$their_ids" ] || { echo "Nabo: $ours"; echo "pabutools: $their_ids"; exit 1; }
done
