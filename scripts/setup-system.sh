#!/usr/bin/env bash
# Provisions the Debian packages the tests need (Chromium for the dashboard's browser test, xmllint
# from libxml2-utils for the Azure API Management policy documents) when they are missing, so `npm ci && npm test` holds on a fresh machine, not only in CI.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "gantry tests need: ${need[*]} (Debian packages). Install them, e.g. sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "setup: installing ${need[*]} from Debian (first run only)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${need[@]}" >/dev/null
