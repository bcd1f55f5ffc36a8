#!/usr/bin/env bash
# README command 2: install what is missing, build the CI configuration (Debug + AddressSanitizer +
# UndefinedBehaviorSanitizer) and run every test with ctest. Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
build=$(bash scripts/build.sh ci)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
ctest --output-on-failure --timeout 600 -j2 "$@"
