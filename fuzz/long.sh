#!/usr/bin/env bash
# Longer fuzzing by hand: each target for SECONDS (default 600). Corpora stay in
# fuzz/corpus/ so that runs build on each other; crash inputs land in fuzz/artifacts/
# (commit each as a regression test in the crate whose parser it broke).
# Usage: fuzz/long.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
# Optimised, with AddressSanitizer and debug assertions, unless FUZZ_FLAGS says otherwise.
export FUZZ_FLAGS="${FUZZ_FLAGS:--O --debug-assertions}"
exec ./smoke.sh "$secs" "$@"
