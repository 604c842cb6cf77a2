import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  agsScopes,
  createAgsClient,
  createPlatformStore,
  createToolKeys,
  type AgsDelivery,
} from '../../src/lti/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { platformClientId, startAgsPlatform, type AgsPlatform } from './ags-platform.ts';

let database: TestDatabase;
let lms: AgsPlatform;
let kid = '';
let clock = Date.now();
const issuer = 'https://moodle.test';

beforeAll(async () => {
  database = await openTestDatabase();
  const keys = createToolKeys(database.db);
  await keys.ensureToolKey();
  kid = (await keys.signingKey()).kid;
  lms = await startAgsPlatform({ jwks: () => keys.publicJwks(), expiresIn: 120 });
  const platforms = createPlatformStore(database.db);
  for (const [name, iss, tokenUrl] of [
    ['Moodle', issuer, lms.tokenUrl],
    ['No tokens', 'https://old.test', undefined],
  ] as const)
    await platforms.registerPlatform({
      name,
      issuer: iss,
      clientId: platformClientId,
      authLoginUrl: `${iss}/auth`,
      jwksUrl: `${iss}/jwks`,
      tokenUrl,
      deploymentIds: ['1'],
    });
});
afterAll(async () => {
  await lms?.close();
  await database?.close();
});

let client: ReturnType<typeof createAgsClient>;
beforeEach(() => {
  clock = Date.now();
  client = createAgsClient({
    platforms: createPlatformStore(database.db),
    toolKeys: createToolKeys(database.db),
    now: () => clock,
    timeoutMs: 2000,
  });
  lms.tokenRequests.length = 0;
  lms.scores.length = 0;
  lms.items.length = 0;
  lms.counts.get = lms.counts.post = 0;
});

const delivery = (over: Partial<AgsDelivery> = {}): AgsDelivery => ({
  issuer,
  clientId: platformClientId,
  scopes: [agsScopes.lineitem, agsScopes.score],
  lineitems: lms.lineitems,
  lineitem: undefined,
  resourceLinkId: 'rl-9',
  ltiUserId: 'sub-ana',
  assignment: { id: 'asg-uuid-1', slug: 'ex1', title: 'Exercice 1' },
  score: 7.5,
  maxScore: 10,
  comment: 'Bien',
  timestamp: Date.UTC(2026, 11, 3, 10, 0, 0, 250),
  ...over,
});

