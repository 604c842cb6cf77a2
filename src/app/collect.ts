import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import type { Config } from '../config.ts';
import { createRosterStore, createSubmissionStore } from '../courses/index.ts';
import { createCollector, type CollectDeps } from '../flows/index.ts';
import { createGitlabForge, type Forge } from '../forge/index.ts';
import { createLogger } from '../logger.ts';
import { registerCollectRoutes } from '../web/routes/collect-routes.ts';
import { forgeSettings } from './class-grading.ts';

type CollectServices = Pick<Services, 'db' | 'courses' | 'assignments'>;

const collectorOf = (config: Config, services: CollectServices, forge: Forge, log: CollectDeps['log']) =>
  createCollector({
    forge,
    courses: services.courses,
    assignments: services.assignments,
    submissions: createSubmissionStore(services.db),
    roster: createRosterStore(services.db, forge.url),
    maxLearnerBytes: config.grading.collectMaxBytes,
    log,
  });

/** The roster's "Download submissions (.tar.gz)", collecting through the forge when there is one. */
export function registerCollecting(
  server: FastifyInstance,
  o: { config: Config; services: CollectServices & Pick<Services, 'sessions'>; forge: Forge | undefined },
) {
  registerCollectRoutes(server, {
    sessions: o.services.sessions,
    courses: o.services.courses,
    collector: o.forge && collectorOf(o.config, o.services, o.forge, server.log),
  });
}

/**
 * `labgate collect`'s collector, on the configured database and forge (FORGE_URL, or the running
 * demo's embedded one). The database is opened under umask 077, as every command does; what the
 * command writes afterwards follows the person's own umask.
 */
export async function openCollector(config: Config) {
  const previous = process.umask(0o077);
  let services: Services;
  try {
    const { openServices } = await import('../app.ts');
    services = await openServices(config);
  } finally {
    process.umask(previous);
  }
  try {
    const settings = await forgeSettings(config);
    const forge = createGitlabForge({ url: settings.url, token: settings.token });
    return { collector: collectorOf(config, services, forge, createLogger('silent')), close: services.close };
  } catch (err) {
    await services.close();
    throw err;
  }
}
