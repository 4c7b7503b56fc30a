#!/usr/bin/env bash
# bench-deploy.sh [CASE...]: wall time of `pulumi up` with the real Pulumi CLI, offline
# (scripts/engine-cli.sh), from an empty stack and for a one-tenant onboarding, per CASE
# `LAYOUT:N[:SIZE]` (single or cells, N tenants, SIZE tenants per cell; default: single:50
# cells:50:12 cells:500:12, cells of 12 so that the onboarded tenant joins a cell with room),
# System C configs cut from examples/scale/serverless-500.toml. Prints a Markdown table for
# docs/benchmarks.md ("Deploy time").
#
# From empty: `pulumi up --yes` of every stack in order (cells: the platform, then each cell,
# one after another). Onboarding: one tenant added, rendered with the same tapgen.lock, then
# `pulumi up --yes` in every stack whose files changed (cells: the tenant's cell only).
# The provider answers at once, so the figures are the engine's own cost (planning, diffing,
# state writes) with no cloud latency; AWS adds its create times on top.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/engine-cli.sh"
source_config="$root/examples/scale/serverless-500.toml"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(single:50 cells:50:12 cells:500:12)

state=$(mktemp -d "${TMPDIR:-/tmp}/tapgen-bench.XXXXXX")
generated="$(dirname "$source_config")/.tapgen-bench-$$"
trap 'rm -f "$generated"-*.toml; rm -rf "$state"' EXIT
engine_cli_setup "$state"
unset TAPGEN_PROVIDER_LOG # a real provider keeps no call log either
(cd "$root" && cargo build -q -p tapgen)
tapgen="$root/target/debug/tapgen"
tenant=onboard-probe

# fingerprint DIR: one line per stack folder with a hash of its files.
fingerprint() {
  local s
  for s in $(engine_cli_stacks "$1"); do
    echo "$s $(find "$s" -type f ! -name 'Pulumi.*.yaml' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
  done
}

# up_stacks LOGPREFIX STACK...: `pulumi up --yes` in each; prints the summed wall seconds.
up_stacks() {
  local prefix=$1 total=0 s
  shift
  for s in "$@"; do
    engine_cli_select "$s" production
    engine_cli_run "$prefix-$(basename "$s").log" "$s" up --yes >&2
    total=$(echo "$total + $ENGINE_CLI_SECONDS" | bc)
  done
  echo "$total"
}

echo "| layout (tenants per cell) | tenants | stacks | resources | \`pulumi up\` from empty (s) | onboarding one tenant: stacks run | onboarding \`pulumi up\` (s) |"
echo "|---|---|---|---|---|---|---|"
for c in "${cases[@]}"; do
  IFS=: read -r layout count size <<<"$c"
  config="$generated-$layout-$count.toml" work="$state/$layout-$count"
  python3 "$root/scripts/scale_config.py" "$source_config" "$count" "$layout" "$config" $size
  resources=$("$tapgen" render "$config" -o "$work" | grep -Eo '[0-9]+ resources' | cut -d' ' -f1)
  mapfile -t stacks < <(engine_cli_stacks "$work")
  mkdir -p "$state/backend-$layout-$count"
  export PULUMI_BACKEND_URL="file://$state/backend-$layout-$count"
  empty=$(up_stacks "$state/$c-empty" "${stacks[@]}")

  before=$(fingerprint "$work")
  printf '\n[[tenants]]\nid = "%s"\ntier = "standard"\n' "$tenant" >>"$config"
  "$tapgen" render "$config" -o "$work" >/dev/null
  mapfile -t changed < <(diff <(echo "$before") <(fingerprint "$work") | sed -n 's/^> \([^ ]*\) .*/\1/p')
  onboard=$(up_stacks "$state/$c-onboard" "${changed[@]}")
  names=$(for s in "${changed[@]}"; do echo "${s#"$work"}"; done | sed 's#^/##; s#^$#.#' | paste -sd' ' -)
  printf '| %s | %s | %s | %s | %.1f | %s | %.1f |\n' "$layout${size:+ ($size)}" "$count" "${#stacks[@]}" \
    "$resources" "$empty" "${names:-.}" "$onboard"
  rm -rf "$work"
done
