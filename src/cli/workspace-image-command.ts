import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { AppError, isAppError } from '../errors.ts';
import {
  connectEngine,
  createImageSetup,
  createEngineImages,
  engineAdvice,
  ensureLabImage,
  findEngine,
  labImageNames,
  stepTitles,
  type BuildEvent,
} from '../workspaces/index.ts';
import { say } from './terminal-text.ts';
import { showSetupInTerminal } from './setup-progress.ts';

/** What `workspace-image --json` says on stdout, one JSON object a line, for `labgate demo` to show. */
export const builderMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step'),
    step: z.enum(Object.keys(stepTitles) as [keyof typeof stepTitles]),
    index: z.number(),
    of: z.number(),
    cached: z.boolean(),
  }),
  z.object({ type: z.literal('progress'), fraction: z.number().min(0).max(1) }),
  z.object({ type: z.literal('done'), image: z.string(), built: z.boolean() }),
  z.object({ type: z.literal('failed'), message: z.string(), hint: z.string() }),
]);
export type BuilderMessage = z.infer<typeof builderMessage>;

interface Options {
  json?: boolean;
  log: string;
  baseRepository?: string;
}

/** The engine's name for people: `Podman at /run/podman/podman.sock`. */
export const engineLabel = (kind: string | undefined, socket: string) =>
  `${kind === 'podman' ? 'Podman' : 'Docker'} at ${socket}`;

async function build(o: Options, onEvent: (e: BuildEvent) => void) {
  const config = loadConfig('cli');
  const { found, probes } = await findEngine(config.imageBuild.sockets);
  if (!found) {
    const advice = engineAdvice(probes, { explicit: config.imageBuild.explicit });
    throw new AppError({
      code: 'WORKSPACE_ENGINE_NOT_FOUND',
      status: 503,
      message: `No Docker or Podman engine answers (looked at ${probes.map((p) => `${p.socket}: ${p.answer}`).join(', ')}).`,
      hint: `To fix it: ${advice.fix}${advice.unset ? ` and unset DOCKER_SOCKET (${advice.unset})` : ''}.`,
    });
  }
  const names = await labImageNames({
    repository: config.imageBuild.repository,
    ...(o.baseRepository ? { baseRepository: o.baseRepository } : {}),
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  // labgate demo closes our stdin when it stops: the build stops with it (it cannot signal root).
  if (o.json) process.stdin.on('end', stop).resume();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const log = createWriteStream(o.log, { flags: 'a', mode: 0o600 });
  try {
    const result = await ensureLabImage({
      images: createEngineImages(connectEngine(found.socket)),
      names,
      root: path.resolve(import.meta.dirname, '../..'),
      log,
      onEvent,
      signal: controller.signal,
    });
    return { ...result, engine: engineLabel(found.kind, found.socket) };
  } finally {
    log.end();
    if (o.json) process.stdin.destroy();
  }
}

export function addWorkspaceImageCommand(program: Command) {
  program
    .command('workspace-image')
    .description(
      'build (or find, when cached) the JupyterLab image `npm start` gives workspaces; prints its name',
    )
    .option('--json', 'progress as JSON lines on stdout (what labgate demo reads)')
    .option('--log <file>', 'where the build tools write', path.join(tmpdir(), 'labgate-workspace-image.log'))
    .option('--base-repository <name>', 'the Debian base image’s name (default localhost/labgate-notebook)')
    .action(async (o: Options) => {
      if (o.json) {
        const line = (m: BuilderMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);
        try {
          const { image, built } = await build(o, line);
          line({ type: 'done', image, built });
        } catch (err) {
          const e = isAppError(err) ? err : new AppError({ code: 'X', status: 500, message: String(err) });
          line({ type: 'failed', message: e.message, hint: e.hint ?? `See ${o.log}.` });
          process.exitCode = 1;
        }
        return;
      }
      // A person at a terminal: one progress line on stderr, the image's name alone on stdout.
      const setup = createImageSetup();
      const shown = showSetupInTerminal(setup, process.stderr, { log: o.log });
      try {
        const { image, engine } = await build(o, (e) =>
          e.type === 'step' ? setup.step(e) : setup.progress(e.fraction),
        );
        setup.ready(image, engine);
      } finally {
        shown.stop();
      }
      const v = setup.view();
      if (v.state === 'ready') say(v.image);
    });
}
