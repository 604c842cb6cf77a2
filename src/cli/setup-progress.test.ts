import { describe, expect, it } from 'vitest';
import { duration, outcomeLines, progressLine } from './setup-progress.ts';

const building = {
  state: 'building' as const,
  step: 'frontend-packages' as const,
  index: 5,
  of: 7,
  cached: false,
  fraction: undefined as number | undefined,
  startedAt: 0,
  stepStartedAt: 0,
};

describe('the image setup in the terminal', () => {
  it('one line per moment of the build: the step of seven, how long, how far', () => {
    expect(progressLine(building, 83_000)).toBe(
      'Preparing JupyterLab (first start only): step 5/7, JupyterLab 4 frontend: npm packages (about 1 min)… (83 s)',
    );
    expect(progressLine({ ...building, step: 'image', index: 7, fraction: 0.5 }, 250_000)).toBe(
      'Preparing JupyterLab (first start only): step 7/7, assembling the image… ██████████░░░░░░░░░░ 50% (4 min 10 s)',
    );
    expect(progressLine({ ...building, step: 'system', index: 1, cached: true }, 0)).toMatch(
      /step 1\/7, Debian system .*: already there \(0 s\)$/,
    );
  });

  it('the outcome: ready (built or found), failed with its fix and log, or off with the command that turns it on', () => {
    expect(
      outcomeLines({
        state: 'ready',
        image: 'localhost/l:test-1',
        engine: 'Podman at /s',
        builtSeconds: 242,
      }),
    ).toEqual([
      'JupyterLab is ready (built in 4 min 02 s; later starts reuse it): localhost/l:test-1 on Podman at /s.',
    ]);
    expect(outcomeLines({ state: 'ready', image: 'i', engine: 'e', builtSeconds: undefined })).toEqual([
      'Workspaces: JupyterLab image i on e.',
    ]);
    expect(
      outcomeLines({ state: 'failed', message: 'm.', fix: 'f.', log: '/d/workspace-image.log' }),
    ).toEqual([
      'JupyterLab could not be prepared: m.',
      '  To fix it: f.',
      "  The build tools' own words are in /d/workspace-image.log.",
    ]);
    const off = outcomeLines({
      state: 'no-engine',
      reason: 'none',
      probes: [{ socket: '/x.sock', answer: 'missing' }],
      fix: 'sudo bash scripts/ensure-containers.sh',
      unset: '/x.sock',
    });
    expect(off[0]).toBe('Workspaces are off: no Docker or Podman engine answers here (/x.sock: missing).');
    expect(off[2]).toBe(
      '  To turn workspaces on: sudo bash scripts/ensure-containers.sh and unset DOCKER_SOCKET (it names /x.sock), then start labgate again (npm start).',
    );
    expect(duration(59)).toBe('59 s');
  });
});
