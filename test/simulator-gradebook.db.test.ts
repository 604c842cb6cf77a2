import { randomUUID } from 'node:crypto';
import { decodeJwt, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import {
  oauthBodyHash,
  oauthSignature,
  readOutcomeResponse,
  replaceResultRequest,
  signDeepLinkingResponse,
} from '../src/lti/index.ts';
import { oauthAuthorizationHeader } from '../src/lti/outcomes.ts';
import { demoConsumerKey, demoCourse } from '../src/simulator/index.ts';
import { autoPostedForm, formsOf } from './support/html-forms.ts';
import { freePort } from './support/labgate-process.ts';
import { newBrowser } from './support/test-browser.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

// The token endpoint fetches labgate's JWKS over HTTP, as a real platform would: labgate listens for real.
let t: TestApp;
let base: string;
let tokenUrl: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  tokenUrl = `${base}/simulator/lti13/token`;
  t = await startTestApp({ env: { PUBLIC_BASE_URL: base } });
  await t.app.server.listen({ port, host: 'localhost' });
});
afterAll(async () => t?.close());

interface Book {
  columns: Array<Record<string, unknown> & { id: string; lti: string }>;
  entries: Array<Record<string, unknown> & { column: string; userId: string; writes: number }>;
  refusals: Array<Record<string, unknown>>;
  outage: { active: boolean; requestsLeft: number | null; until: string | null; answered: number };
}
const book = async () => (await (await fetch(`${base}/simulator/gradebook.json`)).json()) as Book;
const entryOf = async (userId: string) => (await book()).entries.filter((e) => e.userId === userId);
const demoSecret = async () => (await t.app.services.consumers.findConsumer(demoConsumerKey))!.secrets[0]!;

/** The fields of the simulator's LTI 1.1 launch form for this learner. */
async function lti11Launch(userId: string) {
  const page = await (await fetch(`${base}/simulator/launch?role=learner&locale=en&userId=${userId}`)).text();
  return autoPostedForm(page)!.fields;
}

/** A Basic Outcomes call signed by hand, for what the replaceResult builder refuses to make. */
function signedPox(serviceUrl: string, body: string, secret: string) {
  const params: Array<[string, string]> = [
    ['oauth_version', '1.0'],
    ['oauth_nonce', randomUUID()],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_consumer_key', demoConsumerKey],
    ['oauth_body_hash', oauthBodyHash(body)],
    ['oauth_signature_method', 'HMAC-SHA1'],
  ];
  const signature = oauthSignature({ method: 'POST', url: serviceUrl, params, consumerSecret: secret });
  const authorization = oauthAuthorizationHeader([...params, ['oauth_signature', signature]]);
  return { headers: { 'content-type': 'application/xml', authorization }, body };
}

const post = async (url: string, req: { headers: Record<string, string>; body: string }) => {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  return { status: res.status, text, pox: res.status === 500 ? undefined : readOutcomeResponse(text) };
};

