import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { holdLock, runTool, ToolFailure } from './build-tools.ts';
import type { EngineImages } from './docker-images.ts';
import { buildContext } from './image-context.ts';
import { labRecipe, type LabImageNames } from './lab-image-recipe.ts';
import { workspaceErrors } from './workspace-errors.ts';

export const buildSteps = [
  'system',
  'base-image',
  'extension-packages',
  'extension-build',
  'frontend-packages',
  'frontend-build',
  'image',
] as const;
export type BuildStep = (typeof buildSteps)[number];

/** What a person is told as the build goes: each step as it starts (or is found done), and how far it is. */
export type BuildEvent =
  | { type: 'step'; step: BuildStep; index: number; of: number; cached: boolean }
  | { type: 'progress'; fraction: number };

export const stepTitles: Record<BuildStep, string> = {
  system: 'Debian system with Jupyter Server, Python and R (mmdebstrap, about 3 min)',
  'base-image': 'making it the base image (FROM scratch)',
  'extension-packages': 'labgate’s JupyterLab extension: npm packages',
  'extension-build': 'labgate’s JupyterLab extension: build',
  'frontend-packages': 'JupyterLab 4 frontend: npm packages (about 1 min)',
  'frontend-build': 'JupyterLab 4 frontend: build',
  image: 'assembling the image',
};

export interface LabImageBuild {
  images: Pick<EngineImages, 'exists' | 'build'>;
  names: LabImageNames;
  root: string;
  /** The tools' own output (a log file): the person sees steps, not build logs. */
  log: NodeJS.WritableStream;
  onEvent(e: BuildEvent): void;
  signal?: AbortSignal;
  /** Where the root file system tar is made (about 500 MB). */
  workDir?: string;
  /** Runs a build tool (tests replace mmdebstrap and npm); by default {@link runTool}. */
  run?: (cmd: string, args: string[], cwd?: string) => Promise<void>;
  /** The lock shared with scripts/build-lab-image.sh (tests use their own). */
  lockFile?: string;
}

const fixes: Record<BuildStep, string> = {
  system:
    'mmdebstrap makes the Debian system: install it and run as root (sudo bash scripts/ensure-containers.sh, then sudo npm start), with deb.debian.org reachable.',
  'base-image':
    'Check that the container engine has room for a 700 MB image (podman system df, docker system df).',
  'extension-packages': 'Check that npm reaches its registry (npm ping), then start labgate again.',
  'extension-build': 'Run npm ci && npm run build in jupyter-extension/ to see the error.',
  'frontend-packages': 'Check that npm reaches its registry (npm ping), then start labgate again.',
  'frontend-build': 'Run npm ci && npm run build in images/test-lab/ to see the error.',
  image: 'Check that the container engine has room for a 700 MB image (podman system df, docker system df).',
};

/** npm ci is skipped when node_modules was installed after the lockfile last changed. */
async function installed(dir: string) {
  const mtime = (f: string) =>
    stat(path.join(dir, f)).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
  const [done, lock, manifest] = await Promise.all(
    ['node_modules/.package-lock.json', 'package-lock.json', 'package.json'].map(mtime),
  );
  return done !== undefined && done >= (lock ?? Infinity) && done >= (manifest ?? Infinity);
}

/**
 * The workspace image, built if it is not on the engine yet: the Debian base (mmdebstrap, imported),
 * then labgate's extension and the JupyterLab frontend (npm), then the image on top (the engine's
 * build). A step whose result exists is reported done at once; nothing comes from a registry.
 */
export async function ensureLabImage(o: LabImageBuild): Promise<{ image: string; built: boolean }> {
  const { names } = o;
  if (await o.images.exists(names.lab)) return { image: names.lab, built: false };
  let current: BuildStep = 'system';
  const step = (s: BuildStep, cached = false) => {
    current = s;
    o.onEvent({ type: 'step', step: s, index: buildSteps.indexOf(s) + 1, of: buildSteps.length, cached });
  };
  const onFraction = (fraction: number) => o.onEvent({ type: 'progress', fraction });
  const run =
    o.run ??
    ((cmd: string, args: string[], cwd?: string) =>
      runTool(cmd, args, { ...(cwd ? { cwd } : {}), log: o.log, signal: o.signal }));
  try {
    if (await o.images.exists(names.base))
      ['system', 'base-image'].forEach((s) => step(s as BuildStep, true));
    else await buildBase(o, step, run, onFraction);
    const release = await holdLock(o.lockFile ?? '/var/tmp/labgate-lab-image.lock');
    try {
      // A test suite may have built it while this waited for the lock.
      if (await o.images.exists(names.lab)) return { image: names.lab, built: false };
      for (const [part, dir] of [
        ['extension', labRecipe.lab.projects.extension],
        ['frontend', labRecipe.lab.projects.frontend],
      ] as const) {
        const cwd = path.join(o.root, dir);
        const fresh = await installed(cwd);
        step(`${part}-packages`, fresh);
        if (!fresh) await run('npm', ['ci', '--no-audit', '--no-fund'], cwd);
        step(`${part}-build`);
        await run('npm', ['run', 'build'], cwd);
      }
      step('image');
      await o.images.build({
        context: buildContext(o.root, labRecipe.lab.context),
        name: names.lab,
        dockerfile: 'Containerfile',
        buildArgs: { BASE_IMAGE: names.base },
        labels: { 'org.labgate.base-image': names.base, 'org.labgate.sources': names.sources },
        onFraction,
        signal: o.signal,
      });
    } finally {
      release();
    }
    return { image: names.lab, built: true };
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const why =
      err instanceof ToolFailure
        ? err.message
        : ((err as Error).message ?? String(err)).split('\n')[0]!.slice(0, 400);
    throw workspaceErrors.imageBuildFailed({ step: stepTitles[current], why, fix: fixes[current] });
  }
}

async function buildBase(
  o: LabImageBuild,
  step: (s: BuildStep) => void,
  run: (cmd: string, args: string[]) => Promise<void>,
  onFraction: (f: number) => void,
) {
  const { base } = labRecipe;
  const work = await mkdtemp(path.join(o.workDir ?? '/var/tmp', 'labgate-image-'));
  try {
    step('system');
    const tar = path.join(work, 'rootfs.tar');
    await run('mmdebstrap', [
      '--quiet',
      '--variant=apt',
      `--include=${base.packages.join(',')}`,
      `--customize-hook=${base.hook}`,
      base.suite,
      tar,
    ]);
    step('base-image');
    // `podman import` through the API leaves a copy of the tar behind; a build from scratch does not.
    await writeFile(
      path.join(work, 'Containerfile'),
      ['FROM scratch', 'ADD rootfs.tar /', ...base.changes, ''].join('\n'),
    );
    await o.images.build({
      context: buildContext(work, [
        ['Containerfile', 'Containerfile'],
        ['rootfs.tar', 'rootfs.tar'],
      ]),
      name: o.names.base,
      dockerfile: 'Containerfile',
      buildArgs: {},
      labels: { 'org.labgate.recipe': labRecipe.base.script },
      onFraction,
      signal: o.signal,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
