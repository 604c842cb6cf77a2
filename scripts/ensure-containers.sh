#!/usr/bin/env bash
# Gets Podman's Docker-compatible API running for the workspace tests (machine.md §9): installs podman,
# runc and mmdebstrap when absent, configures runc (crun fails on this hybrid cgroup layout) and no
# default rlimits (refused here), and starts `podman system service` on /run/podman/podman.sock,
# left running like the test PostgreSQL. Quiet when all is in place; never prompts.
# labgate drops root at start and reaches the engine through the socket's group (isolation.md §7),
# so the socket is made group `labgate`, mode 0660 (root, running the tests, still uses it).
set -euo pipefail

socket=/run/podman/podman.sock
conf=/etc/containers/containers.conf
group=labgate
answers() { curl -sf --unix-socket "$socket" http://d/v1.41/version >/dev/null 2>&1; }

if [ "$(id -u)" -ne 0 ]; then
  if answers; then exit 0; fi
  echo "The workspace tests need Podman's Docker API at $socket. As root, run: bash scripts/ensure-containers.sh" >&2
  exit 1
fi

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing container test dependencies: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-qq -o DPkg::Lock::Timeout=300)
  apt-get "${apt_opts[@]}" update </dev/null
  apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

if [ ! -f "$conf" ]; then
  mkdir -p "$(dirname "$conf")"
  printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' >"$conf"
elif ! grep -q '^runtime *= *"runc"' "$conf"; then
  echo "warning: $conf exists without runtime = \"runc\"; containers may fail to start here" >&2
fi
# CNI, not netavark, on Podman 4: there netavark leaves workspace networks made together unisolated,
# and labgate refuses it (README, "Workspace networks"). A fresh Podman 4 picks netavark when installed.
if [ "$(podman version --format '{{.Client.Version}}' | cut -d. -f1)" -lt 5 ]; then
  if ! grep -q '^network_backend' "$conf" && ! grep -q '^\[network\]' "$conf"; then
    printf '\n[network]\nnetwork_backend = "cni"\n' >>"$conf"
  elif ! grep -q '^network_backend *= *"cni"' "$conf"; then
    echo "warning: $conf does not set network_backend = \"cni\"; labgate refuses Podman 4 with netavark" >&2
  fi
fi

# A service started before the backend was set still runs netavark: start it again.
if answers && curl -sf --unix-socket "$socket" http://d/v4.0.0/libpod/info | grep -q '"networkBackend": *"netavark"' &&
  grep -q '^network_backend *= *"cni"' "$conf"; then
  pkill -f "podman system service.*$socket" || true
  for _ in $(seq 1 25); do answers || break; sleep 0.2; done
fi

if ! answers; then
  mkdir -p "$(dirname "$socket")"
  # From /: conmon leaves an `oom` marker in its working folder when a container runs out of memory.
  (cd / && setsid podman system service --time=0 "unix://$socket" </dev/null >/tmp/podman-service.log 2>&1 &)
  for _ in $(seq 1 50); do
    answers && break
    sleep 0.2
  done
  if ! answers; then
    echo "podman system service did not answer on $socket; see /tmp/podman-service.log" >&2
    exit 1
  fi
fi

getent group "$group" >/dev/null || groupadd --system "$group"
chgrp "$group" "$socket"
chmod 660 "$socket"
