import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withWorkspaceImage } from './config.ts';

describe('configuration', () => {
  it('gives demo mode embedded defaults', () => {
    const c = loadConfig('demo', {});
    expect(c.http.publicBaseUrl.href).toBe('http://localhost:8080/');
    expect(c.db.url).toMatch(/^sqlite:.*labgate\.db$/);
    expect(c.simulator.enabled).toBe(true);
    expect(c.lti.timestampWindowSeconds).toBe(300);
  });

  it('requires PUBLIC_BASE_URL for serve, naming the setting', () => {
    expect(() => loadConfig('serve', {})).toThrow(/^Setting PUBLIC_BASE_URL: required/);
  });

  it.each([
    ['PORT', 'eighty', /^Setting PORT: expected a whole number from 1 to 65535, got "eighty"\.$/],
    ['PORT', '70000', /^Setting PORT: expected a whole number/],
    ['PUBLIC_BASE_URL', 'labgate.example.org', /^Setting PUBLIC_BASE_URL: expected an absolute URL/],
    ['PUBLIC_BASE_URL', 'ftp://x.org', /^Setting PUBLIC_BASE_URL: expected an http/],
    ['PUBLIC_BASE_URL', 'https://x.org/?a=1', /without query/],
    ['DATABASE_URL', 'mysql://x', /^Setting DATABASE_URL: expected sqlite:<file path> or postgres:/],
    [
      'LTI_TIMESTAMP_WINDOW_SECONDS',
      '5',
      /^Setting LTI_TIMESTAMP_WINDOW_SECONDS: expected a whole number from 30/,
    ],
    ['SIMULATOR', 'maybe', /^Setting SIMULATOR: /],
  ])('%s=%s stops startup with one clear line', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig('demo', { [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads a JSON file named by LABGATE_CONFIG; the environment wins over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labgate-config-'));
    const file = path.join(dir, 'labgate.json');
    writeFileSync(file, JSON.stringify({ PORT: 9000, PUBLIC_BASE_URL: 'https://lab.example.org/' }));
    const c = loadConfig('serve', { LABGATE_CONFIG: file, PORT: '9001' });
    expect(c.http.port).toBe(9001);
    expect(c.http.publicBaseUrl.href).toBe('https://lab.example.org/');
  });

  it('names an unreadable, invalid or unknown-key config file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labgate-config-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadConfig('demo', { LABGATE_CONFIG: bad })).toThrow(
      /^Setting LABGATE_CONFIG: cannot read .*not valid JSON/,
    );
    expect(() => loadConfig('demo', { LABGATE_CONFIG: path.join(dir, 'missing.json') })).toThrow(/ENOENT/);
    const unknown = path.join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ PROT: '80' }));
    expect(() => loadConfig('demo', { LABGATE_CONFIG: unknown })).toThrow(/unknown setting "PROT"/);
  });

  it('never echoes a secret it refuses', () => {
    const refuse = () => loadConfig('demo', { FORGE_URL: 'https://gitlab.example.edu', FORGE_TOKEN: 'tiny' });
    expect(refuse).toThrow(/Setting FORGE_TOKEN: .*got \(hidden\)/);
    expect(refuse).not.toThrow(/tiny/);
  });

  it('keeps /metrics off without METRICS_TOKEN, and refuses a short one without echoing it', () => {
    expect(loadConfig('demo', {}).metrics).toEqual({ token: undefined });
    expect(loadConfig('demo', { METRICS_TOKEN: 'a'.repeat(32) }).metrics).toEqual({ token: 'a'.repeat(32) });
    const refuse = () => loadConfig('demo', { METRICS_TOKEN: 'short-one' });
    expect(refuse).toThrow(/Setting METRICS_TOKEN: expected a long random string .*got \(hidden\)/);
    expect(refuse).not.toThrow(/short-one/);
  });
});

