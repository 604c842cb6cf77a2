import { describe, expect, it } from 'vitest';
import type { SocketProbe } from './docker-probe.ts';
import { engineAdvice } from './engine-advice.ts';

const probe = (socket: string, answer: SocketProbe['answer']): SocketProbe => ({ socket, answer });
const usual = (answer: SocketProbe['answer'], at = '/run/podman/podman.sock') =>
  ['/var/run/docker.sock', '/run/docker.sock', '/run/podman/podman.sock'].map((s) =>
    probe(s, s === at ? answer : 'missing'),
  );

describe('what to tell someone whose demo has no container engine', () => {
  it('on Debian with nothing installed: the script that installs and starts Podman', () => {
    expect(engineAdvice(usual('missing'), { hasApt: true })).toEqual({
      reason: 'none',
      fix: 'sudo bash scripts/ensure-containers.sh',
    });
  });

  it('without apt: what to install and start', () => {
    expect(engineAdvice(usual('missing'), { hasApt: false }).fix).toMatch(/^install Podman or Docker/);
  });

  it('a socket nobody answers on: the script again for Podman, the service for Docker elsewhere', () => {
    expect(engineAdvice(usual('refused'), { hasApt: false })).toEqual({
      reason: 'silent',
      fix: 'sudo bash scripts/ensure-containers.sh',
    });
    expect(engineAdvice(usual('silent', '/var/run/docker.sock'), { hasApt: false }).fix).toBe(
      'sudo service docker start',
    );
  });

  it('no right to the socket: start as root, and labgate keeps it through its group', () => {
    expect(engineAdvice(usual('denied'), { hasApt: true })).toEqual({
      reason: 'denied',
      fix: 'sudo npm start',
    });
  });

  it('a socket only root may use, while labgate drops root: give it the labgate group', () => {
    expect(engineAdvice(usual('answers'), { rootOnly: '/run/podman/podman.sock' }).fix).toBe(
      'sudo bash scripts/ensure-containers.sh',
    );
    expect(engineAdvice([], { rootOnly: '/var/run/docker.sock' })).toEqual({
      reason: 'root-only',
      fix: 'sudo chgrp labgate /var/run/docker.sock && sudo chmod 660 /var/run/docker.sock',
    });
  });

  it('DOCKER_SOCKET naming another socket than the script starts is to be unset too', () => {
    const named = [probe('/srv/engine.sock', 'missing')];
    expect(engineAdvice(named, { explicit: true, hasApt: true })).toEqual({
      reason: 'none',
      fix: 'sudo bash scripts/ensure-containers.sh',
      unset: '/srv/engine.sock',
    });
    const podman = [probe('/run/podman/podman.sock', 'refused')];
    expect(engineAdvice(podman, { explicit: true, hasApt: true }).unset).toBeUndefined();
  });
});
