import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { lti13LaunchPath } from '../../lti/index.ts';
import {
  demoCourse,
  lti13Subject,
  simulatorClientId,
  type MintedMessage,
  type SimulatedLaunch,
  type SimulatorPlatform,
} from '../../simulator/index.ts';
import { autoPostPage } from '../pages/simulator-page.ts';
import { webErrors } from '../web-errors.ts';
import { parseSimulatorQuery, simulatedPerson } from './simulator-query.ts';

export interface SimulatorLti13RouteDeps {
  publicBaseUrl: URL;
  platform: SimulatorPlatform;
  now: () => number;
}

const authorizeQuery = z.object({
  scope: z.literal('openid'),
  response_type: z.literal('id_token'),
  response_mode: z.literal('form_post'),
  prompt: z.literal('none'),
  client_id: z.literal(simulatorClientId),
  redirect_uri: z.string(),
  login_hint: z.string().min(1),
  state: z.string().min(1),
  nonce: z.string().min(1),
  lti_message_hint: z.string().min(1),
});

const hintedMessage = z
  .object({
    message: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('launch') }),
        z.object({ type: z.literal('deep-linking') }),
        z.object({ type: z.literal('link'), linkId: z.string() }),
      ])
      .default({ type: 'launch' }),
  })
  .transform((h) => h.message);

/** What to mint for the message the login was started for; a deep-linking request is now awaited. */
function mintedMessage(hint: unknown, person: SimulatedLaunch, deps: SimulatorLti13RouteDeps): MintedMessage {
  const parsed = hintedMessage.safeParse(hint);
  if (!parsed.success) throw webErrors.badRequest('lti_message_hint names no message the simulator sends');
  const m = parsed.data;
  if (m.type === 'launch') return m;
  if (m.type === 'deep-linking') {
    const { contextId = demoCourse.contextId, flavour, locale } = person;
    const data = deps.platform.links.awaitReturn({ contextId, flavour, locale });
    return { type: 'deep-linking', returnUrl: deps.platform.deepLinkReturnUrl, data };
  }
  const link = deps.platform.links.findLink(m.linkId);
  if (!link) throw webErrors.badRequest('this course link is unknown to the simulator (did it restart?)');
  return { type: 'link', link };
}

/** Checks an authorization request the way a platform would before it mints a token. */
function parseAuthorizeQuery(query: unknown, deps: SimulatorLti13RouteDeps) {
  const parsed = authorizeQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw webErrors.badRequest(`authorization parameter "${String(issue.path[0])}": ${issue.message}`);
  }
  const q = parsed.data;
  const registered = deps.publicBaseUrl.href.replace(/\/$/, '') + lti13LaunchPath;
  if (q.redirect_uri !== registered) {
    throw webErrors.badRequest(`redirect_uri ${q.redirect_uri} is not the one registered for labgate`);
  }
  const hint = deps.platform.readMessageHint(q.lti_message_hint);
  if (hint === undefined) throw webErrors.badRequest('lti_message_hint is not one the simulator issued');
  const person = simulatedPerson(parseSimulatorQuery(hint));
  if (q.login_hint !== lti13Subject(person)) {
    throw webErrors.badRequest('login_hint does not name the user the simulator started the launch for');
  }
  return { redirectUri: q.redirect_uri, state: q.state, nonce: q.nonce, person, hint };
}

/** The simulator as an LTI 1.3 platform: its key set, its launch button and its OIDC authorization endpoint. */
export function registerSimulatorLti13Routes(server: FastifyInstance, deps: SimulatorLti13RouteDeps) {
  server.get('/simulator/lti13/jwks', async () => deps.platform.jwks());

  // What the LMS does when someone clicks the activity (or a link deep linking made, `link=<id>`).
  server.get('/simulator/lti13/launch', async (request, reply) => {
    const person = simulatedPerson(parseSimulatorQuery(request.query));
    const linkId = (request.query as { link?: unknown }).link;
    const message = typeof linkId === 'string' && linkId ? { type: 'link' as const, linkId } : undefined;
    return reply.redirect(deps.platform.loginInitiationUrl(person, message), 303);
  });

  server.get('/simulator/lti13/authorize', async (request, reply) => {
    const a = parseAuthorizeQuery(request.query, deps);
    const idToken = await deps.platform.mintIdToken(a.person, {
      nonce: a.nonce,
      nowSeconds: Math.floor(deps.now() / 1000),
      message: mintedMessage(a.hint, a.person, deps),
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        autoPostPage(a.redirectUri, [
          ['id_token', idToken],
          ['state', a.state],
        ]),
      );
  });
}