const poxOf = (operation: 'readResult' | 'deleteResult', sourcedId: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version>
  <imsx_messageIdentifier>${randomUUID()}</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader>
  <imsx_POXBody><${operation}Request><resultRecord><sourcedGUID><sourcedId>${sourcedId}</sourcedId></sourcedGUID>
  </resultRecord></${operation}Request></imsx_POXBody></imsx_POXEnvelopeRequest>`;

describe('the simulator receives LTI 1.1 Basic Outcomes', () => {
  it('gives learners a service URL and a sourcedId; a signed replaceResult lands in the gradebook once', async () => {
    const launch = await lti11Launch('learner-o1');
    const serviceUrl = launch.get('lis_outcome_service_url')!;
    const sourcedId = launch.get('lis_result_sourcedid')!;
    expect(serviceUrl).toBe(`${base}/simulator/lti11/outcomes`);
    expect(sourcedId).toMatch(/^[\w-]+\.[\w-]{43}$/);
    const teacher = autoPostedForm(await (await fetch(`${base}/simulator/launch?role=teacher`)).text())!;
    expect(teacher.fields.has('lis_result_sourcedid')).toBe(false);

    const secret = await demoSecret();
    const sent = replaceResultRequest({
      serviceUrl,
      sourcedId,
      score: 0.9,
      consumerKey: demoConsumerKey,
      secret,
    });
    const res = await post(sent.url, sent);
    expect(res.status, res.text).toBe(200);
    expect(res.pox?.codeMajor).toBe('success');
    expect(res.pox?.operationRefIdentifier).toBe('replaceResult');
    const [entry] = await entryOf('learner-o1');
    expect(entry).toMatchObject({ lti: '1.1', score: 0.9, writes: 1, context: demoCourse.contextId });
    expect((await book()).columns).toContainEqual(
      expect.objectContaining({ id: entry!.column, lti: '1.1', resourceLinkId: demoCourse.resourceLinkId }),
    );

    const read = await post(serviceUrl, signedPox(serviceUrl, poxOf('readResult', sourcedId), secret));
    expect(read.pox?.codeMajor).toBe('success');
    expect(read.text).toContain('<textString>0.9</textString>');
    const gone = await post(serviceUrl, signedPox(serviceUrl, poxOf('deleteResult', sourcedId), secret));
    expect(gone.pox?.codeMajor).toBe('success');
    expect(await entryOf('learner-o1')).toEqual([]);
  });

  it('refuses a wrong secret, a tampered body, a score out of range and a sourcedId it never issued', async () => {
    const launch = await lti11Launch('learner-o2');
    const [serviceUrl, sourcedId] = [
      launch.get('lis_outcome_service_url')!,
      launch.get('lis_result_sourcedid')!,
    ];
    const secret = await demoSecret();
    const make = (o: { secret?: string; score?: number; sourcedId?: string }) =>
      replaceResultRequest({
        serviceUrl,
        sourcedId: o.sourcedId ?? sourcedId,
        score: o.score ?? 0.5,
        consumerKey: demoConsumerKey,
        secret: o.secret ?? secret,
      });

    const wrong = await post(serviceUrl, make({ secret: 'not-the-secret' }));
    expect([wrong.status, wrong.pox?.codeMajor, wrong.pox?.description]).toEqual([
      401,
      'failure',
      expect.stringMatching(/signature is not valid/),
    ]);
    const good = make({});
    // The score's element, not any "0.5": the random sourcedId may hold one (a flaky test once).
    const scored = (score: string) =>
      good.body.replace('<textString>0.5</textString>', `<textString>${score}</textString>`);
    expect(scored('1.0')).not.toBe(good.body);
    const tampered = await post(serviceUrl, { ...good, body: scored('1.0') });
    expect([tampered.status, tampered.pox?.codeMajor]).toEqual([401, 'failure']);
    expect(tampered.pox?.description).toMatch(/does not match its signed oauth_body_hash/);
    const tooHigh = await post(serviceUrl, signedPox(serviceUrl, scored('1.5'), secret));
    expect([tooHigh.status, tooHigh.pox?.codeMajor]).toEqual([200, 'failure']);
    const forged = await post(
      serviceUrl,
      make({ sourcedId: `${sourcedId.split('.')[0]}.${'A'.repeat(43)}` }),
    );
    expect([forged.status, forged.pox?.codeMajor]).toEqual([200, 'failure']);
    expect(forged.pox?.description).toMatch(/not issued by this LMS/);

    expect(await entryOf('learner-o2')).toEqual([]);
    const errors = (await book()).refusals.map((r) => r.error);
    for (const code of [
      'LTI_OUTCOME_BAD_SIGNATURE',
      'LTI_OUTCOME_BODY_TAMPERED',
      'LTI_OUTCOME_SCORE',
      'unknown_sourcedid',
    ])
      expect(errors).toContain(code);
  });
});

/** A client assertion as labgate signs it (its tool key from the database), with overrides. */
async function assertion(
  o: {
    iss?: string;
    aud?: string;
    iat?: number;
    exp?: number;
    jti?: string;
    key?: CryptoKey;
    kid?: string;
  } = {},
) {
  const tool = await t.app.services.toolKeys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? tool.kid })
    .setIssuer(o.iss ?? 'labgate-simulator')
    .setSubject('labgate-simulator')
    .setAudience(o.aud ?? tokenUrl)
    .setIssuedAt(o.iat ?? now)
    .setExpirationTime(o.exp ?? now + 300)
    .setJti(o.jti ?? randomUUID())
    .sign(o.key ?? tool.key);
}

const ags = (s: string) => `https://purl.imsglobal.org/spec/lti-ags/scope/${s}`;
const allScopes = [ags('lineitem'), ags('result.readonly'), ags('score')].join(' ');

async function askToken(jwt: string, scope = allScopes, grantType = 'client_credentials') {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: grantType,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
      scope,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const token = async (scope = allScopes) =>
  (await askToken(await assertion(), scope)).body.access_token as string;

describe('the simulator’s LTI 1.3 token endpoint', () => {
  it('issues a bearer token for an assertion signed with labgate’s key, AGS scopes only', async () => {
    const res = await askToken(
      await assertion(),
      `${allScopes} https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly`,
    );
    expect(res).toEqual({
      status: 200,
      body: { access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: allScopes },
    });
    const toIssuer = await askToken(await assertion({ aud: `${base}/simulator` }));
    expect(toIssuer.status).toBe(200);
  });

  it('refuses another key, an expired or far-off assertion, a replayed jti, another issuer, bad grants and scopes', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = await generateKeyPair('RS256');
    const tool = await t.app.services.toolKeys.signingKey();
    const tries: Array<[string, Promise<string>]> = [
      ['other key, unknown kid', assertion({ key: privateKey, kid: randomUUID() })],
      ['other key, labgate’s kid', assertion({ key: privateKey, kid: tool.kid })],
      ['expired', assertion({ iat: now - 900, exp: now - 300 })],
      ['expires in a day', assertion({ exp: now + 86_400 })],
      ['another issuer', assertion({ iss: 'someone-else' })],
      ['another audience', assertion({ aud: 'https://elsewhere.test/token' })],
    ];
    for (const [what, jwt] of tries) {
      const res = await askToken(await jwt);
      expect([what, res.status, res.body.error]).toEqual([what, 401, 'invalid_client']);
    }
    const once = await assertion();
    expect((await askToken(once)).status).toBe(200);
    expect(await askToken(once)).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: expect.stringMatching(/already used/) },
    });
    expect((await askToken(await assertion(), allScopes, 'password')).body.error).toBe(
      'unsupported_grant_type',
    );
    const nrps = await askToken(
      await assertion(),
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    );
    expect([nrps.status, nrps.body.error]).toEqual([400, 'invalid_scope']);
  });
});

