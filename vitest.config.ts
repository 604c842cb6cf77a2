import { defineConfig } from 'vitest/config';

// Every test runs on SQLite; every test that touches the database or the browser runs again on PostgreSQL.
const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { LABGATE_TEST_DB: 'sqlite' },
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: ['src/**/*.db.test.ts', 'test/**/*.db.test.ts', 'test/**/*.e2e.test.ts'],
          env: { LABGATE_TEST_DB: 'postgres' },
        },
      },
    ],
  },
});
