#!/usr/bin/env bash
# Runs the db-init Lambda's tests (crates/data/lambda): the tenant SQL and the handler against the
# local PostgreSQL 15 (127.0.0.1:5432, trust auth, superuser postgres). Each test file creates its
# own scratch database and run-unique roles and drops them afterwards.
# scripts/services.sh installs and starts PostgreSQL when absent; npm ci installs the dev dependencies.
# Needs node >= 20 and npm.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAMBDA_DIR="$ROOT/crates/data/lambda"
PG_HOST="${TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${TEST_PG_PORT:-5432}"

# 1. PostgreSQL must answer (installed, configured and started when absent).
if [[ "$PG_HOST" == "127.0.0.1" || "$PG_HOST" == "localhost" ]]; then
  bash "$ROOT/scripts/services.sh"
fi

# 2. Node dev dependencies (exact versions from package-lock.json).
(cd "$LAMBDA_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# 3. The tests (explicit glob: the same on Node 20 and 22; test/helpers.mjs is not a test file).
cd "$LAMBDA_DIR"
node --test test/*.test.mjs
