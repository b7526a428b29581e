# Sourced by the other scripts: makes sure the build prerequisites are here
# on a Debian machine (a C compiler, pkg-config and OpenSSL headers for the
# ssh2 crate) and that the Rust toolchain is at least the crate's
# `rust-version` (Cargo.toml), installing Debian packages with apt-get when
# run as root. Only what building needs: the test script adds what the
# tests need (`install_missing`, below) on top.
set -euo pipefail

# install_missing PACKAGE...: apt-get installs the packages named (as root),
# or says which are missing and how to install them.
install_missing() {
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $*" >&2
    # No service may start from the package install (openssh-server would
    # listen on every address): the tests start their own sshd on 127.0.0.1
    # only. policy-rc.d exit 101 is Debian's "do not start services".
    local policy="" status=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    fi
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "$@" >&2; } || status=$?
    [ -z "$policy" ] || rm -f "$policy"
    if [ "$status" != 0 ]; then
      echo "error: apt-get could not install $*" >&2
      exit 1
    fi
  else
    echo "missing prerequisites: $* (as root: apt-get install -y $*)" >&2
    exit 1
  fi
}

# require_tools TOOL...: each must be found now (after installing).
require_tools() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "error: $tool is still missing after installing prerequisites" >&2
      exit 1
    fi
  done
}

# check_rust_version: rustc must be at least Cargo.toml's rust-version.
# Debian's own `cargo` package is far older (Debian 12: Rust 1.63), so the
# advice is rustup, never apt-get.
check_rust_version() {
  local needed have
  needed="$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml)"
  local how="install a current toolchain with rustup: https://rustup.rs (curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh; on Debian 13 and later also \`apt-get install rustup\`), then \`rustup default stable\`"
  if command -v rustup >/dev/null 2>&1; then
    how="\`rustup update stable && rustup default stable\`"
  fi
  if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
    echo "error: Rust (cargo, rustc) is missing; liaison needs Rust $needed or newer: $how" >&2
    exit 1
  fi
  have="$(rustc --version | sed -n 's/^rustc \([0-9][0-9.]*\).*/\1/p')"
  if [ -z "$have" ] || [ "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -n 1)" != "$needed" ]; then
    echo "error: liaison needs Rust $needed or newer, and $(command -v rustc) is ${have:-of an unknown version}: $how" >&2
    exit 1
  fi
}

missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
install_missing ${missing[@]+"${missing[@]}"}
require_tools cc pkg-config
check_rust_version
