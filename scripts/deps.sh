# Sourced by the other scripts: makes sure the build prerequisites are here
# on a Debian machine (a C compiler, pkg-config and OpenSSL headers for the
# ssh2 crate; OpenSSH's server and client for the SSH tests, which run the
# switch simulator behind a real sshd on 127.0.0.1; useradd and chpasswd
# for the password tests), installing them with apt-get when run as root.
set -euo pipefail
missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
{ command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; } || missing+=(openssh-client)
# useradd and chpasswd: the password tests log in a lab user of their own.
{ [ -x /usr/sbin/useradd ] && [ -x /usr/sbin/chpasswd ]; } || missing+=(passwd)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]}" >&2
    # No service may start from the package install (openssh-server would
    # listen on every address): the tests start their own sshd on 127.0.0.1
    # only. policy-rc.d exit 101 is Debian's "do not start services".
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    fi
    status=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } || status=$?
    [ -z "$policy" ] || rm -f "$policy"
    if [ "$status" != 0 ]; then
      echo "error: apt-get could not install ${missing[*]}" >&2
      exit 1
    fi
  else
    echo "missing build prerequisites: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
fi
for tool in cc pkg-config /usr/sbin/sshd ssh ssh-keygen /usr/sbin/useradd /usr/sbin/chpasswd; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is still missing after installing prerequisites" >&2
    exit 1
  fi
done
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust (https://rustup.rs) or apt-get install cargo" >&2
  exit 1
fi
