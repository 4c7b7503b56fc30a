#!/usr/bin/env bash
# Runs the data layer's runtime tests (crates/data/lambda): System A's db-init Lambda and System B's
# row-level security (provision/rls.sql), provisioning Lambda and Redis access strings
# (crates/data/redis). They use the local PostgreSQL 15 (127.0.0.1:5432, trust auth, superuser
# postgres; every test file makes its own scratch database and roles and drops them), moto server
# for DynamoDB, SSM and KMS, and a private redis-server per test file on a free loopback port.
# scripts/services.sh installs and starts PostgreSQL and Redis when absent; scripts/moto.sh
# installs moto; npm ci installs the dev dependencies. Fails when a shipped handler's line
# coverage is below 80%. Needs node >= 20, npm, python3 (with venv) and curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAMBDA_DIR="$ROOT/crates/data/lambda"
PG_HOST="${TEST_PG_HOST:-127.0.0.1}"
REPORT="$(mktemp -t data-coverage.XXXXXX.txt)"
source "$ROOT/scripts/moto.sh"

# 1. PostgreSQL must answer, redis-server must be installed (both from Debian when absent).
if [[ "$PG_HOST" == "127.0.0.1" || "$PG_HOST" == "localhost" ]]; then
  bash "$ROOT/scripts/services.sh"
fi

# 2. Node dev dependencies (exact versions from package-lock.json).
(cd "$LAMBDA_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# 3. moto server (pinned) for the provisioning Lambda; stopped on exit.
start_moto DYNAMODB SSM KMS
trap 'stop_moto; rm -f "$REPORT"' EXIT

# 4. The tests (explicit glob: the same on Node 20 and 22; helpers are not test files), with line
# coverage of the shipped handlers.
(cd "$LAMBDA_DIR" && node --test --experimental-test-coverage test/*.test.mjs) | tee "$REPORT"
node "$ROOT/scripts/check-coverage.mjs" "$REPORT" 80 db-init/index.mjs provision/index.mjs
