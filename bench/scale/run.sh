#!/usr/bin/env bash
# Scale-out benchmark (issue 4, docs/performance.md): authenticated screening
# requests/s (POST /api/v1/screen) and alert writes/s (POST /api/v1/alerts,
# a draft and its audit entry per request) with
#   1 process on SQLite, 1 process on PostgreSQL, 3 processes on PostgreSQL,
# measured in one run on this machine. PostgreSQL is a private server started
# for the run with its durable defaults (fsync on; scripts/test-postgres.sh
# with JISR_PG_DURABLE=1) and stopped after; SQLite runs with synchronous=FULL.
# With 3 processes, one wrk per process runs at the same time and the rates
# are summed.
#
# Usage: bench/scale/run.sh [path/to/jisr]
#   env: DURATION=10s CONNECTIONS=32 (in all, split across processes) RUNS=3
# Prints each run's figures and the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
jisr=$(realpath "${1:-build/bin/jisr}")
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
runs=${RUNS:-3}
command -v wrk >/dev/null || { echo "bench-scale: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }

work=$(mktemp -d /tmp/jisr-bench-scale.XXXXXX)
chmod 755 "$work"
pids=()
pg_started=0
stop_nodes() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_nodes
  if [ "$pg_started" -eq 1 ]; then scripts/test-postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/screen.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"purpose":"bench-scale","person":{"name":"كريم تستاوي","birth_date":"1984-03-12","nationality":["MA"]}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("JISR_TOKEN")
LUA
cat >"$work/write.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"category":"locate","names":[{"full":"Yanis Benchmarkis"}],"birth_date":"1991-05","nationalities":["MA"],"action":"Locate and report (synthetic benchmark).","handling_code":"H1"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Purpose"] = "bench-scale"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("JISR_TOKEN")
LUA

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_nodes DIR N: starts N `jisr serve` processes of the node in DIR and
# sets ports=(...).
start_nodes() {
  local dir=$1 n=$2
  ports=()
  for i in $(seq 1 "$n"); do
    local port
    port=$(free_port)
    "$jisr" serve --data "$dir" --listen "127.0.0.1:$port" --access-log off \
      --federation-listen off >"$dir/serve-$i.log" 2>&1 &
    pids+=($!)
    ports+=("$port")
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 200); do
      curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
      sleep 0.05
    done
  done
}

login() {  # login PORT DIR USER
  local password
  password=$(awk -v u="$3" '$1 == u {print $3}' "$2/demo-passwords")
  curl -fsS -X POST "http://127.0.0.1:$1/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$3\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
}

# load SCRIPT PATH: one wrk per process at once; prints the summed
# requests/s, the worst p99 in ms and the number of non-2xx answers.
load() {
  local script=$1 path=$2 n=${#ports[@]}
  local per=$(( connections / n )); [ "$per" -lt 1 ] && per=1
  local outs=()
  for i in $(seq 0 $((n - 1))); do
    JISR_TOKEN=$token wrk -t1 -c"$per" -d"$duration" --latency -s "$work/$script" \
      "http://127.0.0.1:${ports[$i]}$path" >"$work/wrk-$i.txt" 2>&1 &
    outs+=($!)
  done
  for p in "${outs[@]}"; do wait "$p"; done
  local total=0 worst=0 bad=0
  for i in $(seq 0 $((n - 1))); do
    local rps p99 non
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-$i.txt")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' "$work/wrk-$i.txt")
    non=$(awk '/Non-2xx/ {print $NF}' "$work/wrk-$i.txt")
    total=$(awk -v a="$total" -v b="$rps" 'BEGIN {printf "%.0f", a + b}')
    worst=$(awk -v a="$worst" -v b="$p99" 'BEGIN {print (b > a ? b : a)}')
    bad=$(( bad + ${non:-0} ))
  done
  echo "$total $worst $bad"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# bench NAME DIR N
bench() {
  local name=$1 dir=$2 n=$3
  start_nodes "$dir" "$n"
  token=$(login "${ports[0]}" "$dir" demo.officer)
  local screens=() writes=() sp99=() wp99=()
  for r in $(seq 1 "$runs"); do
    read -r rps p99 bad < <(load screen.lua /api/v1/screen)
    [ "$bad" -eq 0 ] || echo "  ($bad non-2xx screening answers)" >&2
    screens+=("$rps"); sp99+=("$p99")
    read -r rps p99 bad < <(load write.lua /api/v1/alerts)
    [ "$bad" -eq 0 ] || echo "  ($bad non-2xx write answers)" >&2
    writes+=("$rps"); wp99+=("$p99")
    echo "  $name run $r: screening ${screens[-1]}/s (p99 ${sp99[-1]} ms), alert writes ${writes[-1]}/s (p99 ${wp99[-1]} ms)"
  done
  printf '%-22s screening/s=%s p99_ms=%s   alert_writes/s=%s p99_ms=%s\n' "$name" \
    "$(median "${screens[@]}")" "$(median "${sp99[@]}")" "$(median "${writes[@]}")" "$(median "${wp99[@]}")" \
    >>"$work/summary.txt"
  stop_nodes
}

echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk, $connections connections in all, $duration per measure, $runs runs, demo data (4 active alerts)"

"$jisr" init --data "$work/sqlite" --agency MA-DGSN --country MA --demo >/dev/null
bench "1 process, SQLite" "$work/sqlite" 1

mkdir -p "$work/pg"
JISR_PG_DURABLE=1 scripts/test-postgres.sh start "$work/pg" >/dev/null
pg_started=1
url=$(cat "$work/pg/url")
bindir=$(cat "$work/pg/bindir")
for db in one three; do
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d "$url" \
    -c "CREATE DATABASE bench_$db TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
done
"$jisr" init --data "$work/pg1" --agency MA-DGSN --country MA --demo \
  --db "$(sed 's|/postgres?|/bench_one?|' <<<"$url")" >/dev/null
bench "1 process, PostgreSQL" "$work/pg1" 1
"$jisr" init --data "$work/pg3" --agency MA-DGSN --country MA --demo \
  --db "$(sed 's|/postgres?|/bench_three?|' <<<"$url")" >/dev/null
bench "3 processes, PostgreSQL" "$work/pg3" 3

echo "== medians"
cat "$work/summary.txt"
