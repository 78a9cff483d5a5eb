#!/usr/bin/env bash
# Load check of `fairshare serve` (not a test): builds release, starts the server on a
# free loopback port with per-request logs off, warms a series query, then runs wrk
# (Debian's) against that cached query and prints requests/s and p99 latency.
# Target: >= 30k req/s and p99 <= 5 ms on 2 cores.
#
#   bench/serve_load.sh [SECONDS] [THREADS] [CONNECTIONS]      (defaults 15 2 64)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"; threads="${2:-2}"; conns="${3:-64}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

cargo build --release --quiet -p fairshare-cli
bin="$PWD/target/release/fairshare"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
FAIRSHARE_LOG=warn "$bin" serve --addr "127.0.0.1:$port" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

url="http://127.0.0.1:$port/api/series?country=JPN,KOR&measure=milex_gdp&definition=sipri&from=2000&to=2024"
for _ in $(seq 100); do
  curl -fsS -o /dev/null "$url" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "$url"   # the first answer computes and caches it
echo "wrk -t$threads -c$conns -d${secs}s --latency $url"
out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$url")
echo "$out"
rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
nproc_=$(nproc)
echo
echo "fairshare serve, cached series query, $nproc_ cores: ${rps} requests/s, p99 ${p99} (target >= 30000 req/s, p99 <= 5 ms)"
