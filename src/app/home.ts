import type { FastifyInstance } from 'fastify';
import type { Provisioner } from '../forge/index.ts';
import type { ForgeLinks } from '../web/forge-links.ts';
import { registerAccountRoutes } from '../web/routes/account-routes.ts';
import { registerHandoffRoutes } from '../web/routes/handoff-routes.ts';
import { registerHomeRoutes, type HomeRouteDeps } from '../web/routes/home-routes.ts';
import type { SessionCookieOptions } from '../web/session-cookie.ts';
import type { Services } from './services.ts';
import type { buildTeaching } from './teaching.ts';

/**
 * A person's own pages: the landing right after a launch, their home (open or reset their JupyterLab,
 * their fork, receipts, feedback), signing out of everything, and the forge opened as them.
 */
export function registerHome(
  server: FastifyInstance,
  o: {
    services: Services;
    cookie: SessionCookieOptions;
    publicBaseUrl: URL;
    simulatorEnabled: boolean;
    provisioner: Provisioner | undefined;
    teaching: ReturnType<typeof buildTeaching> | undefined;
    /** Whether workspaces run (their store is then consulted). */
    withWorkspaces: boolean;
    forge: ForgeLinks | undefined;
    /** `npm start`'s JupyterLab image as it is prepared (shown on the home pages). */
    workspaceSetup?: HomeRouteDeps['workspaceSetup'];
  },
) {
  const { sessions, users, courses } = o.services;
  const workspaces = o.withWorkspaces ? { workspaces: o.services.workspaces } : {};
  registerHandoffRoutes(server, { sessions, cookie: o.cookie, ...workspaces });
  registerHomeRoutes(server, {
    sessions,
    users,
    courses,
    simulatorEnabled: o.simulatorEnabled,
    provisioner: o.provisioner,
    ...(o.teaching ? { receipts: o.teaching.receipts } : {}),
    ...workspaces,
    feedback: o.services.reviews,
    ...(o.forge ? { forge: o.forge } : {}),
    ...(o.workspaceSetup ? { workspaceSetup: o.workspaceSetup } : {}),
  });
  registerAccountRoutes(server, {
    sessions,
    passes: o.services.workspacePasses,
    ...workspaces,
    cookie: o.cookie,
    publicBaseUrl: o.publicBaseUrl,
    forge: o.forge,
  });
}
