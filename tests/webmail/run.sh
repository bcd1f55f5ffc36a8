#!/usr/bin/env bash
# Runs the webmail browser tests: against the in-memory mock (default) or, with WEBMAIL_URL (+ WEBMAIL_USER,
# WEBMAIL_PASS, WEBMAIL_USER2, WEBMAIL_PASS2, WEBMAIL_ADDRESS2), against a real server.
# Everything it starts (mock server, Chromium) lives inside the node process and is stopped by it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "webmail tests: '$tool' is missing (bash scripts/deps.sh installs nodejs)" >&2; exit 1; }
done
browser=${CHROMIUM:-/usr/bin/chromium}
[ -x "$browser" ] || { echo "webmail tests: Chromium not found at $browser (Debian package chromium; bash scripts/deps.sh)" >&2; exit 1; }
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund >&2
fi
export WEBMAIL_SCREENSHOTS=${WEBMAIL_SCREENSHOTS:-/tmp/claret-webmail-screenshots}
exec timeout --kill-after=10 580 node --test --test-concurrency=1 --test-reporter=spec "$@" ui.test.mjs
