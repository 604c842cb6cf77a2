import type { TestProject } from 'vitest/node';
import { ensureTestPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** Starts the private PostgreSQL cluster once for the `postgres` project; SQLite needs nothing. */
export default async function setup(project: TestProject) {
  if (project.name === 'postgres') project.provide('pgAdminUrl', await ensureTestPostgres());
}
