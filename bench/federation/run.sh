#!/usr/bin/env bash
# Federation benchmark: envelopes per second from one node to another on
# loopback with durable commits (SQLite synchronous=FULL on both sides, the
# default), and end-to-end latency at a fixed offered load.
# Usage: bench/federation/run.sh [BUILD_DIR]   (default build)
#   env: RUNS=3 COUNT=20000 RATE=1000 DURATION=10 (seconds) KEEP=0 (1 keeps the node dirs)
# Each run creates two fresh nodes (Rabat MA-DGSN, Paris FR-DGPN), pairs them,
# serves Paris with `jisr serve` and runs Rabat's sending side in
# jisr_bench_federation (see bench_federation.cc). Prints every run and the
# medians.
set -euo pipefail
build=${1:-build}
jisr="$build/bin/jisr"
bench="$build/bin/jisr_bench_federation"
runs=${RUNS:-3}
count=${COUNT:-20000}
rate=${RATE:-1000}
duration=${DURATION:-10}
keep=${KEEP:-0}
for f in "$jisr" "$bench"; do
  [ -x "$f" ] || { echo "bench-federation: $f is not built" >&2; exit 1; }
done

dir=""
server=""
running=0
results=$(mktemp /tmp/jisr-bench-federation-results.XXXXXX)
cleanup() {
  if [ "$running" = 1 ]; then  # a run failed or was interrupted: show what it printed
    cat "$results" >&2
    [ -n "$dir" ] && [ -f "$dir/paris.log" ] && { echo "Paris's log:" >&2; tail -n 20 "$dir/paris.log" >&2; }
  fi
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
  if [ -n "$dir" ] && [ "$keep" != 1 ]; then rm -rf "$dir"; fi
  rm -f "$results"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nothing listens on.
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 12000 ))  # below the ephemeral range (32768-)
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

one_run() {  # RUN_NUMBER -> prints the bench's output
  dir=$(mktemp -d /tmp/jisr-bench-federation.XXXXXX)
  local rabat_port paris_port
  rabat_port=$(free_port)
  paris_port=$(free_port)
  "$jisr" init --data "$dir/rabat" --agency MA-DGSN --country MA \
    --federation-listen "127.0.0.1:$rabat_port" >/dev/null
  "$jisr" init --data "$dir/paris" --agency FR-DGPN --country FR \
    --federation-listen "127.0.0.1:$paris_port" >/dev/null
  "$jisr" peer card --data "$dir/paris" --output "$dir/paris.card"
  "$jisr" peer card --data "$dir/rabat" --output "$dir/rabat.card"
  "$jisr" peer add --data "$dir/rabat" --card "$dir/paris.card" >/dev/null
  "$jisr" peer add --data "$dir/paris" --card "$dir/rabat.card" >/dev/null

  "$jisr" serve --data "$dir/paris" --listen 127.0.0.1:0 --access-log off --web-root off \
    >"$dir/paris.log" 2>&1 &
  server=$!
  local i
  for i in $(seq 1 150); do
    grep -q "listening on http://" "$dir/paris.log" && break
    kill -0 "$server" 2>/dev/null || { cat "$dir/paris.log" >&2; return 1; }
    sleep 0.2
  done
  grep -q "listening on http://" "$dir/paris.log" || { echo "Paris did not start" >&2; return 1; }

  "$bench" --rabat "$dir/rabat" --paris-db "$dir/paris/jisr.db" --count "$count" \
    --rate "$rate" --duration "$duration" --paris-pid "$server"
  if grep -qiE "warn|error" "$dir/paris.log"; then
    echo "(Paris logged warnings: $(grep -ciE 'warn|error' "$dir/paris.log"); first:" \
      "$(grep -m1 -iE 'warn|error' "$dir/paris.log"))"
  fi
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  if [ "$keep" = 1 ]; then echo "(kept $dir)"; else rm -rf "$dir"; fi
  dir=""
}

echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
echo "bench-federation: $runs runs; throughput: $count alert.upsert envelopes queued, then sent;" \
  "latency: $rate/s offered for ${duration} s; SQLite synchronous=FULL on both nodes"
thr=(); p50=(); p99=(); maxl=(); sched=(); ack=()
for r in $(seq 1 "$runs"); do
  echo "--- run $r"
  running=1
  one_run "$r" >"$results"
  running=0
  cat "$results"
  result=$(grep '^RESULT ' "$results")
  val() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$result"; }
  thr+=("$(val throughput)"); p50+=("$(val p50_ms)"); p99+=("$(val p99_ms)")
  maxl+=("$(val max_ms)"); sched+=("$(val sched_p99_ms)"); ack+=("$(val ack_p99_ms)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "--- median of $runs runs (load average $(cut -d' ' -f1-3 /proc/loadavg) after)"
echo "throughput: $(median "${thr[@]}") envelopes/s (aim >= 5000)"
echo "latency at $rate/s, publication -> received: p50 $(median "${p50[@]}") ms," \
  "p99 $(median "${p99[@]}") ms (aim p99 <= 100), max $(median "${maxl[@]}") ms;" \
  "p99 from the paced schedule $(median "${sched[@]}") ms; p99 to the acknowledgement $(median "${ack[@]}") ms"
