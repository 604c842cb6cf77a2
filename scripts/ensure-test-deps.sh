#!/usr/bin/env bash
# Installs what the test suite needs when it is missing: Debian's PostgreSQL server (the vitest global
# setup starts a private cluster from its binaries), chromium (for the browser tests) and nbclient
# (the reference of bench:grade).
# Quiet when everything is present; never prompts (runs under CI=true with no stdin).
set -euo pipefail

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# bench:grade's reference runs notebooks with nbclient on the host (test/bench-grade.containers.test.ts).
/usr/bin/python3 -c 'import nbclient, ipykernel' 2>/dev/null || missing+=(python3-nbclient python3-ipykernel)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}. As root, run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing test dependencies: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# On a freshly booted machine another apt (e.g. unattended-upgrades) may hold the lock for a while.
apt_opts=(-qq -o DPkg::Lock::Timeout=300)
apt-get "${apt_opts[@]}" update </dev/null
apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null >/dev/null
echo "Installed ${missing[*]}." >&2
