#!/usr/bin/env bash
# Accreditation campaign benchmark (issue 8, docs/performance.md): a
# synthetic campaign of 200,000 applicants (fixed seed, ~0.5% planted
# variants of 2,000 active alerts) uploaded in parts of 10,000 and screened
# as one job in blocks of 2,000, in one process on SQLite (synchronous=FULL)
# and, when PostgreSQL is installed, on a private PostgreSQL server with its
# durable defaults (scripts/test-postgres.sh, JISR_PG_DURABLE=1). Prints each
# run's phases, applicants/s, resident memory and counts; fails when the
# counts are wrong.
#
# Usage: bench/campaign/run.sh [BUILD_DIR]
#   env: APPLICANTS=200000 ALERTS=2000 PART=10000 BLOCK=2000 SEED=20251125
#        STORES="sqlite postgres"
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(realpath "${1:-build}")
bench="$build/bin/jisr_bench_campaign"
[ -x "$bench" ] || { echo "bench-campaign: $bench is missing (make build)" >&2; exit 1; }
args=(--applicants "${APPLICANTS:-200000}" --alerts "${ALERTS:-2000}" --part "${PART:-10000}"
      --block "${BLOCK:-2000}" --seed "${SEED:-20251125}")
stores=${STORES:-sqlite postgres}

work=$(mktemp -d /tmp/jisr-bench-campaign.XXXXXX)
chmod 755 "$work"
pg_started=0
cleanup() {
  if [ "$pg_started" -eq 1 ]; then scripts/test-postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), load $(cut -d' ' -f1-3 /proc/loadavg)"
for store in $stores; do
  echo "== $store"
  if [ "$store" = sqlite ]; then
    TMPDIR="$work" "$bench" "${args[@]}"
  else
    if ! JISR_PG_DURABLE=1 scripts/test-postgres.sh start "$work/pg" >/dev/null; then
      echo "(no PostgreSQL server: skipped)"
      continue
    fi
    pg_started=1
    # The private server's maintenance database holds only this run.
    "$bench" "${args[@]}" --store "$(cat "$work/pg/url")"
  fi
done
