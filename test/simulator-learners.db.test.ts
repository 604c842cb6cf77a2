import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const fieldsOf = (body: string) =>
  Object.fromEntries(
    [...body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );

describe('the LMS simulator launches several learners of one course', () => {
  it('offers a learner id, and launches each id as a distinct LMS user of the same course', async () => {
    const page = await t.app.server.inject({ method: 'GET', url: '/simulator' });
    expect(page.body).toMatch(/<input[^>]*name="userId"/);
    const launch = async (userId: string) =>
      fieldsOf(
        (await t.app.server.inject({ method: 'GET', url: `/simulator/launch?role=learner&userId=${userId}` }))
          .body,
      );
    const [a, b, plain] = await Promise.all([launch('learner-2'), launch('learner-3'), launch('')]);
    expect([a['user_id'], b['user_id']]).toEqual(['learner-2', 'learner-3']);
    expect(plain['user_id']).not.toMatch(/^learner-[23]$/);
    expect(new Set([a['context_id'], b['context_id'], plain['context_id']]).size).toBe(1);
  });
});
