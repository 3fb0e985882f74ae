#!/usr/bin/env bash
# Builds the libFuzzer targets with the `fuzz` preset and fuzzes the CSV
# reader for SECONDS (default 60) over a copy of tests/fuzz/corpus in the
# build directory. With --keep, inputs that add coverage are merged back
# into tests/fuzz/corpus. Exits non-zero on any finding (crash, sanitizer
# report, broken invariant, leak, timeout, out of memory).
#
# usage: tests/fuzz/run_fuzz.sh [SECONDS] [--keep]
set -euo pipefail

seconds=60
keep=0
for arg in "$@"; do
    case "$arg" in
        --keep) keep=1 ;;
        '' | *[!0-9]*) echo "usage: $0 [SECONDS] [--keep]" >&2; exit 2 ;;
        *) seconds=$arg ;;
    esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
cmake --preset fuzz
cmake --build --preset fuzz --target fuzz_csv_reader

build="$root/build-fuzz"
fuzzer="$build/tests/fuzz/fuzz_csv_reader"
work="$build/fuzz/csv_reader"
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$root/tests/fuzz/corpus/"* "$work/corpus/"

# UBSan only reports and goes on unless told to stop.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"

status=0
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" || status=$?

if [ "$status" -ne 0 ]; then
    echo "fuzz_csv_reader found a problem (exit $status); reproducer(s) in $work/artifacts:" >&2
    ls -l "$work/artifacts" >&2
    exit "$status"
fi
if [ "$keep" -eq 1 ]; then
    "$fuzzer" -merge=1 -max_len=65536 "$root/tests/fuzz/corpus" "$work/corpus"
fi
echo "fuzz_csv_reader: no findings in ${seconds}s"
