#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: prerequisites (including
# OpenSSH's server and client: the SSH tests run the switch simulator behind
# a real sshd on 127.0.0.1 and fail, never skip, when it cannot start), then
# every unit, integration, golden, property and SSH test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo test --locked --all-targets
