import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { inheritedEnv, withWorkspaceImage, type Config } from '../config.ts';
import { socketKeptWithoutRoot } from '../privileges/index.ts';
import {
  connectEngine,
  createEngineImages,
  createImageSetup,
  engineAdvice,
  findEngine,
  labImageNames,
  stepTitles,
  workspaceErrors,
  type ImageSetup,
} from '../workspaces/index.ts';
import { showSetupInTerminal } from './setup-progress.ts';
import { builderMessage, engineLabel } from './workspace-image-command.ts';

export interface PreparedWorkspaces {
  /** The configuration to run with: workspaces on when an engine answers (the image may still be coming). */
  config: Config;
  /** The demo's image setup, when it prepares one (no WORKSPACE_IMAGE). */
  setup: ImageSetup | undefined;
  /** The socket labgate keeps once it drops root. */
  engineSocket: string | undefined;
  stop(): void;
}

/**
 * Runs `labgate workspace-image --json` as a child, started now while labgate may still be root
 * (mmdebstrap needs it), and follows its progress lines into `setup`.
 */
function startBuilder(o: { setup: ImageSetup; socket: string; image: string; engine: string; log: string }) {
  const script = process.argv[1]!;
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, script, 'workspace-image', '--json', '--log', o.log],
    { stdio: ['pipe', 'pipe', 'inherit'], env: inheritedEnv({ DOCKER_SOCKET: o.socket }) },
  );
  let step = 'system';
  let ended = false;
  const fail = (why: string, fix: string) => {
    if (ended) return;
    ended = true;
    o.setup.failed(workspaceErrors.imageBuildFailed({ step, why, fix }), o.log);
  };
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let parsed;
    try {
      parsed = builderMessage.safeParse(JSON.parse(text));
    } catch {
      return; // not one of ours (a tool that wrote to stdout): the log has the rest
    }
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.type === 'step') {
      step = stepTitles[m.step];
      o.setup.step(m);
    } else if (m.type === 'progress') o.setup.progress(m.fraction);
    else if (m.type === 'failed') {
      ended = true;
      o.setup.failed(workspaceErrors.imageBuildFailed({ step, why: m.message, fix: m.hint }), o.log);
    } else if (m.image !== o.image) {
      fail(`the sources changed while it was built (${m.image}, not ${o.image})`, 'Start labgate again.');
    } else {
      ended = true;
      o.setup.ready(m.image, o.engine);
    }
  });
  child.on('close', (code, signal) =>
    fail(
      `the builder stopped (${signal ?? `exit code ${code}`})`,
      `Start labgate again; ${o.log} says more.`,
    ),
  );
  child.on('error', (err) => fail(err.message, 'Start labgate again.'));
  // Closing its stdin stops it: once labgate is no longer root it may not signal a root child.
  return () => child.stdin?.end();
}

/**
 * `npm start` without WORKSPACE_IMAGE: finds a Docker or Podman socket that answers, then the
 * JupyterLab image, cached or built in the background (launches wait for it). Call before dropping root.
 */
export async function prepareWorkspaces(config: Config): Promise<PreparedWorkspaces> {
  if (!config.workspaceSetup)
    return { config, setup: undefined, engineSocket: config.workspaces?.dockerSocket, stop: () => undefined };
  const setup = createImageSetup();
  const shown = showSetupInTerminal(setup);
  const { found, probes } = await findEngine(config.imageBuild.sockets);
  // Root now, but not for long: a socket only root may use would be lost at the switch.
  const dropsRoot = process.getuid?.() === 0 && config.runAs.user !== 'root';
  const rootOnly = found && dropsRoot && !socketKeptWithoutRoot(found.socket) ? found.socket : undefined;
  if (!found || rootOnly) {
    const explicit = config.imageBuild.explicit;
    setup.noEngine({ ...engineAdvice(probes, { explicit, ...(rootOnly ? { rootOnly } : {}) }), probes });
    return { config, setup, engineSocket: undefined, stop: shown.stop };
  }
  const engine = engineLabel(found.kind, found.socket);
  let names, cached;
  try {
    names = await labImageNames({ repository: config.imageBuild.repository });
    cached = await createEngineImages(connectEngine(found.socket)).exists(names.lab);
  } catch (err) {
    // A copy of labgate without images/test-lab, or an engine gone since it answered: the demo goes on without.
    const why = (err as Error).message;
    const fix = 'Run labgate from a full checkout, or set WORKSPACE_IMAGE to an image you built.';
    setup.failed(workspaceErrors.imageBuildFailed({ step: 'reading its sources', why, fix }));
    return { config, setup, engineSocket: undefined, stop: shown.stop };
  }
  let stopBuilder = () => undefined as unknown;
  if (cached) setup.ready(names.lab, engine);
  else {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const log = path.join(config.dataDir, 'workspace-image.log');
    stopBuilder = startBuilder({ setup, socket: found.socket, image: names.lab, engine, log });
  }
  return {
    config: withWorkspaceImage(config, names.lab, found.socket),
    setup,
    engineSocket: found.socket,
    stop: () => {
      stopBuilder();
      shown.stop();
    },
  };
}
