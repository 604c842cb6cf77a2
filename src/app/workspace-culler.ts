import type { RunOnce } from '../db/index.ts';
import type { WorkspaceLauncher } from '../flows/index.ts';

/**
 * Stops workspaces nobody used for `idleSeconds`; their files stay. One pass at a time: stopping a
 * container takes seconds, and overlapping passes would stop one a learner just relaunched. One pass
 * across replicas too (`once`).
 */
export function startWorkspaceCuller(o: {
  launcher: Pick<WorkspaceLauncher, 'cullIdle'>;
  idleSeconds: number;
  now: () => number;
  log: { warn(o: object, msg: string): void };
  once: RunOnce;
}) {
  let pass: Promise<unknown> | undefined;
  const round = () => o.once('workspace-culler', () => o.launcher.cullIdle(o.now() - o.idleSeconds * 1000));
  const timer = setInterval(
    () => {
      pass ??= round()
        .catch((err: unknown) => o.log.warn({ err }, 'stopping idle workspaces failed'))
        .finally(() => (pass = undefined));
    },
    Math.min(60_000, (o.idleSeconds * 1000) / 4),
  );
  timer.unref();
  return {
    /** One pass, as the timer runs it (tests run it by hand). */
    round,
    /** Stops culling; resolves once a pass under way has ended. */
    stop: async () => {
      clearInterval(timer);
      await pass;
    },
  };
}
