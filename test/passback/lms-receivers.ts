import Fastify, { type FastifyReply } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { verifyOutcomeRequest, type VerifiedReplaceResult } from '../../src/lti/index.ts';

/** What a test's receiver does with the next calls: answer normally, or misbehave as an LMS may. */
export type Behaviour =
  'ok' | 'failure' | 'unsupported' | 'http500' | 'http404' | 'http429' | 'html200' | 'slow' | 'redirect';

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const poxResponse = (
  codeMajor: string,
  description: string,
  ref = '',
) => `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeResponse xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader><imsx_POXResponseHeaderInfo><imsx_version>V1.0</imsx_version>
    <imsx_messageIdentifier>lms-1</imsx_messageIdentifier>
    <imsx_statusInfo><imsx_codeMajor>${codeMajor}</imsx_codeMajor><imsx_severity>status</imsx_severity>
      <imsx_description>${xmlText(description)}</imsx_description><imsx_messageRefIdentifier>${xmlText(ref)}</imsx_messageRefIdentifier>
      <imsx_operationRefIdentifier>replaceResult</imsx_operationRefIdentifier></imsx_statusInfo>
  </imsx_POXResponseHeaderInfo></imsx_POXHeader>
  <imsx_POXBody><replaceResultResponse/></imsx_POXBody>
</imsx_POXEnvelopeResponse>`;

/** Answers with a misbehaviour; true when it did (the caller answers normally otherwise). */
async function misbehave(reply: FastifyReply, b: Behaviour): Promise<boolean> {
  if (b === 'http500') return (await reply.code(500).send('upstream down'), true);
  if (b === 'http404') return (await reply.code(404).send('no such thing'), true);
  if (b === 'http429') return (await reply.code(429).header('retry-after', '90').send('slow down'), true);
  if (b === 'html200') return (await reply.type('text/html').send('<html><p>Maintenance</p></html>'), true);
  if (b === 'redirect') return (await reply.redirect('https://elsewhere.test/login?next=x', 302), true);
  if (b === 'slow') {
    await new Promise((r) => setTimeout(r, 1500));
    return (await reply.code(200).send(''), true);
  }
  return false;
}

/**
 * An LTI 1.1 consumer's outcome service on 127.0.0.1, verifying each call as an LMS must
 * (signature, body hash, timestamp, nonce) with src/lti/outcomes-verify.ts.
 */
export async function startOutcomesReceiver(consumer: { key: string; secret: string }) {
  const server = Fastify({ forceCloseConnections: true });
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const nonces = new Set<string>();
  const received: Array<VerifiedReplaceResult & { contentType: string }> = [];
  const plan: Behaviour[] = [];
  let calls = 0;
  let base = '';
  server.post('/outcomes', async (request, reply) => {
    calls++;
    if (await misbehave(reply, plan.shift() ?? 'ok')) return reply;
    let verified: VerifiedReplaceResult;
    try {
      verified = await verifyOutcomeRequest({
        method: request.method,
        url: `${base}${request.url}`,
        headers: request.headers,
        body: request.body as Buffer,
        secretFor: (key) => (key === consumer.key ? consumer.secret : undefined),
        rememberNonce: (key, ts, nonce) =>
          !nonces.has(`${key}:${ts}:${nonce}`) && !!nonces.add(`${key}:${ts}:${nonce}`),
      });
    } catch (err) {
      return reply
        .code(401)
        .type('application/xml')
        .send(poxResponse('failure', (err as Error).message));
    }
    received.push({ ...verified, contentType: String(request.headers['content-type']) });
    return reply
      .type('application/xml')
      .send(
        poxResponse(
          'success',
          `Score for ${verified.sourcedId} is now ${verified.scoreText}`,
          verified.messageIdentifier,
        ),
      );
  });
  server.post('/refusing', async (_request, reply) =>
    reply.type('application/xml').send(poxResponse('failure', 'sourcedId not found: unknown user')),
  );
  server.post('/unsupported', async (_request, reply) =>
    reply.type('application/xml').send(poxResponse('unsupported', 'replaceResult is not supported')),
  );
  base = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    /** The outcome service URL, with a query an LMS signs (and labgate must never show). */
    url: `${base}/outcomes?tool=labgate&token=s3cret`,
    received,
    calls: () => calls,
    /** The next calls' misbehaviours, in order; then it answers normally. */
    plan: (...b: Behaviour[]) => plan.push(...b),
    close: () => server.close(),
  };
}

export type OutcomesReceiver = Awaited<ReturnType<typeof startOutcomesReceiver>>;

/** Verifies a client assertion as a platform would: signature against the tool's JWKS, iss, sub, aud. */
export async function verifyClientAssertion(
  jwt: string,
  o: { jwks: JSONWebKeySet; clientId: string; tokenUrl: string },
) {
  const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(o.jwks), {
    algorithms: ['RS256'],
    issuer: o.clientId,
    subject: o.clientId,
    audience: o.tokenUrl,
    maxTokenAge: '5 min',
  });
  return { payload, protectedHeader };
}

export { misbehave, poxResponse };
