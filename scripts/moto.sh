#!/usr/bin/env bash
# Sourced by the test runners that need AWS APIs: `source scripts/moto.sh; start_moto SERVICE...`
# installs moto server (pinned) into a venv under target/ when missing, starts it on a free
# loopback port, stops it when the calling shell exits, and points the AWS SDK at it for the
# named services (AWS_ENDPOINT_URL_<SERVICE>) with dummy credentials only.
# Needs python3 (with venv) and curl.

MOTO_VERSION="5.2.5"

start_moto() {
  local root venv port log ready service
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  venv="$root/target/lambda-test-venv"

  # 1. moto server, pinned, in a private venv (reused when the pinned version is already there).
  if [[ ! -x "$venv/bin/moto_server" || "$(cat "$venv/.moto-version" 2>/dev/null || true)" != "$MOTO_VERSION" ]]; then
    rm -rf "$venv"
    mkdir -p "$root/target"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
    echo "$MOTO_VERSION" > "$venv/.moto-version"
  fi

  # 2. Start it on a free loopback port; always stop it on exit.
  port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  log="$(mktemp -t moto-server.XXXXXX.log)"
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  MOTO_LOG="$log"
  trap 'stop_moto' EXIT

  ready=0
  for _ in $(seq 1 60); do # at most ~30 s
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/moto-api/"; then
      ready=1
      break
    fi
    kill -0 "$MOTO_PID" 2>/dev/null || break
    sleep 0.5
  done
  if [[ "$ready" != 1 ]]; then
    echo "moto_server did not start on 127.0.0.1:$port" >&2
    cat "$log" >&2 || true
    return 1
  fi

  # 3. The SDK reaches moto for these services only, with dummy credentials.
  for service in "$@"; do
    export "AWS_ENDPOINT_URL_${service}=http://127.0.0.1:$port"
  done
  export AWS_ACCESS_KEY_ID="testing" AWS_SECRET_ACCESS_KEY="testing" AWS_SESSION_TOKEN="testing"
  export AWS_REGION="us-east-1" AWS_DEFAULT_REGION="us-east-1"
  unset AWS_PROFILE AWS_ENDPOINT_URL || true
}

stop_moto() {
  if [[ -n "${MOTO_PID:-}" ]] && kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  rm -f "${MOTO_LOG:-}"
}
