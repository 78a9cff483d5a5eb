#!/usr/bin/env bash
# Fuzz smoke: build every target and run each for a bounded time (default 15 s, about a
# minute for the four). Needs cargo-fuzz (`cargo install cargo-fuzz`); on stable Rust the
# nightly flags libFuzzer needs are allowed with RUSTC_BOOTSTRAP=1.
# Usage: fuzz/smoke.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-15}"
shift || true
export RUSTC_BOOTSTRAP=1
./seed.sh
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario_parse claims_parse ingest_xlsx ingest_csv)
# Debug assertions on, optimised: overflow checks catch arithmetic bugs too.
cargo fuzz build -O --debug-assertions
status=0
for t in "${targets[@]}"; do
  mkdir -p "artifacts/$t"
  log="artifacts/$t/last-run.log"
  if cargo fuzz run -O --debug-assertions "$t" "corpus/$t" -- \
      -max_total_time="$secs" -max_len=400000 -rss_limit_mb=2048 -timeout=30 \
      -print_final_stats=1 >"$log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz $t: ok, $execs executions in ${secs}s"
  else
    echo "fuzz $t: FAILED (crash input under fuzz/artifacts/$t/); last lines:"
    tail -n 30 "$log"
    status=1
  fi
done
exit $status
