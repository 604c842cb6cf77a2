import { defineConfig } from 'vitest/config';

// Every test runs on SQLite; every test that touches the database or the browser runs again on PostgreSQL.
// Most files wait on browsers, forges and databases more than on the CPU: two at a time. The files that
// drive the container engines (*.containers.*, *.swarm.*) run after them, one at a time: their
// workspaces are named after fixed learners, and two files at once would share a container.
const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000, // a safety net: the 10,000-launch fuzz on PostgreSQL takes ~12 s on a loaded 2-core CI machine
  hookTimeout: 120_000,
  // expect.poll waits 1 s by default: too short for a page that waits on a background task on a loaded
  // 2-core CI machine (the teacher console's upkeep once took longer). Polls that need more say so.
  expect: { poll: { timeout: 15_000, interval: 100 } },
  pool: 'forks' as const,
};
const engines = ['**/*.containers.test.ts', '**/*.swarm.test.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: engines,
          env: { LABGATE_TEST_DB: 'sqlite' },
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: ['src/**/*.db.test.ts', 'test/**/*.db.test.ts', 'test/**/*.e2e.test.ts'],
          exclude: engines,
          env: { LABGATE_TEST_DB: 'postgres' },
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'engines',
          include: engines.map((e) => `test/${e}`),
          env: { LABGATE_TEST_DB: 'sqlite' },
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
