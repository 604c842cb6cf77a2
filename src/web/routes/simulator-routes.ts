import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { signedLaunchUrl } from '../../lti/index.ts';
import {
  demoConsumerKey,
  lti11LaunchParams,
  signLti11Launch,
  type SimulatedLaunch,
  type SimulatorPlatform,
} from '../../simulator/index.ts';
import { autoPostPage, simulatorPage } from '../pages/simulator-page.ts';
import { webErrors } from '../web-errors.ts';

export interface SimulatorRouteDeps {
  publicBaseUrl: URL;
  demoSecret: () => Promise<string>;
  platform: SimulatorPlatform;
  now: () => number;
}

const launchQuery = z.object({
  version: z.enum(['1.1', '1.3']).default('1.1'),
  flavour: z.enum(['openedx', 'moodle']).default('openedx'),
  role: z.enum(['learner', 'teacher']).default('learner'),
  locale: z.enum(['fr', 'en']).default('fr'),
  name: z.string().max(200).optional(),
  userId: z.string().max(200).optional(),
});

export type SimulatorLaunchQuery = z.infer<typeof launchQuery>;

export function parseSimulatorQuery(query: unknown): SimulatorLaunchQuery {
  const parsed = launchQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw webErrors.badRequest(`simulator parameter "${String(issue.path[0])}": ${issue.message}`);
  }
  return parsed.data;
}

const toPerson = (q: SimulatorLaunchQuery): SimulatedLaunch => ({
  flavour: q.flavour,
  role: q.role,
  locale: q.locale,
  ...(q.name ? { name: q.name } : {}),
  ...(q.userId ? { userId: q.userId } : {}),
});

/** Demo and test helper: an LMS that performs real signed LTI 1.1 launches into this labgate. */
export function registerSimulatorRoutes(server: FastifyInstance, deps: SimulatorRouteDeps) {
  server.get('/simulator', async (request, reply) => {
    const returned = (request.query as { returned?: string } | undefined)?.returned === '1';
    return reply.type('text/html; charset=utf-8').send(simulatorPage({ returned }));
  });

  server.get('/simulator/launch', async (request, reply) => {
    const q = parseSimulatorQuery(request.query);
    const person = toPerson(q);
    if (q.version === '1.3') return reply.redirect(deps.platform.loginInitiationUrl(person), 303);
    const launchUrl = signedLaunchUrl(deps.publicBaseUrl, '/lti/launch');
    const fields = signLti11Launch({
      launchUrl,
      consumerKey: demoConsumerKey,
      secret: await deps.demoSecret(),
      nowSeconds: Math.floor(deps.now() / 1000),
      params: lti11LaunchParams(person, deps.publicBaseUrl),
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(autoPostPage(launchUrl, fields));
  });

  server.get('/simulator/lti13/jwks', async () => deps.platform.jwks());

  // The platform's OIDC authorization endpoint: checks the request as an LMS would, then posts an id_token back.
  server.get('/simulator/lti13/authorize', async (request, reply) => {
    const a = parseAuthorizeQuery(request.query, deps.publicBaseUrl);
    const idToken = await deps.platform.mintIdToken(a.person, {
      nonce: a.nonce,
      nowSeconds: Math.floor(deps.now() / 1000),
    });
    const fields: Array<[string, string]> = [
      ['id_token', idToken],
      ['state', a.state],
    ];
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(autoPostPage(a.redirectUri, fields));
  });
}

const authorizeQuery = z.object({
  scope: z.literal('openid'),
  response_type: z.literal('id_token'),
  response_mode: z.literal('form_post'),
  client_id: z.literal('labgate-simulator'),
  redirect_uri: z.string(),
  login_hint: z.string().min(1),
  state: z.string().min(1),
  nonce: z.string().min(1),
  lti_message_hint: z.string().min(1),
});

function parseAuthorizeQuery(query: unknown, publicBaseUrl: URL) {
  const parsed = authorizeQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw webErrors.badRequest(`authorization parameter "${String(issue.path[0])}": ${issue.message}`);
  }
  const q = parsed.data;
  if (q.redirect_uri !== signedLaunchUrl(publicBaseUrl, '/lti/1.3/launch')) {
    throw webErrors.badRequest(`redirect_uri ${q.redirect_uri} is not the one registered for labgate`);
  }
  let hint: unknown;
  try {
    hint = JSON.parse(Buffer.from(q.lti_message_hint, 'base64url').toString('utf8'));
  } catch {
    throw webErrors.badRequest('lti_message_hint is not one the simulator issued');
  }
  return {
    redirectUri: q.redirect_uri,
    state: q.state,
    nonce: q.nonce,
    person: toPerson(parseSimulatorQuery(hint)),
  };
}
