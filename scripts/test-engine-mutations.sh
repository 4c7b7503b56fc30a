#!/usr/bin/env bash
# Feeds the real Pulumi YAML engine (scripts/pulumi-engine-check) deliberately broken copies of
# examples/ecs-fargate and asserts it reports each, at file:line:col: a misspelled output, a
# wrong invoke `return`, a list where a string is wanted, a dangling reference, an unknown invoke
# argument, a missing required invoke argument, a pinned provider version we do not have. The
# unbroken example must pass first.
set -euo pipefail
cd "$(dirname "$0")/.."
check=scripts/pulumi-engine-check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$check" examples/ecs-fargate >/dev/null 2>&1 || { echo "examples/ecs-fargate does not pass unbroken" >&2; exit 1; }

failed=0
# mutate NAME FROM TO EXPECTED: replaces the first FROM in Main.yaml with TO, expects EXPECTED.
mutate() {
  local name=$1 from=$2 to=$3 expected=$4 dir="$work/$1" status=0
  cp -r examples/ecs-fargate "$dir"
  python3 - "$dir/Main.yaml" "$from" "$to" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
assert old in text, f"{old!r} not in {path}"
open(path, "w").write(text.replace(old, new, 1))
PY
  output=$("$check" "$dir" 2>&1) || status=$?
  if [ "$status" -eq 1 ] && grep -qE "Main\.yaml:[0-9]+:[0-9]+: error: .*$expected" <<<"$output"; then
    echo "ok: $name"
  else
    echo "NOT REPORTED: $name (exit $status, wanted /$expected/):"; echo "$output" | head -5
    failed=1
  fi
}

mutate misspelled-output '${vpc.id}' '${vpc.idd}' 'idd does not exist on vpc'
mutate wrong-invoke-return 'return: names' 'return: namez' 'type checker panicked'
mutate list-for-string 'vpcId: ${vpc.id}' 'vpcId: ${availabilityZones}' 'not assignable from \{vpcId: List<string>'
mutate dangling-reference '${vpc.id}' '${nope.id}' '"nope" not found'
mutate unknown-invoke-argument 'state: available' 'sttate: available' 'has no input "sttate"'
mutate missing-invoke-argument $'arguments:\n        arn: ${deployerSession}' 'arguments: {}' 'requires input "arn"'
mutate foreign-provider-version 'version: 7.51.1' 'version: 7.0.0' 'version 7.0.0'
exit "$failed"
