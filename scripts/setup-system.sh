#!/usr/bin/env bash
# Provisions the Debian packages the tests and the bench need when they are missing, so `npm ci && npm
# test` (and then `npm run bench`) hold on a fresh machine, not only in CI: Chromium for the dashboard's
# browser test and xmllint (libxml2-utils) for the Azure API Management policy documents (the tests
# cannot run without them), and wrk, the bench's load generator (the bench falls back to autocannon,
# whose latencies are whole milliseconds, so a machine where it cannot be installed only gets a note).
set -euo pipefail
need=()
want=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v wrk >/dev/null 2>&1 || want+=(wrk)
[ $((${#need[@]} + ${#want[@]})) -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  if [ ${#need[@]} -gt 0 ]; then
    echo "gantry tests need: ${need[*]} (Debian packages). Install them, e.g. sudo apt-get install -y ${need[*]} ${want[*]}" >&2
    exit 1
  fi
  echo "setup: wrk is missing (sudo apt-get install -y wrk): npm run bench falls back to autocannon" >&2
  exit 0
fi
echo "setup: installing ${need[*]} ${want[*]} from Debian (first run only)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${need[@]}" "${want[@]}" >/dev/null
