import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerStore, createOutcomeSender, outcomeScore } from '../../src/lti/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startOutcomesReceiver, type OutcomesReceiver } from './lms-receivers.ts';

let database: TestDatabase;
let lms: OutcomesReceiver;
let send: ReturnType<typeof createOutcomeSender>['send'];
const consumer = { key: 'moodle-1', secret: 'a-long-consumer-secret-0123456789' };
const sourcedId = '{"data":{"instanceid":"2","userid":"4"},"hash":"e9f&<x>"}';

beforeAll(async () => {
  database = await openTestDatabase();
  await createConsumerStore(database.db).addConsumer({ name: 'Moodle', ...consumer });
  lms = await startOutcomesReceiver(consumer);
  send = createOutcomeSender({ consumers: createConsumerStore(database.db), timeoutMs: 500 }).send;
});
afterAll(async () => {
  await lms?.close();
  await database?.close();
});

/** An address where nothing listens any more. */
async function closedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const delivery = (over: Partial<Parameters<typeof send>[0]> = {}) => ({
  consumerKey: consumer.key,
  serviceUrl: lms.url,
  sourcedId,
  score: outcomeScore(7, 10),
  ...over,
});

describe('LTI 1.1 grade passback (replaceResult)', () => {
  it('delivers the normalised score, signed with the consumer’s secret over the URL’s query', async () => {
    const answer = await send(delivery());
    expect(answer).toEqual({ outcome: 'sent', text: `Score for ${sourcedId} is now 0.7` });
    const got = lms.received.at(-1)!;
    expect(got).toMatchObject({ consumerKey: consumer.key, sourcedId, score: 0.7, language: 'en' });
    expect(got.contentType).toBe('application/xml');
  });

  it('keeps scores within 0..1 as Basic Outcomes demands', () => {
    expect(outcomeScore(12, 10)).toBe(1);
    expect(outcomeScore(-3, 10)).toBe(0);
    expect(outcomeScore(1, 3)).toBeCloseTo(0.3333, 4);
    expect(outcomeScore(5, 0)).toBe(0);
  });

  it('reads failure and unsupported as the LMS refusing, with its words', async () => {
    const refused = await send(delivery({ serviceUrl: `${lms.base}/refusing` }));
    expect(refused).toEqual({
      outcome: 'failed',
      text: 'the LMS refused the grade (failure): sourcedId not found: unknown user',
    });
    const unsupported = await send(delivery({ serviceUrl: `${lms.base}/unsupported` }));
    expect(unsupported.outcome).toBe('failed');
    expect(unsupported.text).toMatch(/unsupported\): replaceResult is not supported/);
  });

  it('retries on 5xx, 429 (with Retry-After), timeouts, refused connections and pages that are no answer', async () => {
    lms.plan('http500', 'http429', 'slow', 'html200');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await send(delivery()));
    expect(answers.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect(answers[0]!.text).toMatch(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/outcomes: upstream down$/);
    expect(answers[1]).toMatchObject({ retryAfterMs: 90_000 });
    expect(answers[2]!.text).toMatch(/no answer within 0.5 s/);
    expect(answers[3]!.text).toMatch(/no outcome status: Maintenance/);
    const closed = await send(delivery({ serviceUrl: `${await closedPort()}/outcomes?token=s3cret` }));
    expect(closed).toMatchObject({ outcome: 'retry' });
    expect(closed.text).toMatch(/ECONNREFUSED/);
    for (const a of [...answers, closed]) expect(a.text).not.toContain('s3cret');
  });

  it('takes other 4xx and redirects as refusals, without following them', async () => {
    lms.plan('http404', 'redirect');
    expect(await send(delivery())).toMatchObject({
      outcome: 'failed',
      text: expect.stringMatching(/^HTTP 404/),
    });
    const moved = await send(delivery());
    expect(moved.outcome).toBe('failed');
    expect(moved.text).toMatch(/\(redirected to https:\/\/elsewhere\.test\/login\)$/);
  });

  it('fails when the LMS signs with another secret (its 401 says why) or the key is gone', async () => {
    await createConsumerStore(database.db).addConsumer({
      name: 'Other',
      key: 'other',
      secret: 'another-secret',
    });
    const wrong = await send(delivery({ consumerKey: 'other' }));
    expect(wrong.outcome).toBe('failed');
    expect(wrong.text).toMatch(/^HTTP 401 .*unknown consumer key/);
    const gone = await send(delivery({ consumerKey: 'deleted' }));
    expect(gone).toEqual({
      outcome: 'failed',
      text: 'the LMS key deleted is no longer registered in labgate (labgate consumers list)',
    });
  });
});
