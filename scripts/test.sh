#!/usr/bin/env bash
# `npm test`: system packages, type-check, lint/format, then every test (node:test under tsx).
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true NO_COLOR=1
bash scripts/setup-system.sh
echo "== typecheck"; node_modules/.bin/tsc --noEmit -p .
echo "== lint";      node_modules/.bin/biome check --no-errors-on-unmatched .
echo "== imports";   node --import tsx scripts/check-imports.ts   # DESIGN.md's "may import" rules
echo "== unused";    node_modules/.bin/knip                       # no unused file, dependency or export (knip.jsonc)
echo "== tests"
# node:test on Node 20 does not discover .ts files: pass the list (optionally filtered by $1).
mapfile -t files < <(find test -name '*.test.ts' -path "*${1:-}*" | sort)
[ ${#files[@]} -gt 0 ] || { echo "no test files match '${1:-}'" >&2; exit 1; }
exec node --import tsx --test --test-concurrency=2 --test-timeout=180000 "${files[@]}"
