import { defineConfig } from 'vitest/config';

// Every test runs on SQLite; every test that touches the database or the browser runs again on PostgreSQL.
const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000, // a safety net: the 10,000-launch fuzz on PostgreSQL takes ~12 s on a loaded 2-core CI machine
  hookTimeout: 120_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    // Two files at a time: most of the suite waits on containers, browsers and databases, not on the CPU.
    maxWorkers: 2,
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
          exclude: ['test/**/*.containers.*'],
          env: { LABGATE_TEST_DB: 'postgres' },
        },
      },
    ],
  },
});
