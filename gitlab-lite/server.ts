import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { ensureRoot } from './auth.ts';
import { GitlabError, routeNotFound } from './gitlab-errors.ts';
import { openStore } from './store.ts';
import { registerAccessTokenRoutes } from './access-tokens.ts';
import { registerApplicationSettingRoutes, writeSetting } from './application-settings.ts';
import { registerBranchRoutes } from './branches.ts';
import { createForkWorker, registerForkRoutes, type ForkKnobs } from './forks.ts';
import { registerGitHttp } from './git-http.ts';
import { registerTrafficKnobs, type TrafficKnobs } from './traffic-knobs.ts';
import { registerGroupRoutes } from './groups.ts';
import { registerInternalRoutes } from './internal.ts';
import { readKnobsFile } from './knobs-file.ts';
import { registerMemberRoutes } from './members.ts';
import { registerInheritedMemberRoutes } from './members-all.ts';
import { registerProjectArchiveRoutes } from './project-archive.ts';
import { registerProjectHookRoutes } from './project-hooks.ts';
import { registerProjectListRoute } from './project-list.ts';
import { findProjectIn, registerProjectRoutes } from './projects.ts';
import { registerProtectedBranchRoutes } from './protected-branches.ts';
import { registerProjectEventRoutes } from './push-events.ts';
import { createRefUpdates } from './ref-updates.ts';
import { registerRepositoryArchiveRoutes } from './repository-archive.ts';
import { registerRepositoryCommitCreateRoute } from './repository-commit-create.ts';
import { registerRepositoryCommitRoutes } from './repository-commits.ts';
import { registerRepositoryCompareRoutes } from './repository-compare.ts';
import { registerRepositoryFileRoutes } from './repository-files.ts';
import { registerRepositoryTagRoutes } from './repository-tags.ts';
import { registerRepositoryTreeRoutes } from './repository-tree.ts';
import { registerServerInfoRoutes, type OmniauthProvider } from './server-info.ts';
import { registerUserRoutes } from './users.ts';
import { registerUserDeletionRoute } from './user-deletion.ts';
import { registerOidcLogin, type OidcLoginSettings } from './oidc-login.ts';
import { registerWebPages } from './web-pages.ts';
import { registerGroupPages } from './group-pages.ts';
import type { DocumentRenderer } from './pages/document-renderer.ts';
import { createProjectPages } from './pages/project-route.ts';
import { registerProjectsPage } from './pages/projects-page.ts';
import { createHookDispatcher, defaultHookKnobs, type HookKnobs } from './webhook-delivery.ts';

export type Knobs = ForkKnobs & TrafficKnobs & HookKnobs;

export interface GitlabLiteOptions {
  host?: string;
  port: number;
  dataDir: string;
  /** Becomes the personal access token of `root`, the instance administrator. */
  rootToken: string;
  /** Test knobs; they can also be changed on the running instance through `lite.knobs`. */
  knobs?: Partial<Knobs>;
  /** OmniAuth providers shown on the sign-in page (GitLab's `omniauth_providers`); none by default. */
  omniauthProviders?: OmniauthProvider[];
  /** Sign-in through an OpenID Connect provider (labgate), as GitLab's `openid_connect` omniauth provider. */
  oidc?: OidcLoginSettings;
  /**
   * Sets `allow_local_requests_from_web_hooks_and_services` at start (labgate beside it on 127.0.0.1);
   * not given, the stored setting stays (false by default, as in GitLab).
   */
  allowLocalHookUrls?: boolean;
  /**
   * How the web pages show notebooks and their diffs (labgate hands in its renderer, as GitLab has its
   * own); without one, they show as text.
   */
  renderer?: DocumentRenderer;
}

/**
 * gitlab-lite: the subset of GitLab's REST API that labgate uses, with GitLab's status codes, error
 * bodies and pagination headers. It imports nothing from labgate, so it stays a faithful stand-in.
 */
