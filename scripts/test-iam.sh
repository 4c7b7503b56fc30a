#!/usr/bin/env bash
# Evaluates the rendered examples' IAM identity and resource policies with a real IAM policy
# evaluation engine (@cloud-copilot/iam-simulate) and asserts tenant isolation: every tenant role
# is denied every action on other tenants' resources and allowed what it is granted on its own;
# for System B also every session of the tenant-access role, per session tag, and its trust policy.
# Works on a fresh machine with node >= 20 and npm (installs tests/iam's pinned dev dependencies).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

npm ci --prefix tests/iam --no-audit --no-fund --loglevel=error
# System B's identity fixture (tests/iam/system-b.test.mjs) must be the current render.
cargo test -q -p identity --test fixture
node --test tests/iam/*.test.mjs
