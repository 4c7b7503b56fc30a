#!/usr/bin/env bash
# Runs the db-init Lambda's tests (crates/data/lambda): the tenant SQL and the handler against the
# local PostgreSQL 15 (127.0.0.1:5432, trust auth, superuser postgres). Each test file creates its
# own scratch database and run-unique roles and drops them afterwards.
# Starts PostgreSQL when it is installed but down; installs the npm dev dependencies (npm ci).
# Needs node >= 20, npm and the machine's PostgreSQL (Debian's postgresql package).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAMBDA_DIR="$ROOT/crates/data/lambda"
PG_HOST="${TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${TEST_PG_PORT:-5432}"

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; }

# 1. PostgreSQL must answer; start the local cluster when it does not (waits at most ~30 s).
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "pg_isready not found: PostgreSQL client tools are not installed" >&2
  exit 1
fi
if ! pg_up; then
  if [[ "$PG_HOST" != "127.0.0.1" && "$PG_HOST" != "localhost" ]]; then
    echo "PostgreSQL at $PG_HOST:$PG_PORT does not answer" >&2
    exit 1
  fi
  versions=$(ls /etc/postgresql 2>/dev/null || true)
  if [[ -z "$versions" ]]; then
    echo "PostgreSQL does not answer on $PG_HOST:$PG_PORT and no local cluster is configured" >&2
    exit 1
  fi
  version=$(printf '%s\n' $versions | sort -V | tail -n 1)
  echo "PostgreSQL is down; starting cluster $version/main" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_up && break
    sleep 1
  done
  if ! pg_up; then
    echo "PostgreSQL did not come up on $PG_HOST:$PG_PORT within 30 s" >&2
    exit 1
  fi
fi

# 2. Node dev dependencies (exact versions from package-lock.json).
(cd "$LAMBDA_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# 3. The tests (explicit glob: the same on Node 20 and 22; test/helpers.mjs is not a test file).
cd "$LAMBDA_DIR"
node --test test/*.test.mjs
