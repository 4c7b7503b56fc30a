#!/usr/bin/env bash
# Evaluates the rendered examples' IAM identity and resource policies with a real IAM policy
# evaluation engine (@cloud-copilot/iam-simulate) and asserts tenant isolation: every tenant role
# is denied every action on other tenants' resources and allowed what it is granted on its own.
# Works on a fresh machine with node >= 20 and npm (installs tests/iam's pinned dev dependencies).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

npm ci --prefix tests/iam --no-audit --no-fund --loglevel=error
node --test tests/iam/*.test.mjs
