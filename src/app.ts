import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createRosterStore } from './courses/index.ts';
import { createJobLocks, type Db } from './db/index.ts';
import { createGitlabForge, createProvisioner } from './forge/index.ts';
import { registerSignIn } from './app/sign-in.ts';
import { registerHome } from './app/home.ts';
import { registerWorkspaceSetupRoutes } from './web/routes/workspace-setup-routes.ts';
import type { ImageSetup } from './workspaces/index.ts';
import { viaLabgate } from './web/forge-links.ts';
import { startWorkspaceCuller } from './app/workspace-culler.ts';
import { workspaceGitLock, workspaceLaunchLock } from './app/workspace-git-lock.ts';
import { buildAnswerCheck } from './app/grading.ts';
import { buildWorkspaces } from './app/workspaces.ts';
import { registerLaunchRoutes } from './web/routes/launch-routes.ts';
import { buildWorkspaceTraffic } from './app/workspace-traffic.ts';
import { workspaceOrigins } from './web/workspace-origins.ts';
import { registerWorkspaceEntryRoutes } from './web/routes/workspace-entry-routes.ts';
import { createGitApiHandler } from './web/workspace-git-api.ts';
import { createJwksCache, type JwksCache } from './lti/index.ts';
import { openServices } from './app/services.ts';
import { startDemoForge } from './simulator/index.ts';
import { registerSimulator } from './app/simulator.ts';
import { registerPublishing } from './app/publishing.ts';
import { registerCollecting } from './app/collect.ts';
import { buildTeaching } from './app/teaching.ts';
import { registerDesk } from './app/desk.ts';
import { buildPassback } from './app/passback.ts';
import { buildObservability } from './app/observability.ts';
import { startSweeper } from './app/sweeper.ts';
import { registerCourseRoutes } from './web/routes/course-routes.ts';
import { registerDeepLinkingRoutes } from './web/routes/deep-linking-routes.ts';
import { registerLti11Routes } from './web/routes/lti11-routes.ts';
import { registerLti13Routes } from './web/routes/lti13-routes.ts';
import { registerProvisioningRoutes } from './web/routes/provisioning-routes.ts';
import { createServer } from './web/server.ts';
import { sessionCookieOptions } from './web/session-cookie.ts';

export interface AppOverrides {
  /** Clock in epoch milliseconds, for tests of time windows. */
  now?: () => number;
  /** An already-migrated database owned by the caller (tests); closed by them. */
  db?: Db;
  logStream?: NodeJS.WritableStream;
  /** false: no background rounds of the teacher's console nor of grade delivery (tests drive them). */
  upkeep?: false;
  /** LTI 1.3 platform key sets (tests shorten the refetch cooldown). */
  jwks?: JwksCache;
  /** `npm start`'s JupyterLab image as it is prepared: launches wait for it, the home pages show it. */
  workspaceSetup?: ImageSetup;
}

export { openServices, type Services } from './app/services.ts';

