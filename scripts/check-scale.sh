#!/usr/bin/env bash
# Renders every 500-tenant config in examples/scale (cell layout) into target/scale/ and runs
# `tapgen check` on every stack (0 problems required) and `tapgen plan` (its quota ledger is
# printed; exit 1, an adjustable default to raise before deploying, is reported, not fatal).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p tapgen
tapgen=target/debug/tapgen
for config in examples/scale/*.toml; do
  name=$(basename "$config" .toml)
  out="target/scale/$name"
  echo "-- $name"
  "$tapgen" render "$config" -o "$out"
  "$tapgen" check "$out" | grep -v '^0 problems' || true
  "$tapgen" check "$out" >/dev/null
  status=0
  "$tapgen" plan "$config" --dir "$out" >"$out.plan.txt" || status=$?
  case $status in
    0) echo "plan: every quota within its default" ;;
    1) echo "plan: adjustable defaults to raise before deploying:"; grep 'REQUEST AN INCREASE' "$out.plan.txt" ;;
    *) cat "$out.plan.txt"; exit "$status" ;;
  esac
done
