import type { TestProject } from 'vitest/node';
import { ensureLabImage, ensureNotebookImage } from './containers.ts';
import { ensureTestPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    notebookImage: string;
    labImage: string;
  }
}

/** Starts the private PostgreSQL cluster once for the project whose LABGATE_TEST_DB is postgres. */
export default async function setup(project: TestProject) {
  // A project's `test.env` reaches its workers, not this process: read it from the project config.
  const kind = project.config.env?.LABGATE_TEST_DB ?? process.env.LABGATE_TEST_DB;
  if (kind === 'postgres') project.provide('pgAdminUrl', await ensureTestPostgres());
  // Workspace tests run against real containers (Podman's Docker API), in the SQLite project; the
  // notebook image serves both (the teacher's console e2e checks forks in sandboxes on both databases).
  project.provide('notebookImage', ensureNotebookImage());
  if (kind !== 'postgres') project.provide('labImage', ensureLabImage());
}
