import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// STYLE.md rules 1 and 3, checked on the source: one door per feature, one direction, one SDK per adapter.
const src = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

interface Edge {
  from: string;
  to: string;
}

const files = sourceFiles(src);
const specifiers = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!).filter(Boolean);

const relative = (file: string) => path.relative(src, file).split(path.sep).join('/');
const edges: Edge[] = files.flatMap((file) =>
  specifiers(readFileSync(file, 'utf8'))
    .filter((s) => s.startsWith('.'))
    .map((s) => ({ from: relative(file), to: relative(path.resolve(path.dirname(file), s)) })),
);
const packageImports = files.flatMap((file) =>
  specifiers(readFileSync(file, 'utf8'))
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
    .map((s) => ({ from: relative(file), to: s })),
);

const folder = (p: string) => (p.includes('/') ? p.split('/')[0]! : p.replace(/\.ts$/, ''));
const layer: Record<string, number> = {
  config: 0,
  'config-values': 0,
  'config-settings': 0,
  logger: 0,
  errors: 0,
  events: 0,
  db: 1,
  lti: 2,
  identity: 2,
  courses: 2,
  forge: 2,
  workspaces: 2,
  gitops: 2,
  grading: 2,
  privileges: 2,
  simulator: 3,
  flows: 4,
  web: 5,
  app: 6,
  cli: 7,
  main: 8,
};
const features = new Set([
  'db',
  'lti',
  'identity',
  'courses',
  'forge',
  'workspaces',
  'gitops',
  'grading',
  'privileges',
  'simulator',
  'flows',
]);

describe('source architecture', () => {
  it('knows the layer of every top-level folder and file', () => {
    expect(files.map((f) => folder(relative(f))).filter((f) => layer[f] === undefined)).toEqual([]);
  });

  it('imports another feature only through its index.ts', () => {
    const offending = edges.filter(
      (e) =>
        folder(e.from) !== folder(e.to) && features.has(folder(e.to)) && !/^[^/]+\/index\.ts$/.test(e.to),
    );
    expect(offending).toEqual([]);
  });

  it('imports only downwards: web → flows → features → db → leaves; nothing imports web or cli but the root', () => {
    const upwards = edges.filter((e) => layer[folder(e.to)]! > layer[folder(e.from)]!);
    expect(upwards).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const between = new Set(
      edges.filter((e) => folder(e.from) !== folder(e.to)).map((e) => `${folder(e.from)}>${folder(e.to)}`),
    );
    const cycles = [...between].filter((pair) => between.has(pair.split('>').reverse().join('>')));
    expect(cycles).toEqual([]);
  });

  it('keeps each SDK inside its one adapter', () => {
    const allowed: Record<string, RegExp> = {
      'better-sqlite3': /^db\/database\.ts$/,
      pg: /^db\/database\.ts$/,
      fastify: /^(web\/|app\.ts$|app\/)/, // app/ holds the composition root's parts, cut by job
      '@fastify/cookie': /^web\/server\.ts$/,
      pino: /^logger\.ts$/,
      // The GitLab adapter is the forge/gitlab-*.ts files, cut by resource.
      '@gitbeaker/core': /^forge\/gitlab-[a-z-]+\.ts$/,
      '@gitbeaker/requester-utils': /^forge\/gitlab-(forge|requester)\.ts$/,
      '@gitbeaker/rest': /^forge\/gitlab-forge\.ts$/,
      // The Docker adapter is the workspaces/docker-*.ts files, cut by resource (containers, exec, networks,
      // volumes), and the Swarm adapter the workspaces/swarm-*.ts files (services, tasks).
      dockerode: /^workspaces\/(docker|swarm)-[a-z-]+\.ts$/,
      'oidc-provider': /^identity\/oidc\/oidc-(provider|records)\.ts$/,
      'openid-client': /^identity\/upstream\/upstream-login\.ts$/,
      'prom-client': /^app\/metrics\.ts$/,
    };
    const misplaced = packageImports.filter((i) => allowed[i.to] && !allowed[i.to]!.test(i.from));
    expect(misplaced).toEqual([]);
  });

  it('keeps gitlab-lite a stand-in for GitLab: it imports nothing from src/', () => {
    const lite = path.resolve(src, '../gitlab-lite');
    const offending = sourceFiles(lite).filter((f) =>
      specifiers(readFileSync(f, 'utf8')).some((s) =>
        path.resolve(path.dirname(f), s).startsWith(src + path.sep),
      ),
    );
    expect(offending).toEqual([]);
  });

  it('reads process.env only in config.ts', () => {
    const readers = files.filter((f) => /process\.env/.test(readFileSync(f, 'utf8'))).map(relative);
    expect(readers).toEqual(['config.ts']);
  });
});