/** The one composition root: builds every adapter and wires the features into the HTTP server. */
export async function buildApp(config: Config, o: AppOverrides = {}) {
  const services = await openServices(config, o);
  const { consumers, nonces, users, sessions, courses, assignments, platforms, logins, toolKeys, now } =
    services;
  const publicBaseUrl = config.http.publicBaseUrl;
  const cookie = sessionCookieOptions(publicBaseUrl, config.session.ttlSeconds);
  // Scheduled rounds, and each workspace's git work, run once across replicas (src/db/job-lock.ts).
  const locks = createJobLocks(services.db);

  let gitApi: ReturnType<typeof createGitApiHandler> | undefined = undefined;
  const proxyLog = { warn: (obj: object, msg: string) => server.log.warn(obj, msg) };
  const observability = buildObservability({ config, log: proxyLog });
  const hostPattern = config.workspaces?.hostPattern;
  const origins = hostPattern ? workspaceOrigins(hostPattern, publicBaseUrl) : undefined;
  const traffic =
    config.workspaces &&
    buildWorkspaceTraffic({
      settings: config.workspaces,
      services,
      publicBaseUrl,
      origins,
      log: proxyLog,
      // Built below, once the forge is known (workspaces always have one).
      gitApi: (req, res, ws, locale) => gitApi!(req, res, ws, locale),
    });
  const server: FastifyInstance = await createServer({
    logLevel: config.log.level,
    publicBaseUrl,
    sessions,
    ...(o.logStream ? { logStream: o.logStream } : {}),
    ...(origins ? { workspaceOrigins: origins } : {}),
    ...(traffic ? { workspaceRouting: observability.routing(traffic.routing) } : {}),
  });
  const demoForge = config.embeddedForge ? await startDemoForge(config.dataDir) : undefined;
  const forgeSettings =
    config.forge ?? (demoForge && { url: demoForge.url, token: demoForge.token, group: 'labgate' });
  const forgeLinks = forgeSettings && { url: forgeSettings.url, signsInThroughLabgate: !!demoForge };
  const forge = forgeSettings && createGitlabForge(observability.forgeOptions(forgeSettings));
  const provisioner =
    forgeSettings &&
    forge &&
    createProvisioner({
      db: services.db,
      forge,
      log: server.log,
      now,
      options: {
        concurrency: config.provisioning.concurrency,
        leaseMs: config.provisioning.leaseSeconds * 1000,
        rootGroupPath: forgeSettings.group,
      },
    });
  const ws = config.workspaces;
  const workspaceParts =
    ws && provisioner && forge && forgeSettings
      ? await buildWorkspaces({
          settings: ws,
          dataDir: config.dataDir,
          forge,
          forgeUrl: forgeSettings.url,
          provisioner,
          workspaces: services.workspaces,
          log: server.log,
          check: buildAnswerCheck({ config, services, forge, provisioner }),
          ...(o.workspaceSetup ? { imageReady: o.workspaceSetup.imageReady } : {}),
          openLink: viaLabgate(forgeLinks, publicBaseUrl),
          exclusive: workspaceGitLock(locks),
          launchLock: workspaceLaunchLock(locks),
          ...(o.upkeep !== false ? { adoptEveryMs: 5_000 } : {}),
          wantedImages: { list: assignments.openAssignmentImages, everyMs: o.upkeep !== false ? 60_000 : 0 },
        })
      : undefined;
  const launcher = workspaceParts?.launcher;
  if (launcher) traffic?.watch(launcher);
  const git = workspaceParts && observability.git(workspaceParts.git);
  gitApi = git && createGitApiHandler({ git, log: server.log, publicOrigin: publicBaseUrl.origin });
  const passback = buildPassback({ server, services, rounds: o.upkeep !== false, once: locks.runOnce });
  observability.register(server, { services, forge: forgeSettings, provisioner, launcher, passback });
  const launchFlow = {
    gradeTargets: passback.targets,
    users,
    courses,
    sessions,
    sessionTtlSeconds: config.session.ttlSeconds,
    ...(provisioner
      ? {
          provisioning: {
            provisioner,
            assignments,
            naming: { mode: config.forgeUsernames, pseudonyms: services.pseudonyms },
          },
        }
      : {}),
    ...(launcher ? { workspaces: launcher } : {}),
  };
  if (ws && launcher && provisioner)
    registerLaunchRoutes(server, {
      sessions,
      workspaces: services.workspaces,
      launcher,
      provisioner,
      entry: ws.entry,
    });
  if (ws && origins)
    registerWorkspaceEntryRoutes(server, {
      sessions,
      workspaces: services.workspaces,
      passes: services.workspacePasses,
      origins,
      teachersSeeWorkspaces: ws.teacherAccess,
    });
  if (provisioner) registerProvisioningRoutes(server, { sessions, provisioner });
  registerLti11Routes(server, {
    verifier: {
      publicBaseUrl,
      timestampWindowSeconds: config.lti.timestampWindowSeconds,
      consumers,
      nonces,
      now,
    },
    launchFlow,
    cookie,
    maxLaunchBytes: config.lti.maxLaunchBytes,
  });
  await toolKeys.ensureToolKey();
  const deepLinking = { launchFlow, pending: services.deepLinks, courses, assignments, toolKeys, now };
  registerLti13Routes(server, {
    lti13: { platforms, logins, jwks: o.jwks ?? createJwksCache(), publicBaseUrl, now },
    toolKeys,
    launchFlow,
    deepLinking,
    cookie,
    maxLaunchBytes: config.lti.maxLaunchBytes,
  });
  registerDeepLinkingRoutes(server, { deepLinking, sessions });
  await registerSignIn(server, {
    config,
    db: services.db,
    now,
    users,
    sessions,
    oidcClients: services.oidcClients,
    provisioner,
    cookie,
    demoForge,
  });
  const roster = createRosterStore(services.db, forge?.url);
  const teaching =
    forge && provisioner && forgeSettings
      ? buildTeaching({
          server,
          db: services.db,
          now,
          publicBaseUrl,
          forge,
          forgeToken: forgeSettings.token,
          provisioner,
          sessions,
          courses,
          assignments,
          roster,
          rounds: o.upkeep !== false,
          once: locks.runOnce,
          ...(workspaceParts && ws ? { git: { ...workspaceParts, image: ws.image } } : {}),
        })
      : undefined;
  registerCourseRoutes(server, {
    sessions,
    courses,
    assignments,
    roster,
    ...(teaching ? { tasks: teaching.upkeep.task } : {}),
    publicBaseUrl,
  });
  const desk = registerDesk(server, { config, services, forge, provisioner, roster, teaching, passback });
  registerPublishing(server, { config, services, forge, provisioner });
  registerCollecting(server, { config, services, forge });
  registerHome(server, {
    services,
    cookie,
    publicBaseUrl,
    simulatorEnabled: config.simulator.enabled,
    provisioner,
    teaching,
    withWorkspaces: !!launcher,
    forge: forgeLinks,
    ...(o.workspaceSetup ? { workspaceSetup: o.workspaceSetup } : {}),
  });
  if (o.workspaceSetup) registerWorkspaceSetupRoutes(server, o.workspaceSetup);
  if (config.simulator.enabled)
    await registerSimulator(server, { services, publicBaseUrl, withDemoAssignment: !!demoForge, now });

  const sweeper = startSweeper(services, server.log, locks.runOnce);
  provisioner?.start();
  // Workspaces nobody used for WORKSPACE_IDLE_* are stopped; their files stay.
  const culler =
    ws && launcher
      ? startWorkspaceCuller({
          launcher,
          idleSeconds: ws.idleSeconds,
          now,
          log: server.log,
          once: locks.runOnce,
        })
      : undefined;

  return {
    server,
    services,
    teaching,
    /** Grades back to the LMS: queueGrades, sendAgain, deliverDue, statusOf. */
    passback: passback.passback,
    desk,
    /** Workspace launches (when workspaces are on): where each launch's time went, for benches. */
    launches: launcher && { timelineOf: launcher.timelineOf },
    /** The warm pool of started workspaces (`WORKSPACE_WARM_POOL`), when there is one. */
    warmPool: workspaceParts?.pool,
    /** The timers' rounds as they run them, once across replicas (`ran: false`: another one runs it). */
    rounds: {
      deliverGrades: passback.round,
      sweep: sweeper.round,
      ...(teaching ? teaching.rounds : {}),
      ...(culler ? { cullIdle: culler.round } : {}),
    },
    close: async () => {
      observability.close();
      await passback.close();
      sweeper.stop();
      await culler?.stop();
      await teaching?.close();
      await workspaceParts?.close();
      traffic?.close();
      await provisioner?.stop();
      await server.close();
      await locks.close();
      await demoForge?.close();
      await services.close();
    },
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
