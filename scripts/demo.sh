#!/usr/bin/env bash
# README command 1: install what is missing, build claret (Release), create ./var on first run
# (config, self-signed certificate, SQLite store, a demo domain and account) and start `claret serve`
# in the foreground on unprivileged loopback ports. Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
build=$(bash scripts/build.sh release claret)
claret="$build/src/app/claret"
var="$root/var"
if [ ! -f "$var/claret.toml" ]; then
  "$claret" init --domain example.test --hostname localhost --data "$var" \
    --listen 127.0.0.1 --port-offset 10000 --allow-plaintext-on-loopback --demo-account demo
  # The demo serves the webmail too (off by default in a fresh config: an admin turns it on deliberately).
  sed -i '/^\[webmail\]/,/^\[/ s/^enabled = false/enabled = true/' "$var/claret.toml"
  "$claret" config check --config "$var/claret.toml" >/dev/null
elif [ -f "$var/demo-account.txt" ]; then
  cat "$var/demo-account.txt"
fi
echo "Listening on 127.0.0.1: SMTP 10025, submission 10587/10465, IMAP 10143/10993, POP3 10110/10995,"
echo "webmail https://127.0.0.1:10443/ (self-signed certificate: accept it in the browser)."
echo "Try: swaks --server 127.0.0.1:10587 --tls -au demo@example.test -ap PASSWORD --to demo@example.test"
exec "$claret" serve --config "$var/claret.toml"
