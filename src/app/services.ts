import type { AppOverrides } from '../app.ts';
import type { Config } from '../config.ts';
import { createAssignmentStore, createCourseStore } from '../courses/index.ts';
import { createDatabase, migrateToLatest } from '../db/index.ts';
import { createReviewStore } from '../grading/index.ts';
import {
  createOidcClientStore,
  createPseudonyms,
  createSessionStore,
  createUserStore,
  createWorkspacePassStore,
} from '../identity/index.ts';
import {
  createConsumerStore,
  createDeepLinkStore,
  createLoginStateStore,
  createNonceStore,
  createPlatformStore,
  createToolKeys,
} from '../lti/index.ts';
import { createWorkspaceStore } from '../workspaces/index.ts';

/** Database and stores: what the CLI commands need without an HTTP server. */
export async function openServices(config: Config, o: AppOverrides = {}) {
  const now = o.now ?? Date.now;
  const db = o.db ?? createDatabase(config.db.url);
  await migrateToLatest(db);
  return {
    db,
    now,
    consumers: createConsumerStore(db, now),
    nonces: createNonceStore(db, now),
    users: createUserStore(db, now),
    sessions: createSessionStore(db, now),
    courses: createCourseStore(db, now),
    assignments: createAssignmentStore(db, now),
    workspaces: createWorkspaceStore(db, now),
    workspacePasses: createWorkspacePassStore(db, now),
    platforms: createPlatformStore(db, now),
    logins: createLoginStateStore(db, now),
    toolKeys: createToolKeys(db, now),
    deepLinks: createDeepLinkStore(db, now),
    oidcClients: createOidcClientStore(db, now),
    reviews: createReviewStore(db, now),
    pseudonyms: createPseudonyms(db, now),
    close: async () => {
      if (!o.db) await db.destroy();
    },
  };
}

export type Services = Awaited<ReturnType<typeof openServices>>;
