#!/usr/bin/env bash
# Runs the Lambda runtime code's tests (crates/compute/lambda) against a local moto server.
# Works on a fresh machine: installs the npm dev dependencies (npm ci) and moto (scripts/moto.sh)
# into a venv under target/ when missing. Fails when a shipped handler's line coverage is below 80%.
# Needs node >= 20, npm, python3 (with venv) and curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAMBDA_DIR="$ROOT/crates/compute/lambda"
REPORT="$(mktemp -t lambda-coverage.XXXXXX.txt)"
source "$ROOT/scripts/moto.sh"

# 1. Node dev dependencies (exact versions from package-lock.json).
(cd "$LAMBDA_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# 2. moto server (pinned), for DynamoDB and Secrets Manager; stopped on exit.
start_moto DYNAMODB SECRETS_MANAGER
trap 'stop_moto; rm -f "$REPORT"' EXIT

# 3. The tests, with line coverage of the shipped handlers (at least 80% each).
(cd "$LAMBDA_DIR" && node --test --experimental-test-coverage test/) | tee "$REPORT"
node "$ROOT/scripts/check-coverage.mjs" "$REPORT" 80 authorizer/index.mjs users/index.mjs
