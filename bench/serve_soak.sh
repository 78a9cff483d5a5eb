#!/usr/bin/env bash
# Soak check of `fairshare serve` (not a test): a bounded load run of SECONDS (default 300)
# with wrk on a mix of distinct queries (bench/serve_soak.lua: series, CSV, explain, pages,
# SVG charts, so the response cache fills and evicts), plus one client running small
# scenario runs back to back. Resident memory is sampled every 10 s from /proc.
# Passes when no request failed (wrk: no socket errors, no non-2xx; every scenario run 200)
# and the resident set at the end is within 10% of its size after the first minute.
#
#   bench/serve_soak.sh [SECONDS] [CONNECTIONS]      (defaults 300 32)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-300}"; conns="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ "$secs" -ge 90 ] || { echo "SECONDS must be at least 90 (the first minute is warm-up)" >&2; exit 2; }

cargo build --release --quiet -p fairshare-cli
bin="$PWD/target/release/fairshare"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
FAIRSHARE_LOG=warn "$bin" serve --addr "127.0.0.1:$port" &
pid=$!
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fsS -o /dev/null "$base/api/sources" 2>/dev/null && break; sleep 0.1; done

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }

# Scenario runs, one at a time (under the cap of 2, so each must be served).
(
  ok=0; bad=0; i=0
  end=$((SECONDS + secs))
  while [ $SECONDS -lt $end ]; do
    i=$((i + 1))
    code=$(curl -s -o /dev/null -w '%{http_code}' \
      "$base/api/scenarios/japan-5pct-2035/run?paths=2000&seed=$i")
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "scenario run $i: HTTP $code" >&2; fi
  done
  echo "$ok $bad" > "$work/scenario"
) &
runs_pid=$!

wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/serve_soak.lua "$base" > "$work/wrk" &
wrk_pid=$!
echo "soak: ${secs}s, wrk -t2 -c$conns (bench/serve_soak.lua) + scenario runs back to back; RSS every 10 s"
printf '%6s %10s\n' "t (s)" "RSS (MB)"
t=0; warm=""; max=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  r=$(rss_kb); [ "$r" -gt "$max" ] && max=$r
  printf '%6d %10.1f\n' "$t" "$(echo "$r / 1024" | bc -l)"
  [ "$t" -ge 60 ] && [ -z "$warm" ] && warm=$r
  sleep 10; t=$((t + 10))
done
wait "$wrk_pid"
wait "$runs_pid"
end_rss=$(rss_kb); [ "$end_rss" -gt "$max" ] && max=$end_rss
cat "$work/wrk"
read -r sc_ok sc_bad < "$work/scenario"
reqs=$(awk '/requests in/ {print $1}' "$work/wrk")
rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk")
p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/wrk"); non2xx=${non2xx:-0}
sockerr=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/wrk"); sockerr=${sockerr:-0}
growth=$(echo "100 * ($end_rss - $warm) / $warm" | bc -l)
printf '\nfairshare serve soak, %ss on %s cores: %s requests (%s/s, p99 %s), %s non-2xx, %s socket errors; %s scenario runs ok, %s failed\n' \
  "$secs" "$(nproc)" "$reqs" "$rps" "$p99" "$non2xx" "$sockerr" "$sc_ok" "$sc_bad"
slope=$(echo "($end_rss - $warm) / 1024 / (($secs - 60) / 60)" | bc -l)
printf 'RSS: %.1f MB after the first minute, %.1f MB at the end (%+.1f%%, %+.2f MB a minute), %.1f MB at most\n' \
  "$(echo "$warm / 1024" | bc -l)" "$(echo "$end_rss / 1024" | bc -l)" "$growth" "$slope" "$(echo "$max / 1024" | bc -l)"
status=0
[ "$non2xx" = 0 ] && [ "$sockerr" = 0 ] && [ "$sc_bad" = 0 ] || { echo "FAIL: errors during the soak"; status=1; }
if (( $(echo "$growth > 10" | bc -l) )); then echo "FAIL: resident memory grew over 10% after warm-up"; status=1; fi
[ $status = 0 ] && echo "PASS: zero errors, memory settled"
exit $status
