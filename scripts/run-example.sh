#!/usr/bin/env bash
# The first command of the README: installs `liaison` (cargo install, into
# ~/.cargo/bin, which rustup puts on the PATH), then checks the shipped
# example and writes one intended config per switch to build/. Needs only
# what building needs (scripts/deps.sh), not the test prerequisites.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo install --locked --path . --bin liaison
bin="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
if [ "$(command -v liaison || true)" != "$bin/liaison" ]; then
  echo "note: liaison is installed as $bin/liaison, which is not first on your PATH: add it, e.g. export PATH=\"$bin:\$PATH\" in ~/.profile" >&2
fi
"$bin/liaison" build inventories/example -o build "$@"
