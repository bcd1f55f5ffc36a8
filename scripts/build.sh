#!/usr/bin/env bash
# Configures and builds claret. Usage: scripts/build.sh debug|release|ci [ninja targets...]
#   debug:   build/debug   (Debug, no sanitizers; the developer's inner loop)
#   ci:      build/ci      (Debug + AddressSanitizer + UndefinedBehaviorSanitizer; what CI tests)
#   release: build/release (Release; for running and benchmarks)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-debug}
shift || true
case "$kind" in
  debug) args=(-DCMAKE_BUILD_TYPE=Debug -DCLARET_SANITIZE=OFF) ;;
  ci) args=(-DCMAKE_BUILD_TYPE=Debug -DCLARET_SANITIZE=ON) ;;
  release) args=(-DCMAKE_BUILD_TYPE=Release -DCLARET_SANITIZE=OFF) ;;
  *) echo "scripts/build.sh: unknown build kind '$kind' (debug, ci, release)" >&2; exit 2 ;;
esac
dir="$root/build/$kind"
# Paths relative to the checkout in ccache's keys, so clones in other folders share cache hits.
export CCACHE_BASEDIR="$root"
# Without this, ccache hashes the working directory into every -g compilation and a second checkout (a git
# worktree, a clean clone) misses the cache for every file (seen: 5 % hits across six worktrees).
export CCACHE_NOHASHDIR=1
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" >&2
fi
ninja -C "$dir" "$@" >&2
echo "$dir"
