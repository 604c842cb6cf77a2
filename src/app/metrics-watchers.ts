import { isAppError } from '../errors.ts';
import type { WorkspaceGit, WorkspaceLauncher } from '../flows/index.ts';
import type { ForgeCallSample, Provisioner } from '../forge/index.ts';
import type { WorkspaceRouting } from '../web/workspace-origin-router.ts';
import type { AppMetrics } from './metrics.ts';

/**
 * The metrics taken from the outside of what they measure: the launcher's and the provisioner's
 * announcements, and wrappers around the forge's requests, the git buttons and the workspace proxy.
 */

/** Launches by outcome and their time to ready, from every workspace change this process announces. */
export function watchLaunches(
  m: AppMetrics,
  launcher: Pick<WorkspaceLauncher, 'subscribeAll' | 'timelineOf'>,
): () => void {
  const underWay = new Set<string>();
  return launcher.subscribeAll((ws) => {
    if (ws.status === 'starting') {
      if (!underWay.has(ws.id)) m.launchesUnderWay.inc();
      underWay.add(ws.id);
      return;
    }
    const launched = underWay.delete(ws.id);
    if (launched) m.launchesUnderWay.dec();
    if (ws.status === 'running' && launched) {
      m.launches.inc({ outcome: 'ready' });
      const readyMs = launcher.timelineOf(ws.id)?.readyMs;
      if (readyMs !== undefined) m.readySeconds.observe(readyMs / 1000);
    }
    // Refused before starting (an image not allowed, no room) counts as a failed launch too.
    if (ws.status === 'failed') m.launches.inc({ outcome: 'failed' });
  });
}

/** Provisioning jobs this process's workers finish, by outcome. */
export function watchProvisioning(m: AppMetrics, provisioner: Pick<Provisioner, 'subscribe'>): () => void {
  return provisioner.subscribe('change', (job) => {
    if (job.status === 'done' || job.status === 'failed') m.provisioningFinished.inc({ outcome: job.status });
  });
}

/** Each HTTP request to GitLab: counted by status, timed by resource. */
export const observeForge =
  (m: AppMetrics) =>
  (s: ForgeCallSample): void => {
    m.forgeRequests.inc({ method: s.method, status: String(s.status) });
    m.forgeSeconds.observe({ method: s.method, resource: s.resource }, s.seconds);
  };

/** The learners' git buttons, counted by operation and outcome and timed. */
export function timedGit(m: AppMetrics, git: WorkspaceGit): WorkspaceGit {
  return {
    ...git,
    async run(...args: Parameters<WorkspaceGit['run']>) {
      const operation = args[1];
      const end = m.gitSeconds.startTimer({ operation });
      try {
        const out = await git.run(...args);
        m.gitOperations.inc({ operation, outcome: 'ok' });
        return out;
      } catch (err) {
        const outcome = isAppError(err) && err.status < 500 ? 'refused' : 'failed';
        m.gitOperations.inc({ operation, outcome });
        throw err;
      } finally {
        end();
      }
    },
  };
}

/** Workspace traffic: requests by status class, WebSockets opened or refused and those still open. */
export function countedRouting(m: AppMetrics, routing: WorkspaceRouting): WorkspaceRouting {
  return {
    claims: (req) => routing.claims(req),
    request(req, res) {
      res.once('close', () =>
        m.proxyRequests.inc({ code: res.headersSent ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted' }),
      );
      return routing.request(req, res);
    },
    async upgrade(req, socket, head) {
      await routing.upgrade(req, socket, head);
      // A refusal writes its answer and ends the socket before the upgrade returns.
      if (socket.destroyed || socket.writableEnded) return void m.websockets.inc({ outcome: 'refused' });
      m.websockets.inc({ outcome: 'opened' });
      m.websocketsOpen.inc();
      socket.once('close', () => m.websocketsOpen.dec());
    },
  };
}
