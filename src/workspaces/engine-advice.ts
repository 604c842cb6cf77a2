import { existsSync } from 'node:fs';
import type { SocketProbe } from './docker-probe.ts';
import type { NoEngineReason } from './image-setup.ts';

const ensureScript = 'sudo bash scripts/ensure-containers.sh';
const podmanSocket = '/run/podman/podman.sock';
const isPodman = (socket: string) => /podman/.test(socket);

/**
 * Why no engine serves the demo's workspaces, and the one command that fixes it here. On Debian and
 * Ubuntu scripts/ensure-containers.sh installs Podman, configures it and starts its Docker API socket.
 */
export function engineAdvice(
  probes: SocketProbe[],
  o: { rootOnly?: string; hasApt?: boolean; explicit?: boolean } = {},
): { reason: NoEngineReason; fix: string; unset?: string } {
  const advice = adviceFor(probes, { ...o, hasApt: o.hasApt ?? existsSync('/usr/bin/apt-get') });
  // DOCKER_SOCKET names another socket than the one the script starts: it must go too.
  const named = o.explicit ? probes[0]?.socket : undefined;
  return advice.fix === ensureScript && named && named !== podmanSocket
    ? { ...advice, unset: named }
    : advice;
}

function adviceFor(
  probes: SocketProbe[],
  o: { rootOnly?: string; hasApt: boolean },
): { reason: NoEngineReason; fix: string } {
  const { hasApt } = o;
  if (o.rootOnly) {
    return {
      reason: 'root-only',
      fix: isPodman(o.rootOnly)
        ? ensureScript
        : `sudo chgrp labgate ${o.rootOnly} && sudo chmod 660 ${o.rootOnly}`,
    };
  }
  const denied = probes.find((p) => p.answer === 'denied');
  if (denied) return { reason: 'denied', fix: 'sudo npm start' };
  const silent = probes.find((p) => p.answer === 'refused' || p.answer === 'silent');
  if (silent) {
    return {
      reason: 'silent',
      fix: isPodman(silent.socket) || hasApt ? ensureScript : 'sudo service docker start',
    };
  }
  return {
    reason: 'none',
    fix: hasApt
      ? ensureScript
      : 'install Podman or Docker, start its API socket (podman system service --time=0 &) and set DOCKER_SOCKET to it',
  };
}
