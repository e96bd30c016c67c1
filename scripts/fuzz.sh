#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (in build-fuzz/) and runs each one
# for a bounded time: the name normaliser/matcher and the persons CSV reader.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60 seconds per target; the build
# directory can be changed with JISR_FUZZ_BUILD_DIR)
# Exit status: 0 when no target crashed; non-zero otherwise (the crashing input
# is left in build-fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
build="${JISR_FUZZ_BUILD_DIR:-build-fuzz}"
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DJISR_FUZZ=ON -DJISR_WERROR=OFF >/dev/null
fi
ninja -C "$build" -j "$jobs" jisr_fuzz_names jisr_fuzz_persons_csv jisr_fuzz_alerts

mkdir -p "$build/corpus/names" "$build/corpus/persons_csv" "$build/corpus/alerts" "$build/artifacts"
# The alerts target reads every import format and PAXLST: seed it with the samples.
cp src/alerts/testdata/* "$build/corpus/alerts/"
# Seed inputs (the corpora grow between runs).
printf '%s' 'Mohamed Ben Ali' > "$build/corpus/names/latin"
printf '%s' 'عبد اللطيف بن علي' > "$build/corpus/names/arabic"
printf '%s\x1f%s' 'SALEK, ABDULHAI' 'Abdul Hai Salek' > "$build/corpus/names/pair"
printf '%s' 'Владимир Путин' > "$build/corpus/names/cyrillic"
printf '%s\n%s\n%s\n' 'id,name,aliases,birth_date,nationality,gender,document' \
  'w1,Youcef Benali,"يوسف بن علي|Youssef Ben Ali",1980-03,DZ|FR,M,P123' \
  'w2,"MANSOURI, HOUCINE",,1968,TN,,' > "$build/corpus/persons_csv/list"

status=0
for target in names persons_csv alerts; do
  echo "fuzz: jisr_fuzz_$target for $seconds s" >&2
  if ! "$build/bin/jisr_fuzz_$target" -max_total_time="$seconds" -max_len=4096 \
       -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/artifacts/${target}-" "$build/corpus/$target"; then
    echo "fuzz: jisr_fuzz_$target FAILED (see $build/artifacts/)" >&2
    status=1
  fi
done
exit "$status"
