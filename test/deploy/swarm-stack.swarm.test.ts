import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.ts';
import { ensureSwarm, swarmSocket } from '../support/swarm.ts';

// deploy/swarm-stack.yml, read as labgate reads its settings, then handed to a real Swarm.
const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'deploy/swarm-stack.yml');
const stackName = `labgate-stack-test-${process.pid}`;
const env = {
  LABGATE_HOST: 'labgate.example.edu',
  GITLAB_HOST: 'gitlab.example.edu',
  POSTGRES_PASSWORD: 'a-long-database-password',
  FORGE_TOKEN: 'glpat-0123456789abcdefghij',
  DOCKER_GID: '998',
};

interface Service {
  user?: string;
  environment: Record<string, string>;
  volumes?: string[];
  networks?: string[];
  deploy: { replicas?: number; endpoint_mode?: string; placement?: { constraints?: string[] } };
}
const interpolate = (text: string) =>
  text.replace(/\$\{([A-Z_]+)(?::[-?]([^}]*))?\}/g, (_m, name: string, fallback?: string) =>
    name in env ? env[name as keyof typeof env] : (fallback ?? ''),
  );
const stack = parse(interpolate(readFileSync(file, 'utf8'))) as {
  services: Record<string, Service>;
  networks: Record<string, { name?: string; driver: string; attachable?: boolean }>;
};
const labgate = stack.services.labgate!;

describe('deploy/swarm-stack.yml', () => {
  it('runs labgate replicas that labgate’s own configuration accepts, with workspaces as Swarm services', () => {
    const config = loadConfig('serve', labgate.environment);
    expect(config.workspaces).toMatchObject({ engine: 'swarm', storage: 'folder' });
    expect(config.workspaces!.swarm).toEqual({
      network: stack.networks.workspaces!.name,
      address: 'overlay',
      nodeLabel: { name: 'labgate.workspaces', value: 'yes' },
    });
    expect(config.db.url).toMatch(/^postgres:\/\/labgate:.+@postgres:5432\/labgate$/);
    // The replicas are on the workspaces' network (they reach tasks there) and behind Caddy by DNS.
    expect(labgate.deploy).toMatchObject({ replicas: 2, endpoint_mode: 'dnsrr' });
    expect(labgate.networks).toContain('workspaces');
    expect(stack.networks.workspaces).toMatchObject({ driver: 'overlay', attachable: true });
    expect(readFileSync(path.join(root, 'deploy/swarm.Caddyfile'), 'utf8')).toContain(
      'dynamic a tasks.labgate 8080',
    );
    // The learners' folders at the same path inside and out; the socket of a manager; never root.
    const workspaces = config.workspaces!.root;
    expect(labgate.volumes).toContain(`${workspaces}:${workspaces}`);
    expect(labgate.deploy.placement?.constraints).toContain('node.role == manager');
    expect(labgate.user).toBe('990:998');
    expect(stack.services.postgres!.networks).toEqual(['db']);
  });

  describe('on a real single-node swarm', () => {
    const docker = new Docker({ socketPath: swarmSocket });
    const cli = (args: string[]) =>
      exec('/usr/bin/docker', ['--host', `unix://${swarmSocket}`, ...args], {
        env: { ...process.env, ...env },
        cwd: root,
      });
    beforeAll(() => ensureSwarm([]), 300_000);
    afterAll(async () => {
      await cli(['stack', 'rm', stackName]).catch(() => {});
      // Its networks go once their tasks have: wait, so that no test after this one finds them.
      for (let i = 0; i < 60; i++) {
        const left = await docker.listNetworks({
          filters: { label: [`com.docker.stack.namespace=${stackName}`] },
        });
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    });

    it('is accepted by `docker stack deploy`, which makes the three services and the attachable network', async () => {
      // The images are not on this machine (no registry either): the services are made, their tasks wait.
      await cli(['stack', 'deploy', '--resolve-image', 'never', '-c', 'deploy/swarm-stack.yml', stackName]);
      const services = await docker.listServices({
        filters: { label: [`com.docker.stack.namespace=${stackName}`] },
      });
      const byName = Object.fromEntries(
        services.map((s) => [s.Spec!.Name!.slice(stackName.length + 1), s.Spec!]),
      );
      expect(Object.keys(byName).sort()).toEqual(['labgate', 'postgres', 'proxy']);
      expect(byName.labgate!.Mode).toEqual({ Replicated: { Replicas: 2 } });
      expect(byName.labgate!.EndpointSpec?.Mode).toBe('dnsrr');
      expect(byName.proxy!.EndpointSpec?.Ports).toEqual([
        expect.objectContaining({ TargetPort: 80, PublishedPort: 80, PublishMode: 'host' }),
        expect.objectContaining({ TargetPort: 443, PublishedPort: 443, PublishMode: 'host' }),
      ]);
      const network = await docker.getNetwork('labgate-workspaces').inspect();
      expect(network).toMatchObject({ Driver: 'overlay', Attachable: true });
    });
  });
});
