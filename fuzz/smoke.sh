#!/usr/bin/env bash
# Fuzz smoke: build every target and run each for a bounded time (default 12 s, about a
# minute for the five). Needs cargo-fuzz (`cargo install cargo-fuzz`); on stable Rust the
# nightly flags libFuzzer needs are allowed with RUSTC_BOOTSTRAP=1.
# Usage: fuzz/smoke.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-12}"
shift || true
export RUSTC_BOOTSTRAP=1
./seed.sh
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario_parse claims_parse ingest_xlsx ingest_csv http_query)
# Build flags: FUZZ_FLAGS, by default an unoptimised build without a sanitizer (overflow
# checks and debug assertions on): about 3.5 minutes to build on 2 cores where the
# optimised AddressSanitizer build takes 10.5, and the code is safe Rust but for the
# bundled SQLite. long.sh uses the sanitizer build.
read -r -a flags <<< "${FUZZ_FLAGS:---dev -s none}"
cargo fuzz build "${flags[@]}"
status=0
for t in "${targets[@]}"; do
  mkdir -p "artifacts/$t"
  log="artifacts/$t/last-run.log"
  if cargo fuzz run "${flags[@]}" "$t" "corpus/$t" -- \
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
