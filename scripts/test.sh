#!/usr/bin/env bash
# Runs every test tapgen has: the Rust workspace, the shipped Lambda code against moto and
# PostgreSQL, the IAM isolation evaluation, and the pulumi-aws schema freshness checks.
# Needs: Rust (cargo; cargo-nextest is used when present), Node 20+, Python 3.11 with pip, Go 1.25+
# (tests/engine: pulumi-yaml and the Pulumi Go SDK; tests/engine-cli: the Pulumi CLI, whose
# first build takes minutes, see README; both from the Go module proxy).
# PostgreSQL and Redis are installed, configured and started by scripts/services.sh when absent.
# Exits non-zero on the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n== %s\n' "$1"; }

section "services: PostgreSQL and Redis"
bash scripts/services.sh

section "Rust workspace (cargo nextest)"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi

section "pulumi-aws schema subset is current and covers every rendered type"
python3 scripts/derive-schema.py --check
python3 scripts/derive-schema.py --types-from $(dirname examples/*/Main.yaml)
python3 -m unittest scripts/test_derive_schema.py

section "System C Lambda code (node --test, DynamoDB on moto)"
bash scripts/test-lambdas.sh

section "Data-layer runtime: db-init, RLS, provisioning, Redis ACLs (node --test; PostgreSQL, moto, Redis)"
bash scripts/test-data-runtime.sh

if [ -f scripts/test-iam.sh ]; then
  section "IAM isolation evaluation of every example"
  bash scripts/test-iam.sh
fi

section "every example passes tapgen check"
for program in examples/*/Main.yaml; do
  cargo run -q -p tapgen -- check "$(dirname "$program")"
done

section "500-tenant configs (cell layout): render, check every stack, plan"
bash scripts/check-scale.sh

section "the real Pulumi YAML engine (pulumi-yaml under mocks): every example, every 500-tenant stack"
(cd tests/engine && go test ./...)
scripts/pulumi-engine-check $(dirname examples/*/Main.yaml) target/scale/*/
bash scripts/test-engine-mutations.sh

section "real Pulumi CLI, offline: deploy, no-change preview, onboard and remove one tenant"
python3 -m unittest scripts/test_preview_only_tenant.py
(cd tests/engine-cli && go test ./provider)
# api-deployment:triggers lists the tenants on purpose: a REST API serves new routes only after
# a new deployment, so onboarding a tenant must redeploy the API (see docs/design.md).
scripts/pulumi-deploy-check examples/ecs-fargate.toml examples/ecs-fargate
scripts/pulumi-deploy-check examples/serverless.toml examples/serverless --allow api-deployment:triggers
scripts/pulumi-deploy-check examples/enterprise.toml examples/enterprise
# The cell layout at a size CI can deploy in minutes: 12 tenants in cells of 5 (the platform
# and three cells; the onboarded tenant joins the third).
cells_config=examples/scale/.tapgen-test-cells-12.toml
trap 'rm -f "$cells_config"' EXIT
python3 scripts/scale_config.py examples/scale/serverless-500.toml 12 cells "$cells_config" 5
scripts/pulumi-deploy-check "$cells_config" --allow api-deployment:triggers
enterprise_cells=examples/scale/.tapgen-test-enterprise-cells-12.toml
trap 'rm -f "$cells_config" "$enterprise_cells"' EXIT
python3 scripts/scale_config.py examples/scale/enterprise-500.toml 12 cells "$enterprise_cells" 5
scripts/pulumi-deploy-check "$enterprise_cells"