export async function startGitlabLite(o: GitlabLiteOptions) {
  if (o.rootToken.length < 8) throw new Error('the root token must be at least 8 characters long');
  const store = openStore(o.dataDir);
  ensureRoot(store, o.rootToken);
  if (o.allowLocalHookUrls !== undefined)
    writeSetting(store, 'allow_local_requests_from_web_hooks_and_services', o.allowLocalHookUrls);
  const host = o.host ?? '127.0.0.1';
  const server = Fastify({ logger: false });
  server.setErrorHandler((err, _request, reply) => {
    if (err instanceof GitlabError) return reply.status(err.status).send(err.body);
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode === 400) return reply.status(400).send({ error: e.message });
    console.error('gitlab-lite: unexpected error', err); // a 500 here is a gitlab-lite bug: say so loudly
    return reply.status(500).send({ message: '500 Internal Server Error' });
  });
  server.setNotFoundHandler((_request, reply) => {
    const e = routeNotFound();
    return reply.status(e.status).send(e.body);
  });
  // Entities and Link headers need the final URL, known only once listening (port 0 picks one).
  let url = '';
  const baseUrl = () => url;
  registerServerInfoRoutes(server, store);
  let oidc = o.oidc;
  const providers = () => [
    ...(o.omniauthProviders ?? []).filter((p) => !oidc || p.name !== 'openid_connect'),
    ...(oidc ? [{ name: 'openid_connect', label: oidc.label ?? 'OpenID Connect' }] : []),
  ];
  registerOidcLogin(server, store, { baseUrl, settings: () => oidc });
  registerWebPages(server, store, { autoSignIn: () => Boolean(oidc?.autoSignIn), providers });
  registerProjectsPage(server, store, { renderer: o.renderer });
  const projectPage = createProjectPages(store, { dataDir: o.dataDir, renderer: o.renderer });
  registerGroupPages(server, store);
  registerUserRoutes(server, store, baseUrl);
  registerGroupRoutes(server, store, baseUrl);
  registerProjectRoutes(server, store, { baseUrl, dataDir: o.dataDir });
  registerProjectArchiveRoutes(server, store, { baseUrl, dataDir: o.dataDir });
  registerUserDeletionRoute(server, store, { dataDir: o.dataDir });
  registerProjectListRoute(server, store, { baseUrl, dataDir: o.dataDir });
  registerApplicationSettingRoutes(server, store);
  const knobs: Knobs = {
    forkLatencyMs: 0,
    forkLatencyJitterMs: 0,
    badGatewayRate: 0,
    failFork: () => false,
    throttleNext: 0,
    retryAfterSeconds: 1,
    badGatewayNext: 0,
    responseDelayMs: 0,
    ...defaultHookKnobs,
    ...readKnobsFile(o.dataDir),
    ...o.knobs,
  };
  registerTrafficKnobs(server, knobs);
  const forkWorker = createForkWorker(store, { dataDir: o.dataDir, knobs });
  registerForkRoutes(server, store, { baseUrl, dataDir: o.dataDir, worker: forkWorker });
  registerAccessTokenRoutes(server, store);
  registerMemberRoutes(server, store, baseUrl);
  registerInheritedMemberRoutes(server, store, baseUrl);
  registerBranchRoutes(server, store, { baseUrl, dataDir: o.dataDir });
  registerProtectedBranchRoutes(server, store);
  const hooks = createHookDispatcher({ knobs, instanceUrl: baseUrl });
  const refsUpdated = createRefUpdates(store, { dataDir: o.dataDir, baseUrl, hooks });
  registerProjectHookRoutes(server, store, baseUrl);
  registerProjectEventRoutes(server, store, baseUrl);
  const repo = { baseUrl, dataDir: o.dataDir };
  registerRepositoryFileRoutes(server, store, repo);
  registerRepositoryTreeRoutes(server, store, repo);
  registerRepositoryCommitRoutes(server, store, repo);
  registerRepositoryCompareRoutes(server, store, repo);
  registerRepositoryArchiveRoutes(server, store, repo);
  registerRepositoryTagRoutes(server, store, { ...repo, refsUpdated });
  registerRepositoryCommitCreateRoute(server, store, { ...repo, refsUpdated });
  const hook = { internalUrl: baseUrl, secret: randomBytes(24).toString('hex') };
  registerInternalRoutes(server, store, { secret: hook.secret, refsUpdated });
  registerGitHttp(server, store, {
    dataDir: o.dataDir,
    findProject: (p) => findProjectIn(store, p),
    hook,
    webPage: projectPage,
  });
  try {
    await server.listen({ host, port: o.port });
  } catch (err) {
    // A port taken (EADDRINUSE): leave nothing open, so that the caller may try another one.
    hooks.stop();
    await server.close();
    store.close();
    throw err;
  }
  url = `http://${host}:${(server.server.address() as { port: number }).port}`;
  forkWorker.resume();
  return {
    url,
    knobs,
    /** Hook deliveries: `settled()` resolves once none is queued or in flight; `attempts()` lists the last ones. */
    webhooks: { settled: hooks.settled, attempts: hooks.attempts },
    /** Sets (or changes) the OIDC sign-in, e.g. once the provider registered this instance's callback URL. */
    setOidc: (settings: OidcLoginSettings | undefined) => {
      oidc = settings;
    },
    close: async () => {
      hooks.stop();
      await forkWorker.stop();
      await server.close();
      store.close();
    },
  };
}
