import type { Command } from 'commander';
import { complain, say } from './terminal-text.ts';
import { loadConfig, type RunMode } from '../config.ts';
import { holdSqliteServerLock, sqliteFiles, sqliteServerLockFiles } from '../db/index.ts';
import { createLogger } from '../logger.ts';
import { startUnprivileged } from '../privileges/index.ts';
import { demoForgeSecretFiles } from '../simulator/index.ts';
import { sessionCookieOptions } from '../web/session-cookie.ts';
import { withServices } from './with-services.ts';
import { prepareWorkspaces } from './workspace-setup.ts';

async function run(mode: Exclude<RunMode, 'cli'>) {
  const loaded = loadConfig(mode);
  // First: a second server on one SQLite file stops here, before it builds or starts anything.
  const serverLock = holdSqliteServerLock(loaded.db.url);
  // Before dropping root: finding the engine, and starting the image's build, which needs root.
  const prepared = await prepareWorkspaces(loaded);
  const { config } = prepared;
  // Loaded while still root: the checkout may sit where the unprivileged user cannot read.
  const { buildApp } = await import('../app.ts');
  startUnprivileged({
    user: config.runAs.user,
    dataDir: config.dataDir,
    secretFiles: [
      ...sqliteFiles(config.db.url),
      ...sqliteServerLockFiles(config.db.url),
      ...demoForgeSecretFiles(config.dataDir),
    ],
    engineSocket: prepared.engineSocket,
    workspacesRoot: config.workspaces?.root,
    log: createLogger(config.log.level).child({ part: 'start' }),
  });
  const app = await buildApp(config, prepared.setup ? { workspaceSetup: prepared.setup } : {});
  try {
    await app.server.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${config.http.port} on ${config.http.host} is already in use; stop the other program or set PORT to a free port`,
      );
    }
    throw err;
  }
  const base = config.http.publicBaseUrl.href.replace(/\/$/, '');
  if (mode === 'demo') {
    say('', `labgate demo is running. Open ${base}/simulator to launch as a learner or a teacher.`);
    say(`Data: ${config.dataDir} · LTI 1.1 launch URL: ${base}/lti/launch · Ctrl-C stops it.`, '');
  } else {
    say(`labgate is serving ${base} (listening on ${config.http.host}:${config.http.port})`);
    if (!sessionCookieOptions(config.http.publicBaseUrl, 0).secure) {
      complain(
        'labgate: warning: PUBLIC_BASE_URL is not https, so browsers drop its session cookie on launches from an LMS; serve it over https.',
      );
    }
  }
  const stop = async () => {
    prepared.stop();
    await app.close();
    serverLock?.release();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function addServerCommands(program: Command) {
  program
    .command('serve')
    .description('run labgate for real users (needs PUBLIC_BASE_URL)')
    .action(() => run('serve'));
  program
    .command('demo')
    .description('run labgate with embedded defaults, a demo course and the LMS simulator')
    .action(() => run('demo'));
  program
    .command('migrate')
    .description('bring the database schema to the newest version and exit')
    .action(async () => {
      await withServices(async () => undefined);
      say('database is up to date');
    });
}
