import type { ImageSetup, ImageSetupView } from '../workspaces/index.ts';
import { stepTitles } from '../workspaces/index.ts';
import { visible } from './terminal-text.ts';

/** `75 s`, `4 min 05 s`. */
export const duration = (seconds: number) =>
  seconds < 90
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;

const bar = (fraction: number) =>
  `${'█'.repeat(Math.round(fraction * 20)).padEnd(20, '░')} ${Math.round(fraction * 100)}%`;

/** The one line a build in progress shows: which step of how many, for how long, how far. */
export function progressLine(v: Extract<ImageSetupView, { state: 'building' }>, now = Date.now()) {
  const spent = duration(Math.round((now - v.startedAt) / 1000));
  const far = v.cached ? ': already there' : `…${v.fraction === undefined ? '' : ` ${bar(v.fraction)}`}`;
  return `Preparing JupyterLab (first start only): step ${v.index}/${v.of}, ${stepTitles[v.step]}${far} (${spent})`;
}

/** What the terminal says once the setup has ended, one or more lines. */
export function outcomeLines(v: ImageSetupView, log?: string): string[] {
  switch (v.state) {
    case 'checking':
    case 'building':
      return [];
    case 'ready':
      return v.builtSeconds === undefined
        ? [`Workspaces: JupyterLab image ${v.image} on ${v.engine}.`]
        : [
            `JupyterLab is ready (built in ${duration(v.builtSeconds)}; later starts reuse it): ${v.image} on ${v.engine}.`,
          ];
    case 'failed':
      return [
        `JupyterLab could not be prepared: ${v.message}`,
        `  To fix it: ${v.fix}`,
        ...((v.log ?? log) ? [`  The build tools' own words are in ${v.log ?? log}.`] : []),
      ];
    case 'no-engine':
      return [
        `Workspaces are off: no Docker or Podman engine answers here (${v.probes.map((p) => `${p.socket}: ${p.answer}`).join(', ')}).`,
        '  Learners get their copy of the exercise in the forge, but no JupyterLab.',
        `  To turn workspaces on: ${v.fix}${v.unset ? ` and unset DOCKER_SOCKET (it names ${v.unset})` : ''}, then start labgate again (npm start).`,
      ];
    default: {
      const never: never = v;
      return never;
    }
  }
}

/**
 * Shows the setup in the terminal: on a terminal one line redrawn each second while building; in a
 * log (CI, a file) a line per step. Then the outcome, with the command that fixes a failure.
 */
export function showSetupInTerminal(
  setup: ImageSetup,
  out: NodeJS.WriteStream = process.stdout,
  o: { log?: string } = {},
) {
  const tty = Boolean(out.isTTY);
  let drawn = false;
  let lastStep = '';
  const draw = () => {
    const v = setup.view();
    if (v.state !== 'building') return;
    if (tty) {
      out.write(`\r\x1b[K${visible(progressLine(v))}`);
      drawn = true;
    } else if (`${v.index}` !== lastStep) {
      lastStep = `${v.index}`;
      out.write(`${visible(progressLine(v))}\n`);
    }
  };
  const ticker = tty ? setInterval(draw, 1000) : undefined;
  ticker?.unref();
  const end = (v: ImageSetupView) => {
    if (drawn) out.write('\n');
    drawn = false;
    clearInterval(ticker);
    for (const line of outcomeLines(v, o.log)) out.write(`${visible(line)}\n`);
  };
  const off = setup.subscribe((v) => (v.state === 'building' ? draw() : end(v)));
  const now = setup.view();
  if (now.state !== 'checking') (now.state === 'building' ? draw : end)(now);
  return {
    stop() {
      off();
      clearInterval(ticker);
      if (drawn) out.write('\n');
    },
  };
}
