#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: prerequisites (including
# OpenSSH's server and client: the SSH tests run the switch simulator behind
# a real sshd on 127.0.0.1 and fail, never skip, when it cannot start; and
# Chromium: the documentation site's browser test renders it headless and
# fails, never skips, without it), then every unit, integration, golden,
# property, SSH and browser test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
# What the tests need beyond building: OpenSSH's server and client,
# useradd/chpasswd (the password tests log in a lab user of their own), and
# Debian's chromium for tests/browser.rs (LIAISON_CHROMIUM may name another
# build instead).
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
{ command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; } || missing+=(openssh-client)
{ [ -x /usr/sbin/useradd ] && [ -x /usr/sbin/chpasswd ]; } || missing+=(passwd)
browser=chromium
if [ -n "${LIAISON_CHROMIUM:-}" ]; then
  browser="$LIAISON_CHROMIUM"
else
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
install_missing ${missing[@]+"${missing[@]}"}
require_tools /usr/sbin/sshd ssh ssh-keygen /usr/sbin/useradd /usr/sbin/chpasswd "$browser"
# CI builds once from clean: incremental state would only take disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
cargo test --locked --all-targets
