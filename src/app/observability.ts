import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { WorkspaceGit, WorkspaceLauncher } from '../flows/index.ts';
import type { GitlabForgeOptions, Provisioner } from '../forge/index.ts';
import { createGradingJobStore } from '../grading/index.ts';
import { registerHealthRoutes } from '../web/routes/health-routes.ts';
import { registerMetricsRoutes } from '../web/routes/metrics-routes.ts';
import type { WorkspaceRouting } from '../web/workspace-origin-router.ts';
import { createMetrics } from './metrics.ts';
import {
  countedRouting,
  observeForge,
  timedGit,
  watchLaunches,
  watchProvisioning,
} from './metrics-watchers.ts';
import { createReadiness } from './readiness.ts';
import type { Services } from './services.ts';

/**
 * `/healthz`, `/readyz` and, when METRICS_TOKEN is set, `/metrics` with what feeds it. Without the
 * token nothing is measured: the wrappers hand back what they are given.
 */
export function buildObservability(o: { config: Config; log: { warn(o: object, msg: string): void } }) {
  const token = o.config.metrics.token;
  const metrics = token ? createMetrics({ log: o.log }) : undefined;
  const unwatch: Array<() => void> = [];
  return {
    /** createGitlabForge's options: every HTTP request to GitLab measured. */
    forgeOptions: (forge: { url: string; token: string }): GitlabForgeOptions => ({
      url: forge.url,
      token: forge.token,
      ...(metrics ? { observe: observeForge(metrics) } : {}),
    }),
    routing: (r: WorkspaceRouting) => (metrics ? countedRouting(metrics, r) : r),
    git: (g: WorkspaceGit) => (metrics ? timedGit(metrics, g) : g),
    register(
      server: FastifyInstance,
      parts: {
        services: Pick<Services, 'db' | 'now' | 'workspaces'>;
        forge: { url: string; token: string } | undefined;
        provisioner: Pick<Provisioner, 'subscribe' | 'countByStatus'> | undefined;
        launcher: Pick<WorkspaceLauncher, 'subscribeAll' | 'timelineOf'> | undefined;
        passback: { outbox: { depth(): Promise<Record<string, number>> } };
      },
    ) {
      const { db, now, workspaces } = parts.services;
      const readiness = createReadiness({
        db,
        forge: parts.forge,
        engineSocket: o.config.workspaces?.dockerSocket,
        log: server.log,
      });
      registerHealthRoutes(server, { readiness: readiness.check });
      if (!metrics || !token) return;
      registerMetricsRoutes(server, { token, contentType: metrics.contentType, render: metrics.render });
      metrics.readFrom({
        workspacesRunning: workspaces.countRunning,
        gradingJobs: createGradingJobStore(db, now).countByStatus,
        passbackOutbox: parts.passback.outbox.depth,
        ...(parts.provisioner ? { provisioningJobs: parts.provisioner.countByStatus } : {}),
      });
      if (parts.provisioner) unwatch.push(watchProvisioning(metrics, parts.provisioner));
      if (parts.launcher) unwatch.push(watchLaunches(metrics, parts.launcher));
    },
    close() {
      for (const off of unwatch.splice(0)) off();
    },
  };
}
