#!/usr/bin/env bash
# Benchmark of System B's row-level security: the RLS-scoped indexed queries against the same
# queries unscoped, on the same data (default 100 tenants x 10,000 documents) in a scratch database
# on the local PostgreSQL, timed inside the server. Prints a Markdown table for docs/benchmarks.md.
# Options are passed on: --tenants N --rows N --batch N --rounds R (see crates/data/lambda/bench/rls.mjs).
# A benchmark, not a test: it asserts nothing about speed. Target: RLS overhead <= 5%.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAMBDA_DIR="$ROOT/crates/data/lambda"

bash "$ROOT/scripts/services.sh"
(cd "$LAMBDA_DIR" && npm ci --no-audit --no-fund --loglevel=error)
cd "$LAMBDA_DIR"
node bench/rls.mjs "$@"
