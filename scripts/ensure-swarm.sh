#!/usr/bin/env bash
# Gets a single-node Docker Swarm running for the Swarm spawner's tests, beside Podman (never touched):
# installs Debian's docker.io when absent, starts containerd and dockerd by hand (no systemd here),
# initialises a one-node swarm on loopback, and copies the given images from Podman's storage into
# Docker's (no registry is reachable). Left running for the next run; quick when all is in place.
#
# Docker's API socket is /run/labgate-swarm/docker.sock, not /var/run/docker.sock: labgate and the demo
# look for an engine at the usual sockets first, and the tests that expect to find Podman must still do.
# Usage: ensure-swarm.sh [IMAGE…]   Prints nothing on success; the socket path is the contract.
set -euo pipefail

socket=/run/labgate-swarm/docker.sock
containerd_socket=/run/containerd/containerd.sock
log_dir=/var/log/labgate-swarm
group=labgate
docker() { /usr/bin/docker --host "unix://$socket" "$@"; }
containerd_answers() { ctr --address "$containerd_socket" version >/dev/null 2>&1; }
answers() { curl -sf --max-time 5 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; }
swarm_state() { docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true; }
swarm_active() { [ "$(swarm_state)" = active ]; }

if [ "$(id -u)" -ne 0 ]; then
  if answers && swarm_active; then exit 0; fi
  echo "The Swarm tests need Docker Swarm at $socket. As root, run: bash scripts/ensure-swarm.sh" >&2
  exit 1
fi

# One run at a time: two test workers setting it up at once would start two daemons.
# The daemons are started with the lock's descriptor closed (9>&-), or they would hold it for good.
mkdir -p "$(dirname "$socket")"
exec 9>"$(dirname "$socket")/ensure.lock"
flock 9

missing=()
[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v containerd >/dev/null || missing+=(containerd)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Docker for the Swarm tests: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-qq -o DPkg::Lock::Timeout=300)
  apt-get "${apt_opts[@]}" update </dev/null
  apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

wait_for() { # what, seconds, test…
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" && return 0
    sleep 0.2
  done
  echo "$what did not come up; see $log_dir" >&2
  exit 1
}

mkdir -p "$log_dir"
getent group "$group" >/dev/null || groupadd --system "$group"
if ! answers; then
  # Another Docker daemon (one a package started, say) would share /var/lib/docker with this one.
  if other=$(pidof dockerd); then
    echo "A dockerd (pid $other) runs without answering on $socket; stop it, then run this again." >&2
    exit 1
  fi
  if ! containerd_answers; then
    (cd / && exec setsid -f containerd --config /etc/containerd/config.toml \
      </dev/null >>"$log_dir/containerd.log" 2>&1 9>&-)
    wait_for containerd 30 containerd_answers
  fi
  # Services use the image a node has, never a registry (none is reachable from the test machines).
  # --no-new-privileges: Swarm services cannot ask for it on this Docker (API 1.41), the daemon gives it.
  (cd / && DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 exec setsid -f dockerd \
    --host "unix://$socket" \
    --pidfile /run/labgate-swarm/dockerd.pid \
    --group "$group" \
    --no-new-privileges \
    --exec-opt native.cgroupdriver=cgroupfs \
    --containerd "$containerd_socket" </dev/null >>"$log_dir/dockerd.log" 2>&1 9>&-)
  wait_for dockerd 60 answers
fi

if ! swarm_active; then
  # No IPVS in this kernel: services use host-mode ports or task addresses (dnsrr), never the ingress.
  docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 \
    --data-path-addr 127.0.0.1 >/dev/null
  wait_for 'the swarm' 30 swarm_active
fi

for image in "$@"; do
  if docker image inspect "$image" >/dev/null 2>&1; then continue; fi
  echo "Copying $image from Podman into Docker (once)…" >&2
  podman save --format docker-archive "$image" | docker load >/dev/null
done
