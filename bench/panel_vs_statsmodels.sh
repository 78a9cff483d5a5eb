#!/usr/bin/env bash
# Cross-check and benchmark of fairshare's within estimator against statsmodels (and
# linearmodels' PanelOLS when it installs).
#
# 1. `cargo run --release --example panel_bench` writes a synthetic panel (60 countries x 36
#    years, 4 regressors + the lagged dependent variable; 2,100 rows used) to a temp dir,
#    fits it with conventional, clustered and Driscoll-Kraay SEs and times the clustered fit.
# 2. bench/panel_vs_statsmodels.py fits the same panel in Python, prints both coefficient
#    vectors and SEs with the max relative differences (tolerances 1e-8 for coefficients,
#    1e-6 for SEs), both times and the ratio. It exits 1 if a tolerance is missed.
#
# With --real, step 1 is `cargo run --release --example panel_bench_real` instead: the
# demand panel of a specification (default: the built-in demand-nato-us-allies-1990, 36
# countries, 957 rows used) assembled from the committed dataset, the same fits and timing.
#
# The Python packages go into a throwaway venv, bench/.venv (gitignored; reused if present).
# Usage: bash bench/panel_vs_statsmodels.sh [GROUPS YEARS REPEATS]
#        bash bench/panel_vs_statsmodels.sh --real [SPEC [REPEATS]]
set -euo pipefail
cd "$(dirname "$0")/.."

venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy pandas scipy statsmodels
  "$venv/bin/pip" install --quiet linearmodels || echo "linearmodels did not install: its cross-check is skipped"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "--real" ]; then
  shift
  cargo run --release --quiet -p fairshare-models --example panel_bench_real -- "$work" "$@"
else
  cargo run --release --quiet -p fairshare-models --example panel_bench -- "$work" "$@"
fi
# Some machines set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE to work around old OpenBLAS bugs; they
# slow a current numpy, so the timing runs without them (this command only).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" bench/panel_vs_statsmodels.py "$work"
