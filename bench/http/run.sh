#!/usr/bin/env bash
# HTTP throughput benchmark: wrk on loopback against an authenticated
# GET /api/v1/me of a fresh node (SQLite store).
# Usage: bench/http/run.sh [path/to/jisr]
#   env: DURATION=20s CONNECTIONS=64 RUNS=3 ACCESS_LOG=file|off (default file)
# Prints requests/s and p99 latency of each run and their medians.
set -euo pipefail
jisr=${1:-build/bin/jisr}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-64}
runs=${RUNS:-3}
access_log=${ACCESS_LOG:-file}
command -v wrk >/dev/null || { echo "bench-http: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }

dir=$(mktemp -d /tmp/jisr-bench-http.XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$jisr" init --data "$dir/node" --agency MA-DGSN --country MA >/dev/null
port=$(( 20000 + RANDOM % 20000 ))
log_arg=off
[ "$access_log" = file ] && log_arg="$dir/access.log"
"$jisr" serve --data "$dir/node" --listen "127.0.0.1:$port" --access-log "$log_arg" --federation-listen off \
  >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
password=$(cat "$dir/node/admin-password")
token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/session" \
  -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" |
  sed -E 's/.*"token":"([^"]+)".*/\1/')
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me" >/dev/null

echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk -t2 -c$connections -d$duration --latency GET /api/v1/me (Bearer), $runs runs, access log: $access_log"
rps_all=(); p99_all=()
for i in $(seq 1 "$runs"); do
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "run $i: requests/s=$rps p99=$p99 non2xx=${non2xx:-0}"
  rps_all+=("$rps"); p99_all+=("$p99")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f\n", v}'; }
p99_ms=(); for p in "${p99_all[@]}"; do p99_ms+=("$(to_ms <<<"$p")"); done
echo "median: requests/s=$(median "${rps_all[@]}") p99_ms=$(median "${p99_ms[@]}")"
