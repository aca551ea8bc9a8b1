#!/bin/sh
# Runs one libFuzzer target on a copy of its checked-in corpus (new inputs go to the copy,
# crashes to ./crash-*), for FUZZ_RUNS executions or FUZZ_SECONDS seconds, whichever comes
# first, and prints libFuzzer's final statistics (executions, coverage).
# Usage: run-fuzzer.sh FUZZER CORPUS_DIR NAME
set -eu
fuzzer="$1"; corpus="$2"; name="$3"
work="$(mktemp -d "${TMPDIR:-/tmp}/relance-fuzz-$name.XXXXXX")"
cp -r "$corpus"/. "$work"/
cd "$work"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$fuzzer" -runs="${FUZZ_RUNS:-1000000}" -max_total_time="${FUZZ_SECONDS:-1800}" \
  -max_len=65536 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 "$work" 2>&1 \
  | grep -E '(DONE|stat::|INFO: Loaded|==[0-9]+==ERROR|SUMMARY|^Done)' || true
if ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* >/dev/null 2>&1; then
  echo "fuzz-$name: findings kept in $work"
  exit 1
fi
rm -rf "$work"
