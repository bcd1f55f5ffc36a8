#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (build/fuzz: ASan + UBSan + coverage) and runs them, one at a
# time, at low priority. Results (executions, coverage, crashes) are summarised at the end; crashing inputs are
# kept in build/fuzz/artifacts/<target>/ (copy them to fuzz/regressions/<target>/ once the bug is fixed).
#
#   scripts/fuzz.sh                         every target for 60 seconds
#   scripts/fuzz.sh --seconds 300 mime_message smtp_data
#   scripts/fuzz.sh --minutes 60 imap_receiver   a long run
#   scripts/fuzz.sh --minutes 60 --timeout 900 smtp_data   per-input hang limit (default 60 s; see below)
#   scripts/fuzz.sh --build-only            just build
#   scripts/fuzz.sh --list                  the target names
#
# The working corpus of each target (build/fuzz/corpus/<target>/) is kept between runs, so runs add up. Seeds
# are generated at run time from ../shared/corpus and the tests (fuzz/make_seeds.py) into build/fuzz/seeds/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/build/fuzz"
seconds=60
timeout=60
build_only=0
targets=()
all_targets=(smtp_command smtp_data imap_receiver imap_args pop3_command mime_message mime_header mime_codec config
             dkim sasl webmail_http)
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --list) printf '%s\n' "${all_targets[@]}"; exit 0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "scripts/fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [[ ! " ${all_targets[*]} " == *" $t "* ]]; then
    echo "scripts/fuzz.sh: unknown target '$t' (scripts/fuzz.sh --list)" >&2
    exit 2
  fi
done

# clang and its libFuzzer runtime, installed like scripts/deps.sh installs the rest (scripts/packages.txt is the
# normal build's list; these are only needed here).
need=()
command -v clang++ >/dev/null || need+=(clang)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "claret: installing ${need[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

export CCACHE_BASEDIR="$root"
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLARET_SANITIZE=ON \
    -DCLARET_TESTS=OFF -DCLARET_FUZZ=ON >&2
fi
nice -n 10 ninja -C "$dir" "${targets[@]/#/fuzz_}" >&2
[ "$build_only" = 1 ] && exit 0

if [ ! -d "$dir/seeds" ]; then
  # A private temporary directory: two runs started together (two targets in parallel) must not write into one.
  tmp_seeds=$(mktemp -d "$dir/seeds.XXXXXX")
  python3 "$root/fuzz/make_seeds.py" "$tmp_seeds/seeds" >&2
  mv -T "$tmp_seeds/seeds" "$dir/seeds" 2>/dev/null || true  # the other run may have won: its seeds are the same
  rm -rf "$tmp_seeds"
fi

summary=()
failed=0
for t in "${targets[@]}"; do
  corpus="$dir/corpus/$t"
  artifacts="$dir/artifacts/$t"
  log="$dir/logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$dir/logs" "$dir/seeds/$t"
  extra=()
  [ -f "$root/fuzz/dicts/$t.dict" ] && extra+=("-dict=$root/fuzz/dicts/$t.dict")
  echo "fuzz: $t for ${seconds}s (log: $log)" >&2
  set +e
  # -timeout: an input taking over 60 s is a hang (every input of the corpus runs in well under a second; the
  # limit is wall-clock, so a tighter one fires spuriously when the machine is loaded or the run is paused: at nice 10
  # beside a dozen compilers a fuzzer gets about 1 % of a core, and a 0.5 s input takes close to a minute);
  # -rss_limit_mb: a run over 2 GB is a memory bug.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice -n 10 "$dir/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${extra[@]}" \
    "$corpus" "$dir/seeds/$t" "$root/fuzz/seeds/$t" "$root/fuzz/regressions/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | awk '{print $2}')
  ft=$(echo "$last" | grep -o 'ft: [0-9]*' | awk '{print $2}')
  crashes=$(find "$artifacts" -type f | wc -l)
  status=ok
  if [ "$rc" -ne 0 ]; then status="FAILED (exit $rc)"; failed=1; fi
  summary+=("$(printf '%-14s %6ss %12s execs  cov %6s  ft %7s  artifacts %3s  %s' "$t" "$seconds" "${execs:-?}" \
    "${cov:-?}" "${ft:-?}" "$crashes" "$status")")
done
printf '%s\n' "${summary[@]}"
exit $failed