describe('WORKSPACE_HOST_PATTERN', () => {
  const workspaces = {
    WORKSPACE_IMAGE: 'nb:1',
    FORGE_URL: 'https://gitlab.example.edu',
    FORGE_TOKEN: 'glpat-xxxxxxxx',
  };
  const serve = (env: Record<string, string>) =>
    loadConfig('serve', { PUBLIC_BASE_URL: 'https://labgate.example.org', ...workspaces, ...env });

  it('accepts {id} as the leftmost label of a host, with an optional port', () => {
    expect(serve({ WORKSPACE_HOST_PATTERN: '{id}.WS.example.org' }).workspaces!.hostPattern).toBe(
      '{id}.ws.example.org',
    );
    expect(serve({ WORKSPACE_HOST_PATTERN: '{id}.ws.localhost:8443' }).workspaces!.hostPattern).toBe(
      '{id}.ws.localhost:8443',
    );
    expect(serve({}).workspaces!.hostPattern).toBeUndefined();
  });

  it.each([
    'ws.example.org',
    'ws-{id}.example.org',
    '{id}',
    '{id}.{id}.example.org',
    'https://{id}.x.org',
    '{id}.x.org/a',
    '{id}.x.org:99999',
  ])('refuses %s in one line saying what it expects', (value) => {
    expect(() => serve({ WORKSPACE_HOST_PATTERN: value })).toThrow(
      /^Setting WORKSPACE_HOST_PATTERN: expected \{id\} as the leftmost label of a host with an optional port/,
    );
  });

  it('is required by WORKSPACE_TEACHER_ACCESS, which says why', () => {
    expect(() => serve({ WORKSPACE_TEACHER_ACCESS: 'on' })).toThrow(
      /^Setting WORKSPACE_TEACHER_ACCESS: .*a learner’s notebook would run with the teacher’s labgate session; set WORKSPACE_HOST_PATTERN/,
    );
    expect(
      serve({ WORKSPACE_TEACHER_ACCESS: 'on', WORKSPACE_HOST_PATTERN: '{id}.ws.example.org' }).workspaces,
    ).toMatchObject({ teacherAccess: true, hostPattern: '{id}.ws.example.org' });
  });

  it('defaults to {id}.ws.localhost:<port> in the demo on localhost; off keeps one origin', () => {
    expect(loadConfig('demo', { PORT: '9000', ...workspaces }).workspaces!.hostPattern).toBe(
      '{id}.ws.localhost:9000',
    );
    expect(
      loadConfig('demo', { WORKSPACE_HOST_PATTERN: 'off', ...workspaces }).workspaces!.hostPattern,
    ).toBeUndefined();
    expect(
      loadConfig('demo', { PUBLIC_BASE_URL: 'http://127.0.0.1:8080', ...workspaces }).workspaces!.hostPattern,
    ).toBeUndefined();
    expect(() =>
      loadConfig('demo', { WORKSPACE_HOST_PATTERN: 'off', WORKSPACE_TEACHER_ACCESS: 'on', ...workspaces }),
    ).toThrow(/^Setting WORKSPACE_TEACHER_ACCESS/);
  });
});

describe('the demo’s own JupyterLab image', () => {
  it('without WORKSPACE_IMAGE the demo looks for an engine at the usual sockets and keeps the workspace settings ready', () => {
    const c = loadConfig('demo', { XDG_RUNTIME_DIR: '/run/user/1000', WORKSPACE_MEMORY_MB: '512' });
    expect(c.workspaces).toBeUndefined();
    expect(c.workspaceSetup?.memoryBytes).toBe(512 * 1024 * 1024);
    expect(c.imageBuild).toEqual({
      sockets: [
        '/var/run/docker.sock',
        '/run/docker.sock',
        '/run/podman/podman.sock',
        '/run/user/1000/podman/podman.sock',
      ],
      explicit: false,
      repository: 'localhost/labgate-lab',
    });
    const on = withWorkspaceImage(c, 'localhost/labgate-lab:test-1', '/run/podman/podman.sock');
    expect(on.workspaces).toMatchObject({
      image: 'localhost/labgate-lab:test-1',
      dockerSocket: '/run/podman/podman.sock',
      memoryBytes: 512 * 1024 * 1024,
    });
    expect(on.grading).toMatchObject({
      image: 'localhost/labgate-lab:test-1',
      dockerSocket: '/run/podman/podman.sock',
    });
  });

  it('DOCKER_SOCKET is the one socket asked; WORKSPACE_IMAGE, WORKSPACE_IMAGE_BUILD=off, serve or no forge mean no setup', () => {
    expect(loadConfig('demo', { DOCKER_SOCKET: '/srv/engine.sock' }).imageBuild).toMatchObject({
      sockets: ['/srv/engine.sock'],
      explicit: true,
    });
    expect(loadConfig('demo', { WORKSPACE_IMAGE: 'lab:1' }).workspaceSetup).toBeUndefined();
    expect(loadConfig('demo', { EMBEDDED_FORGE: 'off' }).workspaceSetup).toBeUndefined();
    expect(loadConfig('demo', { WORKSPACE_IMAGE_BUILD: 'off' }).workspaceSetup).toBeUndefined();
    const serve = loadConfig('serve', { PUBLIC_BASE_URL: 'https://lab.example.org' });
    expect(serve.workspaceSetup).toBeUndefined();
    expect(withWorkspaceImage(serve, 'x', '/s')).toBe(serve);
  });
});