/** A simulator LTI 1.3 launch up to its id_token (the people it launches are the ones AGS knows). */
async function lti13Claims(query: string) {
  const visit = await newBrowser(base).go(`/simulator/lti13/launch?${query}`, {
    stopAt: /^\/simulator\/lti13\/authorize$/,
  });
  return decodeJwt(visit.lastForm!.fields.get('id_token')!) as Record<string, unknown>;
}

const endpointClaim = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const media = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  score: 'application/vnd.ims.lis.v1.score+json',
};
const scoresUrl = (lineItem: string) => {
  const u = new URL(lineItem);
  u.pathname += '/scores';
  return u.href;
};

async function call(url: string, o: { bearer?: string; type?: string; body?: object; method?: string } = {}) {
  const res = await fetch(url, {
    method: o.method ?? (o.body ? 'POST' : 'GET'),
    headers: {
      ...(o.bearer ? { authorization: `Bearer ${o.bearer}` } : {}),
      ...(o.type ? { 'content-type': o.type } : {}),
    },
    ...(o.body ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

describe('the simulator’s Assignment and Grade Services', () => {
  it('puts the AGS endpoint in resource-link launches; a line item made for the link shows there and by filter', async () => {
    const first = await lti13Claims('role=learner&locale=en&userId=learner-a1');
    const lineitems = `${base}/simulator/lti13/ags/${encodeURIComponent(demoCourse.contextId)}/lineitems`;
    expect(first[endpointClaim]).toEqual({ scope: allScopes.split(' '), lineitems });

    const bearer = await token();
    const body = {
      label: 'Exercice 1',
      scoreMaximum: 10,
      resourceLinkId: demoCourse.resourceLinkId,
      tag: 'labgate',
    };
    const made = await call(lineitems, { bearer, type: media.lineItem, body });
    expect(made.status).toBe(201);
    const item = made.json as { id: string };
    expect(item).toEqual({ ...body, id: expect.stringMatching(/\/lineitem\?type_id=1$/) });
    const found = await call(
      `${lineitems}?resource_link_id=${encodeURIComponent(demoCourse.resourceLinkId)}`,
      { bearer },
    );
    expect([found.status, found.type, found.json]).toEqual([
      200,
      expect.stringMatching(/^application\/vnd\.ims\.lis\.v2\.lineitemcontainer\+json(;|$)/),
      [item],
    ]);
    expect((await call(`${lineitems}?resource_link_id=other`, { bearer })).json).toEqual([]);
    expect((await call(item.id, { bearer })).json).toEqual(item);

    const again = await lti13Claims('role=learner&locale=en&userId=learner-a1');
    expect(again[endpointClaim]).toEqual({ scope: allScopes.split(' '), lineitems, lineitem: item.id });
  });

  it('checks tokens, scopes and line item bodies', async () => {
    const lineitems = `${base}/simulator/lti13/ags/${encodeURIComponent(demoCourse.contextId)}/lineitems`;
    const good = { label: 'x', scoreMaximum: 1 };
    expect((await call(lineitems)).status).toBe(401);
    expect((await call(lineitems, { bearer: 'made-up' })).status).toBe(401);
    const scoreOnly = await token(ags('score'));
    const denied = await call(lineitems, { bearer: scoreOnly, type: media.lineItem, body: good });
    expect([denied.status, (denied.json as { error: string }).error]).toEqual([403, 'insufficient_scope']);
    const bearer = await token();
    const tries: Array<[object, string, number]> = [
      [{ scoreMaximum: 1 }, media.lineItem, 400],
      [{ label: 'x', scoreMaximum: 0 }, media.lineItem, 400],
      [{ ...good, resourceLinkId: 'never-launched' }, media.lineItem, 400],
      [good, 'application/json', 415],
    ];
    for (const [body, type, status] of tries)
      expect((await call(lineitems, { bearer, type, body })).status).toBe(status);
  });

  it('takes a score once per timestamp, strictly later each time, for people launched into the course', async () => {
    await lti13Claims('role=learner&locale=en&userId=learner-s1');
    const lineitems = `${base}/simulator/lti13/ags/${encodeURIComponent(demoCourse.contextId)}/lineitems`;
    const bearer = await token();
    const item = (
      await call(lineitems, { bearer, type: media.lineItem, body: { label: 'Scores', scoreMaximum: 20 } })
    ).json as { id: string };
    const score = (over: object) => ({
      userId: 'learner-s1',
      scoreGiven: 14,
      scoreMaximum: 20,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2026-03-01T10:00:00.000Z',
      ...over,
    });
    const send = (over: object, type = media.score) =>
      call(scoresUrl(item.id), { bearer, type, body: score(over) });

    expect((await send({})).status).toBe(204);
    const [entry] = await entryOf('learner-s1');
    expect(entry).toMatchObject({
      column: item.id,
      lti: '1.3',
      score: 0.7,
      scoreGiven: 14,
      writes: 1,
      timestamp: '2026-03-01T10:00:00.000Z',
    });

    const same = await send({ timestamp: '2026-03-01T11:00:00+01:00', scoreGiven: 15 });
    expect([same.status, (same.json as { error_description: string }).error_description]).toEqual([
      400,
      expect.stringMatching(/^Score already exists for the provided timestamp/),
    ]);
    expect((await send({ timestamp: '2026-03-01T09:59:59.999999Z' })).status).toBe(400);
    const refusals: Array<[object, string]> = [
      [{ timestamp: '2026-03-02T10:00:00' }, 'timestamp'],
      [{ userId: 'never-launched', timestamp: '2026-03-02T10:00:00Z' }, 'never launched'],
      [{ scoreMaximum: undefined, timestamp: '2026-03-02T10:00:00Z' }, 'scoreMaximum'],
      [{ scoreGiven: -1, timestamp: '2026-03-02T10:00:00Z' }, 'scoreGiven'],
      [{ activityProgress: 'Done', timestamp: '2026-03-02T10:00:00Z' }, 'activityProgress'],
      [{ gradingProgress: 'Graded', timestamp: '2026-03-02T10:00:00Z' }, 'gradingProgress'],
    ];
    for (const [over, field] of refusals) {
      const res = await send(over);
      expect([res.status, (res.json as { error_description: string }).error_description]).toEqual([
        400,
        expect.stringContaining(field),
      ]);
    }
    expect((await send({ timestamp: '2026-03-02T10:00:00Z' }, 'application/json')).status).toBe(415);
    expect(
      (
        await call(scoresUrl(item.id), {
          bearer: await token(ags('lineitem')),
          type: media.score,
          body: score({}),
        })
      ).status,
    ).toBe(403);
    expect((await entryOf('learner-s1'))[0]).toMatchObject({ score: 0.7, writes: 1 });

    expect(
      (await send({ scoreGiven: 16, timestamp: '2026-03-01T10:00:00.000001Z', comment: 'Bien' })).status,
    ).toBe(204);
    expect((await entryOf('learner-s1'))[0]).toMatchObject({ score: 0.8, writes: 2, comment: 'Bien' });
    const results = await call(`${item.id.replace('?', '/results?')}`, { bearer });
    expect([results.status, results.type]).toEqual([
      200,
      expect.stringMatching(/^application\/vnd\.ims\.lis\.v2\.resultcontainer\+json(;|$)/),
    ]);
    expect(results.json).toEqual([
      expect.objectContaining({
        userId: 'learner-s1',
        resultScore: 16,
        resultMaximum: 20,
        scoreOf: item.id,
        comment: 'Bien',
      }),
    ]);
  });

  it('makes a line item for a deep-linked link with a lineItem, and names it in that link’s launches', async () => {
    const request = await newBrowser(base).go('/simulator/lti13/deep-linking?flavour=moodle&locale=en', {
      stopAt: /^\/simulator\/lti13\/authorize$/,
    });
    const settings = decodeJwt(request.lastForm!.fields.get('id_token')!)[
      'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'
    ] as { data: string; deep_link_return_url: string };
    const answer = {
      issuer: `${base}/simulator`,
      clientId: 'labgate-simulator',
      deploymentId: '1',
      targets: ['window'],
      data: settings.data,
    };
    const jwt = await signDeepLinkingResponse(
      t.app.services.toolKeys,
      answer,
      { slug: 'exercise-1', title: 'Lié' },
      Date.now() / 1000,
    );
    const returned = await fetch(settings.deep_link_return_url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ JWT: jwt }),
    });
    expect(returned.status).toBe(303);
    const linkId = decodeURIComponent(/linked=([^#&]+)/.exec(returned.headers.get('location')!)![1]!);
    const column = (await book()).columns.find((c) => c.resourceLinkId === linkId);
    expect(column).toMatchObject({
      lti: '1.3',
      label: 'Lié',
      scoreMaximum: 100,
      resourceId: 'exercise-1',
      tag: 'labgate',
    });
    const claims = await lti13Claims(`link=${linkId}&role=learner&flavour=moodle&userId=learner-dl`);
    expect((claims[endpointClaim] as { lineitem: string }).lineitem).toBe(column!.id);
  });
});

describe('the gradebook, its outage and the platform registration', () => {
  it('answers 500 to the next N grade calls, then recovers', async () => {
    const outage = (fields: Record<string, string>) =>
      fetch(`${base}/simulator/gradebook/outage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(fields),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as { outage: Book['outage'] } }));
    expect((await outage({ requests: '2' })).json.outage).toEqual({
      active: true,
      requestsLeft: 2,
      until: null,
      answered: 0,
    });
    const jwt = await assertion();
    const down = await fetch(tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(down.status).toBe(500);
    const launch = await lti11Launch('learner-x1');
    const sent = replaceResultRequest({
      serviceUrl: launch.get('lis_outcome_service_url')!,
      sourcedId: launch.get('lis_result_sourcedid')!,
      score: 1,
      consumerKey: demoConsumerKey,
      secret: await demoSecret(),
    });
    expect((await post(sent.url, sent)).status).toBe(500);
    expect((await book()).outage).toEqual({ active: false, requestsLeft: null, until: null, answered: 2 });
    expect((await askToken(jwt)).status).toBe(200);
    expect((await post(sent.url, sent)).pox?.codeMajor).toBe('success');
    expect(await entryOf('learner-x1')).toEqual([expect.objectContaining({ score: 1, writes: 1 })]);

    const timed = (await outage({ seconds: '60' })).json.outage;
    expect(timed).toMatchObject({ active: true, requestsLeft: null, until: expect.any(String) });
    expect((await post(sent.url, sent)).status).toBe(500);
    expect((await outage({ requests: '0' })).json.outage.active).toBe(false);
    expect((await outage({})).status).toBe(400);
  });

  it('shows the grades on a page linked from the simulator, in French and English', async () => {
    const launch = await lti11Launch('learner-p1');
    const sent = replaceResultRequest({
      serviceUrl: launch.get('lis_outcome_service_url')!,
      sourcedId: launch.get('lis_result_sourcedid')!,
      score: 0.85,
      consumerKey: demoConsumerKey,
      secret: await demoSecret(),
    });
    expect((await post(sent.url, sent)).pox?.codeMajor).toBe('success');
    expect(await (await fetch(`${base}/simulator`)).text()).toContain('href="/simulator/gradebook"');
    const en = await (await fetch(`${base}/simulator/gradebook?lang=en`)).text();
    const row = /<tr data-testid="grade" data-user="learner-p1"[\s\S]*?<\/tr>/.exec(en)![0];
    expect(row).toContain('Alice Martin');
    expect(row).toMatch(/data-testid="points">0\.85 \/ 1</);
    expect(row).toMatch(/data-testid="percent">85 %</);
    expect(row).toMatch(/data-testid="writes">1</);
    expect(en).toContain('Gradebook of the simulated LMS');
    const fr = await (await fetch(`${base}/simulator/gradebook?lang=fr`)).text();
    expect(fr).toContain('Carnet de notes du LMS simulé');
    expect(formsOf(fr).filter((f) => f.action === '/simulator/gradebook/outage')).toHaveLength(2);
  });

  it('registers the token URL, also on a demo database whose platform row lacks it', async () => {
    const issuer = `${base}/simulator`;
    expect((await t.app.services.platforms.findPlatform(issuer, 'labgate-simulator'))?.tokenUrl).toBe(
      tokenUrl,
    );
    await t.db.updateTable('lti13_platforms').set({ token_url: null }).where('issuer', '=', issuer).execute();
    const again = await buildApp(t.config, { db: t.db });
    await again.close();
    expect((await t.app.services.platforms.findPlatform(issuer, 'labgate-simulator'))?.tokenUrl).toBe(
      tokenUrl,
    );
  });
});
