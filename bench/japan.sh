#!/usr/bin/env bash
# Benchmark: the built-in japan-us-demand-3.5pct-2035 scenario, 1,000,000 paths x 11 years.
# Builds the engine's bench example in release mode, creates a throwaway venv with numpy
# (bench/.venv, git-ignored), and prints the engine's time, numpy's time for the same
# model, their ratio, and the floor (drawing the same normals alone). See bench/README.md.
#
# Usage: bench/japan.sh [PATHS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
PATHS="${1:-1000000}"
REPEATS="${2:-5}"

cargo build --release --locked -p fairshare-scenario --example bench_japan >&2
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv >&2
  bench/.venv/bin/pip install --quiet numpy >&2
fi
bench/.venv/bin/python bench/japan.py target/release/examples/bench_japan "$PATHS" "$REPEATS"
