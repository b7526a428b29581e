#!/usr/bin/env bash
# The main job on the shipped example: check the inventory and write one
# intended config per switch to build/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo run --locked --release -- build inventories/example -o build "$@"
