#!/usr/bin/env bash
# Benchmark 4 of docs/performance.md ("Name matching and screening"): jisr's
# screening speed on generated data (bench/names/bench_speed.cc: index build
# time, memory, inputs/s on 2 threads, p50/p99 latency, recall of the true
# variants) and, on the same data, the baseline a user would reach for:
# PostgreSQL with pg_trgm (GIN index, `%` and similarity(), top 10 per input)
# on a private server started for the run (scripts/test-postgres.sh) and
# stopped after. PostgreSQL screens a sample of the inputs (every 10th input
# of the sample is a true variant, like the whole set) with 2 sessions.
#
# Usage: scripts/bench-names-speed.sh [BUILD_DIR] [DATA_DIR] [PERSONS] [INPUTS] [PG_SAMPLE]
#   defaults: build ../shared/data 1000000 100000 2000
# BUILD_DIR must hold bin/jisr_bench_speed (a Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
data="${2:-../shared/data}"
persons="${3:-1000000}"
inputs="${4:-100000}"
sample="${5:-2000}"
bin="$build/bin/jisr_bench_speed"
[ -x "$bin" ] || { echo "bench-names-speed: $bin not found (build the Release tree first)" >&2; exit 1; }

work=$(mktemp -d /tmp/jisr-bench-names.XXXXXX)
chmod 755 "$work"
pg_started=0
cleanup() {
  if [ "$pg_started" -eq 1 ]; then scripts/test-postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== jisr (persons $persons, inputs $inputs, 2 threads)"
"$bin" "$data" --persons "$persons" --inputs "$inputs" --threads 2 --pg-dir "$work" | tee "$work/jisr.txt"
jisr_rate=$(sed -n 's/^screening: .* = \([0-9.]*\) inputs\/s.*/\1/p' "$work/jisr.txt")
chmod 644 "$work"/*.csv

echo "== PostgreSQL pg_trgm baseline (same data, sample of $sample inputs, 2 sessions)"
mkdir -p "$work/pg"
if ! scripts/test-postgres.sh start "$work/pg" >/dev/null; then
  echo "bench-names-speed: could not start PostgreSQL; baseline skipped" >&2
  exit 0
fi
pg_started=1
url=$(cat "$work/pg/url")
bindir=$(cat "$work/pg/bindir")
psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d "$url")

t0=$(date +%s.%N)
"${psql[@]}" <<SQL
SET maintenance_work_mem = '512MB';
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE listed (id text, name text);
CREATE TABLE queries (qid text, name text);
CREATE TABLE truth (qid text, twin text);
\copy listed FROM '$work/listed.csv' WITH (FORMAT csv, HEADER true)
\copy queries FROM '$work/queries.csv' WITH (FORMAT csv, HEADER true)
\copy truth FROM '$work/truth.csv' WITH (FORMAT csv, HEADER true)
CREATE INDEX listed_name_trgm ON listed USING gin (name gin_trgm_ops);
ANALYZE listed;
CREATE TABLE sample AS
  SELECT qid, name, (row_number() OVER (ORDER BY substr(qid, 2)::int)) % 2 AS part
  FROM queries ORDER BY substr(qid, 2)::int LIMIT $sample;
SQL
t1=$(date +%s.%N)

for part in 0 1; do
  "${psql[@]}" -c "CREATE TABLE res_$part AS SELECT s.qid, m.id, m.sim FROM sample s
      CROSS JOIN LATERAL (SELECT l.id, similarity(l.name, s.name) AS sim FROM listed l
                          WHERE l.name % s.name ORDER BY sim DESC LIMIT 10) m
      WHERE s.part = $part;" &
done
wait
t2=$(date +%s.%N)

read -r pg_recall pg_variants < <("${psql[@]}" -At -F ' ' -c "
  SELECT coalesce(round(avg(CASE WHEN EXISTS (
           SELECT 1 FROM (SELECT * FROM res_0 UNION ALL SELECT * FROM res_1) r
           WHERE r.qid = t.qid AND r.id = t.twin) THEN 1.0 ELSE 0.0 END), 4), 0), count(*)
  FROM truth t JOIN sample s ON s.qid = t.qid;")
load_s=$(echo "$t1 - $t0" | bc -l)
query_s=$(echo "$t2 - $t1" | bc -l)
pg_rate=$(echo "$sample / $query_s" | bc -l)
printf 'pg_trgm: load + GIN index %.1f s; %d inputs in %.1f s with 2 sessions = %.1f inputs/s; recall of the %d true variants in the sample (twin in top 10 at similarity >= 0.3): %s\n' \
  "$load_s" "$sample" "$query_s" "$pg_rate" "$pg_variants" "$pg_recall"
if [ -n "$jisr_rate" ]; then
  printf 'speed ratio jisr / pg_trgm: %.0fx\n' "$(echo "$jisr_rate / $pg_rate" | bc -l)"
fi
