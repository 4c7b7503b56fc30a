#!/usr/bin/env bash
# Runs the Lambda runtime code's tests (crates/compute/lambda) against a local moto server.
# Works on a fresh machine: installs the npm dev dependencies (npm ci) and moto into a venv
# under target/ when missing. Needs node >= 20, npm, python3 (with venv) and curl.
set -euo pipefail

MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAMBDA_DIR="$ROOT/crates/compute/lambda"
VENV="$ROOT/target/lambda-test-venv"

# 1. Node dev dependencies (exact versions from package-lock.json).
(cd "$LAMBDA_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# 2. moto server, pinned, in a private venv (reused when the pinned version is already there).
if [[ ! -x "$VENV/bin/moto_server" || "$(cat "$VENV/.moto-version" 2>/dev/null || true)" != "$MOTO_VERSION" ]]; then
  rm -rf "$VENV"
  mkdir -p "$ROOT/target"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  echo "$MOTO_VERSION" > "$VENV/.moto-version"
fi

# 3. Start moto on a free loopback port; always stop it on exit.
PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
MOTO_LOG="$(mktemp -t moto-server.XXXXXX.log)"
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
cleanup() {
  if kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  rm -f "$MOTO_LOG"
}
trap cleanup EXIT

ready=0
for _ in $(seq 1 60); do # at most ~30 s
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/moto-api/"; then
    ready=1
    break
  fi
  if ! kill -0 "$MOTO_PID" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
if [[ "$ready" != 1 ]]; then
  echo "moto_server did not start on 127.0.0.1:$PORT" >&2
  cat "$MOTO_LOG" >&2 || true
  exit 1
fi

# 4. Run the tests against moto, with dummy credentials only.
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$PORT"
export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID="testing"
export AWS_SECRET_ACCESS_KEY="testing"
export AWS_SESSION_TOKEN="testing"
export AWS_REGION="us-east-1"
export AWS_DEFAULT_REGION="us-east-1"
unset AWS_PROFILE AWS_ENDPOINT_URL || true

status=0
(cd "$LAMBDA_DIR" && node --test test/) || status=$?
exit "$status"
