import type { Services } from '../app.ts';
import type { RunOnce } from '../db/index.ts';
import { forgetExpiredOidcRecords } from '../identity/index.ts';

/**
 * Expired nonces, sessions, login states and passes, swept once a minute (by one replica at a time);
 * no request waits for it.
 */
export function startSweeper(services: Services, log: { warn(o: object, msg: string): void }, once: RunOnce) {
  const round = () =>
    once('sweeper', () =>
      Promise.all([
        services.nonces.forgetExpiredNonces(),
        services.sessions.forgetExpiredSessions(),
        services.logins.forgetExpiredLogins(),
        services.deepLinks.forgetExpiredDeepLinks(),
        forgetExpiredOidcRecords(services.db, services.now),
        services.workspacePasses.forgetStalePasses(),
      ]),
    );
  const timer = setInterval(() => {
    round().catch((err: unknown) =>
      log.warn({ err }, 'sweeping expired nonces, sessions and login states failed'),
    );
  }, 60_000);
  timer.unref();
  return { round, stop: () => clearInterval(timer) };
}
