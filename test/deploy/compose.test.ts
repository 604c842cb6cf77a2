import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.ts';
import { oidcIssuer } from '../../src/identity/index.ts';

// Docker cannot run here: the compose file is checked for what would break a deployment on first start.
const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  network_mode?: string;
  profiles?: string[];
  user?: string;
  group_add?: string[];
  privileged?: boolean;
  cap_add?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const example = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const filled = {
  ...example,
  GITLAB_OIDC_CLIENT_ID: 'gitlab-1234',
  GITLAB_OIDC_CLIENT_SECRET: 's3cret',
  FORGE_TOKEN: 'glpat-0123456789abcdefghij',
  DOCKER_GID: '998',
};

/** Compose's own interpolation: ${VAR}, ${VAR:-default}, ${VAR:?message}. */
function interpolate(text: string, env: Record<string, string>) {
  return text.replace(
    /\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => {
      const value = env[name];
      if (value) return value;
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
}

describe('docker-compose.yml for production', () => {
  it('has the five parts, each image pinned to a release, and declares every named volume', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'gitlab',
      'labgate',
      'notebook',
      'postgres',
      'proxy',
    ]);
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toBeDefined();
      expect(s.image, name).not.toMatch(/:latest$|^[^:]+$/);
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (!/^[./$]/.test(source))
          expect(compose.volumes, `${name} uses volume ${source}`).toHaveProperty(source);
      }
    }
    for (const dockerfile of ['images/labgate/Dockerfile', 'images/notebook/Dockerfile'])
      expect(Object.values(compose.services).some((s) => s.build?.dockerfile === dockerfile)).toBe(true);
  });

  it('asks for every variable it needs in .env.example, and nothing is left undefined', () => {
    const used = [...read('docker-compose.yml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!);
    expect([...new Set(used)].filter((v) => !(v in example))).toEqual([]);
    expect(() => interpolate(read('docker-compose.yml'), filled)).not.toThrow();
    expect(() => interpolate(read('docker-compose.yml'), { ...filled, LABGATE_HOST: '' })).toThrow(
      /LABGATE_HOST/,
    );
  });

  it('starts labgate with settings its own config accepts, on a loopback port Caddy reaches', () => {
    const env = parse(interpolate(read('docker-compose.yml'), filled)).services.labgate.environment as Record<
      string,
      string
    >;
    const config = loadConfig('serve', env);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.db.url).toMatch(/^postgres:\/\/labgate:/);
    expect(config.workspaces).toMatchObject({ dockerSocket: '/var/run/docker.sock' });
    expect(read('deploy/Caddyfile')).toContain('reverse_proxy 127.0.0.1:8080');
    expect(read('deploy/Caddyfile')).toContain('reverse_proxy 127.0.0.1:8929');
    const labgate = compose.services.labgate!;
    expect(labgate.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    // Workspaces are bind-mounted by the host's Docker: the folder must have the same path inside and out.
    expect(labgate.volumes).toContain(
      '${WORKSPACES_ROOT:-/srv/labgate/workspaces}:${WORKSPACES_ROOT:-/srv/labgate/workspaces}',
    );
  });

  it('reports labgate healthy only while its /readyz answers 200, on the port it listens on', async () => {
    const env = parse(interpolate(read('docker-compose.yml'), filled)).services.labgate.environment as Record<
      string,
      string
    >;
    const { host, port } = loadConfig('serve', env).http;
    const [cmd, node, flag, script] = compose.services.labgate!.healthcheck!.test;
    expect([cmd, node, flag]).toEqual(['CMD', 'node', '-e']);
    expect(script).toContain(`'http://${host}:${port}/readyz'`);
    // The script as the image's node runs it, against a stand-in that is ready, then not, then gone.
    const exitCode = (url: string) =>
      new Promise<number>((resolve) =>
        execFile(process.execPath, ['-e', script!.replace(`http://${host}:${port}`, url)], (err) =>
          resolve(err ? Number(err.code) : 0),
        ),
      );
    let status = 200;
    const standIn = createServer((req, res) => res.writeHead(req.url === '/readyz' ? status : 404).end());
    await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    expect(await exitCode(url)).toBe(0);
    status = 503;
    expect(await exitCode(url)).toBe(1);
    await new Promise((r) => standIn.close(r));
    expect(await exitCode(url)).toBe(1);
  });

  it('runs labgate as its image’s unprivileged user, with the Docker socket through its group only', () => {
    const labgate = compose.services.labgate!;
    const dockerfile = read('images/labgate/Dockerfile');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
    // The image's last USER is the one it runs as; compose says the same, so neither is root.
    expect(users.at(-1)).toBe('990:990');
    expect(labgate.user).toBe(users.at(-1));
    expect(dockerfile).toMatch(
      /useradd --system --uid 990 --gid labgate .*--shell \/usr\/sbin\/nologin labgate/s,
    );
    expect(dockerfile).toContain('install -d -o labgate -g labgate -m 0700 /var/lib/labgate');
    expect(labgate.privileged ?? false).toBe(false);
    expect(labgate.cap_add).toBeUndefined();
    const interpolated = parse(interpolate(read('docker-compose.yml'), filled)).services.labgate as Service;
    expect(interpolated.group_add).toEqual(['998']);
    expect(() => interpolate(read('docker-compose.yml'), { ...filled, DOCKER_GID: '' })).toThrow(
      /DOCKER_GID.*getent group docker/,
    );
  });

  it('sets GitLab to sign people in through labgate with the issuer labgate serves', () => {
    const text = interpolate(read('docker-compose.yml'), filled);
    const omnibus = (parse(text).services.gitlab.environment as Record<string, string>)[
      'GITLAB_OMNIBUS_CONFIG'
    ]!;
    const config = loadConfig('serve', parse(text).services.labgate.environment as Record<string, string>);
    expect(omnibus).toContain(`issuer: '${oidcIssuer(config.http.publicBaseUrl)}'`);
    expect(omnibus).toContain(
      `redirect_uri: 'https://${example['GITLAB_HOST']}/users/auth/openid_connect/callback'`,
    );
    expect(omnibus).toContain("gitlab_rails['omniauth_auto_sign_in_with_provider'] = 'openid_connect'");
    expect(omnibus).toContain("gitlab_rails['omniauth_allow_single_sign_on'] = false");
    expect(omnibus).toMatch(/uid_field: 'sub'[\s\S]*pkce: true/);
    expect(omnibus).toContain("identifier: 'gitlab-1234'");
    expect(omnibus).toContain("client_auth_method: 'basic'");
    // GitLab's own ports stay on loopback; only Caddy faces the network (and git over SSH).
    expect(compose.services.gitlab!.ports).toContain('127.0.0.1:8929:80');
    expect(compose.services.postgres!.ports).toEqual(['127.0.0.1:5432:5432']);
  });

  it('keeps GitLab’s session short, and sends its sign-out on to labgate’s', () => {
    const text = interpolate(read('docker-compose.yml'), filled);
    const script = (parse(text).services.gitlab.environment as Record<string, string>)[
      'GITLAB_POST_RECONFIGURE_SCRIPT'
    ]!;
    expect(script).toMatch(/^gitlab-rails runner "ApplicationSetting\.current\.update!\(.*\)"$/s);
    expect(script).toContain('session_expire_delay: 60');
    expect(script).toContain(`after_sign_out_path: 'https://${example['LABGATE_HOST']}/sign-out'`);
  });
});