describe('LTI 1.3 AGS scores', () => {
  it('gets a token with a client assertion signed by labgate’s key, and posts the score to the launch’s line item', async () => {
    const launchItem = `${lms.base}/lineitems/7?type_id=2`;
    const answer = await client.sendScore(delivery({ lineitem: launchItem, scopes: [agsScopes.score] }));
    expect(answer).toEqual({ outcome: 'sent', text: `HTTP 200 from ${lms.base}/lineitems/7/scores` });
    const [request] = lms.tokenRequests;
    expect(request!.scope).toEqual([agsScopes.score]);
    expect(request!.header).toMatchObject({ alg: 'RS256', kid });
    const p = request!.payload as {
      iss: string;
      sub: string;
      aud: string;
      iat: number;
      exp: number;
      jti: string;
    };
    expect(p).toMatchObject({ iss: platformClientId, sub: platformClientId, aud: lms.tokenUrl });
    expect(p.exp - p.iat).toBe(300);
    expect(p.jti.length).toBeGreaterThan(16);
    expect(lms.scores[0]).toEqual({
      url: '/lineitems/7/scores?type_id=2',
      contentType: 'application/vnd.ims.lis.v1.score+json',
      body: {
        userId: 'sub-ana',
        scoreGiven: 7.5,
        scoreMaximum: 10,
        comment: 'Bien',
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: '2026-12-03T10:00:00.250Z',
      },
    });
    expect(lms.counts).toEqual({ get: 0, post: 0 });
  });

  it('keeps the token until shortly before it expires', async () => {
    const d = delivery({ lineitem: `${lms.base}/lineitems/7`, scopes: [agsScopes.score] });
    clock = Date.now() - 65_000; // the platform checks the assertion's iat against its own clock
    await client.sendScore(d);
    clock += 59_000;
    await client.sendScore(d);
    expect(lms.tokenRequests).toHaveLength(1);
    clock += 2_000; // 120 s tokens are renewed in their last minute
    expect((await client.sendScore(d)).outcome).toBe('sent');
    expect(lms.tokenRequests).toHaveLength(2);
  });

  it('makes one line item per assignment and link when the platform has none, shared by the class', async () => {
    const learners = ['a', 'b', 'c', 'd'].map((s) => delivery({ ltiUserId: `sub-${s}` }));
    const answers = await Promise.all(learners.map((d) => client.sendScore(d)));
    expect(answers.map((a) => a.outcome)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(lms.items).toEqual([
      {
        id: `${lms.base}/lineitems/1`,
        label: 'Exercice 1',
        scoreMaximum: 10,
        resourceLinkId: 'rl-9',
        tag: 'ex1',
        resourceId: 'asg-uuid-1',
      },
    ]);
    expect(lms.counts).toEqual({ get: 1, post: 1 });
    expect(lms.tokenRequests.map((r) => r.scope)).toEqual([[agsScopes.score, agsScopes.lineitem]]);
    expect(new Set(lms.scores.map((s) => s.url))).toEqual(new Set(['/lineitems/1/scores']));
  });

  it('finds the teacher’s line item in a paged container by tag or by link, and never makes another', async () => {
    lms.items.push(
      { id: `${lms.base}/lineitems/1`, label: 'Quiz', scoreMaximum: 5, resourceLinkId: 'rl-other' },
      { id: `${lms.base}/lineitems/2`, label: 'Other', scoreMaximum: 5, resourceLinkId: 'rl-9', tag: 'ex2' },
      { id: `${lms.base}/lineitems/3`, label: 'Again', scoreMaximum: 5, resourceLinkId: 'rl-9', tag: 'ex3' },
      { id: `${lms.base}/lineitems/4`, label: 'Ex 1', scoreMaximum: 20, resourceLinkId: 'rl-9', tag: 'ex1' },
    );
    const answer = await client.sendScore(
      delivery({ scopes: [agsScopes.lineitemReadonly, agsScopes.score] }),
    );
    expect(answer.outcome).toBe('sent');
    expect(lms.scores[0]!.url).toBe('/lineitems/4/scores');
    expect(lms.counts).toEqual({ get: 2, post: 0 });
    expect(lms.tokenRequests[0]!.scope).toEqual([agsScopes.score, agsScopes.lineitemReadonly]);
  });

  it('refuses to guess: no line item and no right to make one, no score scope, no token URL, no platform', async () => {
    const cases: Array<[Partial<AgsDelivery>, RegExp]> = [
      [{ scopes: [agsScopes.lineitemReadonly, agsScopes.score] }, /did not let labgate make one/],
      [{ scopes: [agsScopes.lineitem] }, /no score scope/],
      [{ issuer: 'https://old.test' }, /without a token URL/],
      [{ issuer: 'https://unknown.test' }, /no single LTI 1\.3 platform/],
    ];
    for (const [over, reason] of cases) {
      const answer = await client.sendScore(delivery(over));
      expect(answer.outcome, String(reason)).toBe('failed');
      expect(answer.text).toMatch(reason);
    }
    expect(lms.items).toEqual([]);
  });

  it('renews a token the service refuses (401) once, and gives up on a second refusal', async () => {
    const d = delivery({ lineitem: `${lms.base}/lineitems/7`, scopes: [agsScopes.score] });
    await client.sendScore(d);
    lms.revokeTokens();
    expect((await client.sendScore(d)).outcome).toBe('sent');
    expect(lms.tokenRequests).toHaveLength(2);
    lms.plan.scores.push('http401', 'http401');
    const refused = await client.sendScore(d);
    expect(refused.outcome).toBe('failed');
    expect(refused.text).toMatch(/^HTTP 401/);
    expect(lms.tokenRequests).toHaveLength(3);
  });

  it('retries on 5xx and token endpoint outages, and takes a refused client as a refusal', async () => {
    const d = delivery({ lineitem: `${lms.base}/lineitems/7`, scopes: [agsScopes.score] });
    lms.plan.token.push('http500');
    expect(await client.sendScore(d)).toMatchObject({
      outcome: 'retry',
      text: expect.stringMatching(/HTTP 500/),
    });
    lms.plan.scores.push('http500', 'http429');
    expect((await client.sendScore(d)).outcome).toBe('retry');
    expect(await client.sendScore(d)).toMatchObject({ outcome: 'retry', retryAfterMs: 90_000 });
    expect((await client.sendScore(d)).outcome).toBe('sent');
    const other = createAgsClient({
      platforms: {
        findPlatform: async () => ({
          ...(await createPlatformStore(database.db).findPlatform(issuer, undefined))!,
          clientId: 'not-registered',
        }),
      },
      toolKeys: createToolKeys(database.db),
    });
    const refused = await other.sendScore(d);
    expect(refused.outcome).toBe('failed');
    expect(refused.text).toMatch(/refused labgate a service token: HTTP 401 .*invalid_client/);
  });

  it('looks for the line item again when the one it found is deleted', async () => {
    const d = delivery();
    expect((await client.sendScore(d)).outcome).toBe('sent');
    lms.items.length = 0;
    const gone = await client.sendScore(d);
    expect(gone).toMatchObject({ outcome: 'retry', text: expect.stringMatching(/line item is gone/) });
    expect((await client.sendScore(d)).outcome).toBe('sent');
    expect(lms.counts.post).toBe(2);
  });
});
