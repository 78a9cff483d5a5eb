#!/usr/bin/env bash
# Cold fact query: `fairshare show JPN` (a fresh process each time, dataset compiled
# into the binary) against pandas reading SIPRI's workbook for the same answer.
# Prints both medians and the ratio. Not a test: run it by hand.
#
#   bench/cold_query.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
raw="${FAIRSHARE_RAW:-../shared/data/raw}"
workbook=$(ls "$raw"/sipri_milex/SIPRI-Milex-data-*.xlsx 2>/dev/null | head -n 1 || true)

cargo build --release --quiet
bin="$PWD/target/release/fairshare"

venv="${BENCH_VENV:-$PWD/bench/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pandas openpyxl
fi

"$venv/bin/python" - "$bin" "$runs" "$workbook" <<'PY'
import statistics, subprocess, sys, time
binary, runs, workbook = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def timed(fn, n):
    out = []
    for _ in range(n):
        t = time.perf_counter(); fn(); out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000, min(out) * 1000

subprocess.run([binary, "show", "JPN"], check=True, capture_output=True)  # warm the page cache
fs_med, fs_min = timed(lambda: subprocess.run([binary, "show", "JPN"], check=True, capture_output=True), runs)
print(f"fairshare show JPN (new process each run): median {fs_med:.1f} ms, best {fs_min:.1f} ms over {runs} runs")

if not workbook:
    print("pandas: SIPRI workbook absent (set FAIRSHARE_RAW); no comparison")
    sys.exit(0)

def pandas_query():
    # The same answer as `show JPN`: share of GDP, current US$, local currency.
    import pandas as pd
    rows = []
    for sheet, header in [("Share of GDP", 5), ("Current US$", 5), ("Local currency calendar years", 6)]:
        df = pd.read_excel(workbook, sheet_name=sheet, header=header)
        row = df[df["Country"] == "Japan"]
        assert len(row) == 1, sheet
        rows.append(row)
    return rows

import pandas  # import once outside the timing, as a notebook user would have it loaded
pd_med, pd_min = timed(pandas_query, 5)
print(f"pandas read_excel (3 sheets) + select Japan: median {pd_med:.0f} ms, best {pd_min:.0f} ms over 5 runs")
print(f"ratio (pandas / fairshare, medians): {pd_med / fs_med:.0f}x")
PY
