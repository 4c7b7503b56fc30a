#!/usr/bin/env bash
# Sourced by the scripts that drive the real Pulumi CLI offline (pulumi-deploy-check,
# bench-deploy.sh). `engine_cli_setup` builds, once and then only when tests/engine-cli changes,
# the pinned `pulumi` CLI, `pulumi-language-yaml` and the recording provider into
# target/engine-cli/bin (Go module tests/engine-cli; Go and the Go module proxy are all it
# needs), installs the provider as pulumi-aws 7.51.1 and pulumi-random 4.21.4 in a private
# PULUMI_HOME, and exports an environment in which the CLI reaches no network: a local file
# backend, no update check, no plugin download.

ENGINE_CLI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE_CLI_BIN="$ENGINE_CLI_ROOT/target/engine-cli/bin"
# The versions the rendered programs pin (Pulumi.yaml default providers); the schemas are
# crates/check/schema/pulumi-<package>-<version>.package.json.
ENGINE_CLI_PLUGINS=(aws:7.51.1 random:4.21.4)

# Builds what is stale: the stamp is the hash of the module's files.
engine_cli_build() {
  local module="$ENGINE_CLI_ROOT/tests/engine-cli" engine="$ENGINE_CLI_ROOT/tests/engine"
  local stamp
  stamp=$(cat "$module/go.mod" "$module/go.sum" "$module"/provider/*.go "$engine/go.mod" \
    "$engine"/fabricate/*.go | sha256sum | cut -c1-16)
  if [ -f "$ENGINE_CLI_BIN/.stamp" ] && [ "$(cat "$ENGINE_CLI_BIN/.stamp")" = "$stamp" ]; then
    return
  fi
  mkdir -p "$ENGINE_CLI_BIN"
  local version
  version=$(cd "$module" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)
  echo "building the Pulumi CLI $version, pulumi-language-yaml and the recording provider (first build: minutes)" >&2
  (
    cd "$module"
    go build -o "$ENGINE_CLI_BIN/pulumi" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    go build -o "$ENGINE_CLI_BIN/pulumi-language-yaml" \
      github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
    go build -o "$ENGINE_CLI_BIN/pulumi-resource-recording" ./provider
  )
  rm -rf "$ENGINE_CLI_ROOT/target/engine-cli/home/plugins"
  echo "$stamp" >"$ENGINE_CLI_BIN/.stamp"
}

# Installs the recording provider under each pinned plugin name, with its package schema
# beside it (the provider reads its package from its name and its schema from its folder).
engine_cli_install_plugins() {
  local entry pkg version staging
  for entry in "${ENGINE_CLI_PLUGINS[@]}"; do
    pkg=${entry%%:*} version=${entry#*:}
    [ -x "$PULUMI_HOME/plugins/resource-$pkg-v$version/pulumi-resource-$pkg" ] && continue
    staging=$(mktemp -d)
    cp "$ENGINE_CLI_BIN/pulumi-resource-recording" "$staging/pulumi-resource-$pkg"
    cp "$ENGINE_CLI_ROOT/crates/check/schema/pulumi-$pkg-$version.package.json" "$staging/"
    tar -czf "$staging.tgz" -C "$staging" .
    pulumi plugin install resource "$pkg" "$version" --file "$staging.tgz" --reinstall >/dev/null
    rm -rf "$staging" "$staging.tgz"
  done
}

# engine_cli_setup STATE_DIR: build, install, and export the offline environment with the
# file backend in STATE_DIR (created). Every call to the provider is logged to
# STATE_DIR/provider-calls.jsonl.
engine_cli_setup() {
  local state=$1
  engine_cli_build
  mkdir -p "$state/backend"
  export PATH="$ENGINE_CLI_BIN:$PATH"
  export PULUMI_HOME="$ENGINE_CLI_ROOT/target/engine-cli/home"
  export PULUMI_BACKEND_URL="file://$state/backend"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_CONFIG_PASSPHRASE=tapgen-offline-test
  export PULUMI_SKIP_CONFIRMATIONS=true
  export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
  export TAPGEN_PROVIDER_LOG="$state/provider-calls.jsonl"
  mkdir -p "$PULUMI_HOME"
  engine_cli_install_plugins
}

# engine_cli_stacks DIR: the stack folders of a rendered project in deployment order: DIR
# itself (single layout), or DIR/platform then every DIR/cells/* (cell layout).
engine_cli_stacks() {
  if [ -f "$1/Pulumi.yaml" ]; then
    echo "$1"
    return
  fi
  echo "$1/platform"
  find "$1/cells" -mindepth 1 -maxdepth 1 -type d | sort
}

# engine_cli_stack_name CONFIG: the stack a user creates, named after the environment (the
# name the cells' default `platformStack` expects of the platform).
engine_cli_stack_name() {
  python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["platform"]["environment"])' "$1"
}

# engine_cli_select DIR STACK: select STACK in DIR, creating it with the config a user sets
# when it is new (`owner`; cells keep the default `platformStack`, as DIR/README.md says).
engine_cli_select() {
  pulumi -C "$1" stack select "$2" >/dev/null 2>&1 && return
  pulumi -C "$1" stack init "$2" >/dev/null 2>&1
  pulumi -C "$1" config set owner platform-team
}

# engine_cli_run LOG DIR ARGS...: `pulumi ARGS` in DIR, its output in LOG (stderr in
# LOG.stderr); on failure their tails are printed. Sets ENGINE_CLI_SECONDS to the wall time.
engine_cli_run() {
  local log=$1 dir=$2 start status=0
  shift 2
  start=$(date +%s.%N)
  pulumi -C "$dir" "$@" --non-interactive --color never >"$log" 2>"$log.stderr" || status=$?
  ENGINE_CLI_SECONDS=$(echo "$(date +%s.%N) - $start" | bc)
  if [ "$status" -ne 0 ]; then
    echo "FAILED ($status): pulumi $* in $dir; log $log:" >&2
    tail -n 40 "$log" "$log.stderr" >&2
    return "$status"
  fi
}
