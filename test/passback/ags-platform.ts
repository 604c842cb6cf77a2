import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { JSONWebKeySet } from 'jose';
import { agsScopes } from '../../src/lti/index.ts';
import { misbehave, verifyClientAssertion, type Behaviour } from './lms-receivers.ts';

export const platformClientId = 'labgate-tool-7';

interface Item {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  tag?: string;
  resourceId?: string;
}

/**
 * An LTI 1.3 platform's AGS end on 127.0.0.1: a token endpoint that checks labgate's client assertion
 * against labgate's JWKS, a line item container (paged two by two) and score endpoints, each checking
 * the Bearer token's scopes and the media types as the spec names them.
 */
export async function startAgsPlatform(o: {
  jwks: () => Promise<JSONWebKeySet>;
  expiresIn?: number;
  clientId?: string;
}) {
  const server = Fastify({ forceCloseConnections: true });
  server.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  let base = '';
  const tokens = new Map<string, string[]>();
  const tokenRequests: Array<{
    scope: string[];
    header: Record<string, unknown>;
    payload: Record<string, unknown>;
  }> = [];
  const jtis = new Set<string>();
  const items: Item[] = [];
  const scores: Array<{ url: string; contentType: string; body: Record<string, unknown> }> = [];
  const plan = { token: [] as Behaviour[], scores: [] as Array<Behaviour | 'http401'> };
  const counts = { get: 0, post: 0 };

  server.post('/token', async (request, reply) => {
    if (await misbehave(reply, plan.token.shift() ?? 'ok')) return reply;
    const form = new URLSearchParams(request.body as string);
    if (form.get('grant_type') !== 'client_credentials')
      return reply.code(400).send({ error: 'unsupported_grant_type' });
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return reply.code(400).send({ error: 'invalid_request' });
    try {
      const { payload, protectedHeader } = await verifyClientAssertion(form.get('client_assertion') ?? '', {
        jwks: await o.jwks(),
        clientId: o.clientId ?? platformClientId,
        tokenUrl: `${base}/token`,
      });
      if (!payload.jti || jtis.has(payload.jti)) throw new Error('jti reused');
      jtis.add(payload.jti);
      const scope = (form.get('scope') ?? '').split(' ').filter(Boolean);
      tokenRequests.push({ scope, header: { ...protectedHeader }, payload: { ...payload } });
      const token = randomBytes(16).toString('hex');
      tokens.set(token, scope);
      return {
        access_token: token,
        token_type: 'Bearer',
        expires_in: o.expiresIn ?? 3600,
        scope: scope.join(' '),
      };
    } catch (err) {
      return reply.code(401).send({ error: 'invalid_client', error_description: (err as Error).message });
    }
  });

  const allowed = (request: FastifyRequest, reply: FastifyReply, ...scopes: string[]) => {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const granted = token ? tokens.get(token) : undefined;
    if (granted && scopes.some((s) => granted.includes(s))) return true;
    void reply.code(401).send({ error: 'invalid_token' });
    return false;
  };

  server.get('/lineitems', async (request, reply) => {
    counts.get++;
    if (!allowed(request, reply, agsScopes.lineitem, agsScopes.lineitemReadonly)) return reply;
    if (request.headers.accept !== 'application/vnd.ims.lis.v2.lineitemcontainer+json')
      return reply.code(406).send('not acceptable');
    const q = request.query as { resource_link_id?: string; page?: string };
    const page = Number(q.page ?? 0);
    const found = items.filter((i) => !q.resource_link_id || i.resourceLinkId === q.resource_link_id);
    const next = new URLSearchParams({
      ...(q.resource_link_id ? { resource_link_id: q.resource_link_id } : {}),
      page: String(page + 1),
    });
    if (found.length > (page + 1) * 2) void reply.header('link', `</lineitems?${next}>; rel="next"`);
    return reply
      .type('application/vnd.ims.lis.v2.lineitemcontainer+json')
      .send(found.slice(page * 2, page * 2 + 2));
  });

  server.post('/lineitems', async (request, reply) => {
    counts.post++;
    if (!allowed(request, reply, agsScopes.lineitem)) return reply;
    if (request.headers['content-type'] !== 'application/vnd.ims.lis.v2.lineitem+json')
      return reply.code(415).send('unsupported media type');
    await new Promise((r) => setTimeout(r, 50)); // room for a concurrent duplicate to show
    const item = {
      ...(JSON.parse(request.body as string) as Omit<Item, 'id'>),
      id: `${base}/lineitems/${items.length + 1}`,
    };
    items.push(item);
    return reply.code(201).type('application/vnd.ims.lis.v2.lineitem+json').send(item);
  });

  server.post('/lineitems/:id/scores', async (request, reply) => {
    const b = plan.scores.shift() ?? 'ok';
    if (b === 'http401') return reply.code(401).send({ error: 'invalid_token' });
    if (!allowed(request, reply, agsScopes.score)) return reply;
    if (await misbehave(reply, b)) return reply;
    const id = (request.params as { id: string }).id;
    if (!items.some((i) => i.id.endsWith(`/lineitems/${id}`)) && id !== '7')
      return reply.code(404).send('gone');
    scores.push({
      url: request.url,
      contentType: String(request.headers['content-type']),
      body: JSON.parse(request.body as string) as Record<string, unknown>,
    });
    return reply.code(200).send({});
  });

  base = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    tokenUrl: `${base}/token`,
    lineitems: `${base}/lineitems`,
    items,
    scores,
    tokenRequests,
    counts,
    plan,
    /** Forgets every token it gave (a platform restart): the next call with one gets a 401. */
    revokeTokens: () => tokens.clear(),
    close: () => server.close(),
  };
}

export type AgsPlatform = Awaited<ReturnType<typeof startAgsPlatform>>;
