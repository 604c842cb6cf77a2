import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { ensureLabImage, type BuildEvent, type LabImageBuild } from './lab-image-build.ts';
import { labRecipe } from './lab-image-recipe.ts';

const top = mkdtempSync(path.join(tmpdir(), 'labgate-lab-build-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** A checkout with every file the context copies, node_modules installed after the lockfile or not. */
function checkout(o: { installed: boolean }) {
  const root = mkdtempSync(path.join(top, 'checkout-'));
  for (const [from] of labRecipe.lab.context) {
    const file = path.extname(from) || from.endsWith('Containerfile') ? from : `${from}/a.js`;
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'x');
  }
  for (const dir of Object.values(labRecipe.lab.projects)) {
    writeFileSync(path.join(root, dir, 'package.json'), '{}');
    writeFileSync(path.join(root, dir, 'package-lock.json'), '{}');
    mkdirSync(path.join(root, dir, 'node_modules'));
    writeFileSync(path.join(root, dir, 'node_modules/.package-lock.json'), '{}');
    const old = new Date(Date.now() - 60_000);
    if (!o.installed) utimesSync(path.join(root, dir, 'node_modules/.package-lock.json'), old, old);
  }
  return root;
}

function rig(o: { have: string[]; installed: boolean; failOn?: string }) {
  const have = new Set(o.have);
  const events: BuildEvent[] = [];
  const ran: string[] = [];
  const built: Array<{ name: string; buildArgs: Record<string, string>; labels: Record<string, string> }> =
    [];
  const build: LabImageBuild = {
    names: { base: 'localhost/b:test-1', lab: 'localhost/l:test-2', sources: '2' },
    root: checkout({ installed: o.installed }),
    log: new PassThrough().resume(),
    onEvent: (e) => events.push(e),
    lockFile: path.join(top, 'lock'),
    workDir: top,
    run: async (cmd, args, cwd) => {
      ran.push(`${cmd} ${args[0]}${cwd ? ` in ${path.basename(cwd)}` : ''}`);
      if (cmd === 'mmdebstrap') writeFileSync(args.at(-1)!, 'a root file system');
      if (o.failOn && `${cmd} ${args[0]}`.startsWith(o.failOn)) throw new Error('registry unreachable');
    },
    images: {
      exists: async (name) => have.has(name),
      build: async (b) => {
        for await (const _ of b.context as AsyncIterable<Buffer>); // the context streams to its end
        built.push({ name: b.name, buildArgs: b.buildArgs, labels: b.labels });
        have.add(b.name);
      },
    },
  };
  return { build, events, ran, built };
}

const steps = (events: BuildEvent[]) =>
  events.flatMap((e) =>
    e.type === 'step' ? [`${e.index}/${e.of} ${e.step}${e.cached ? ' (cached)' : ''}`] : [],
  );

describe('preparing the JupyterLab image', () => {
  it('does nothing when the image is there', async () => {
    const r = rig({ have: ['localhost/l:test-2'], installed: true });
    expect(await ensureLabImage(r.build)).toEqual({ image: 'localhost/l:test-2', built: false });
    expect(r.events).toEqual([]);
  });

  it('builds on the cached base, skipping npm ci where node_modules is newer than the lockfile', async () => {
    const r = rig({ have: ['localhost/b:test-1'], installed: true });
    expect(await ensureLabImage(r.build)).toEqual({ image: 'localhost/l:test-2', built: true });
    expect(steps(r.events)).toEqual([
      '1/7 system (cached)',
      '2/7 base-image (cached)',
      '3/7 extension-packages (cached)',
      '4/7 extension-build',
      '5/7 frontend-packages (cached)',
      '6/7 frontend-build',
      '7/7 image',
    ]);
    expect(r.ran).toEqual(['npm run in jupyter-extension', 'npm run in test-lab']);
    expect(r.built).toEqual([
      {
        name: 'localhost/l:test-2',
        buildArgs: { BASE_IMAGE: 'localhost/b:test-1' },
        labels: { 'org.labgate.base-image': 'localhost/b:test-1', 'org.labgate.sources': '2' },
      },
    ]);
  });

  it('from nothing: the Debian system, its import, npm ci and builds, then the image', async () => {
    const r = rig({ have: [], installed: false });
    await ensureLabImage(r.build);
    expect(steps(r.events).every((s) => !s.includes('cached'))).toBe(true);
    expect(r.built.map((b) => b.name)).toEqual(['localhost/b:test-1', 'localhost/l:test-2']);
    expect(r.ran).toEqual([
      'mmdebstrap --quiet',
      'npm ci in jupyter-extension',
      'npm run in jupyter-extension',
      'npm ci in test-lab',
      'npm run in test-lab',
    ]);
  });

  it('a failed step is a typed error naming the step and the fix', async () => {
    const r = rig({ have: ['localhost/b:test-1'], installed: false, failOn: 'npm ci' });
    const err = await ensureLabImage(r.build).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('WORKSPACE_IMAGE_BUILD_FAILED');
    expect((err as Error).message).toBe(
      'labgate could not prepare the JupyterLab image (labgate’s JupyterLab extension: npm packages): registry unreachable',
    );
    expect((err as { hint: string }).hint).toMatch(/npm ping/);
  });
});
