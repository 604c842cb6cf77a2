import type { Config } from '../config.ts';
import type { WorkspaceLauncher } from '../flows/index.ts';
import { createProxyLookups } from '../web/proxy-lookups.ts';
import { createWorkspaceRouting } from '../web/workspace-origin-router.ts';
import type { WorkspaceOrigins } from '../web/workspace-origins.ts';
import { createWorkspaceProxy, type WorkspaceProxyDeps } from '../web/workspace-proxy.ts';
import { createWorkspaceUpstream } from '../web/workspace-upstream.ts';
import type { Services } from './services.ts';

/**
 * Workspace traffic: the proxy to the learners' Jupyter servers over keep-alive connections, with the
 * session and workspace of each request kept a few seconds and forgotten as soon as this process ends
 * the session or changes the workspace; routed by origin when each workspace has its own.
 */
export function buildWorkspaceTraffic(o: {
  settings: NonNullable<Config['workspaces']>;
  services: Pick<Services, 'sessions' | 'workspaces' | 'workspacePasses' | 'now'>;
  publicBaseUrl: URL;
  origins: WorkspaceOrigins | undefined;
  log: WorkspaceProxyDeps['log'];
  gitApi: NonNullable<WorkspaceProxyDeps['gitApi']>;
}) {
  const { sessions, workspaces, workspacePasses: passes, now } = o.services;
  const lookups = createProxyLookups({ sessions, passes, workspaces, now });
  const upstream = createWorkspaceUpstream();
  const proxy = createWorkspaceProxy({
    sessions,
    workspaces,
    lookups,
    upstream,
    log: o.log,
    activityEveryMs: Math.min(30_000, (o.settings.idleSeconds * 1000) / 4),
    publicOrigin: o.publicBaseUrl.origin,
    teachersSeeWorkspaces: o.settings.teacherAccess,
    gitApi: o.gitApi,
    entered: (id) => launches?.noteEntered(id),
  });
  let launches: Pick<WorkspaceLauncher, 'noteEntered'> | undefined;
  const unwatch = [sessions.onEnded(lookups.sessionEnded)];
  return {
    routing: createWorkspaceRouting({
      proxy,
      origins: o.origins,
      publicBaseUrl: o.publicBaseUrl,
      passes,
      lookups,
      now,
    }),
    /** The launcher's changes (stop, reset, cull, relaunch) reach the proxy at once; first pages reach it. */
    watch(launcher: Pick<WorkspaceLauncher, 'subscribeAll' | 'noteEntered'>) {
      launches = launcher;
      unwatch.push(launcher.subscribeAll(proxy.workspaceChanged));
    },
    close() {
      for (const off of unwatch) off();
      upstream.close();
    },
  };
}
