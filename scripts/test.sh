#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: prerequisites, then every
# unit, integration, golden and property test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo test --locked --all-targets
