#!/usr/bin/env bash
# Runs the test suite (or the test files given) on one Node version: the binary of the npm
# registry's `node` package, so CI can test the lowest and the newest Node that `engines` allows.
# Usage: bash scripts/test-on-node.sh 26.10.0 [vitest arguments...]
set -euo pipefail
version="$1"
shift
cd "$(dirname "$0")/.."
echo "== tests on Node $version"
exec npm exec --yes --package="node@$version" -- node node_modules/vitest/vitest.mjs run "$@"
