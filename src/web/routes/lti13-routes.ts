import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { beginDeepLinking, type DeepLinkingDeps, type LaunchFlowDeps } from '../../flows/index.ts';
import {
  bindingCookieName,
  finishLti13Launch,
  lti13LaunchPath,
  startLti13Login,
  type Lti13Deps,
  type Lti13Message,
  type ToolKeys,
} from '../../lti/index.ts';
import { isFormBody } from '../form-body.ts';
import { pickLang } from '../i18n.ts';
import { readSessionId, setSessionCookie, type SessionCookieOptions } from '../session-cookie.ts';
import { deepLinkPickerPath } from './deep-linking-routes.ts';
import { signInFromLaunch } from '../sign-in.ts';
import { webErrors } from '../web-errors.ts';

export interface Lti13RouteDeps {
  lti13: Lti13Deps;
  toolKeys: Pick<ToolKeys, 'publicJwks'>;
  launchFlow: LaunchFlowDeps;
  deepLinking: DeepLinkingDeps;
  cookie: SessionCookieOptions;
  maxLaunchBytes: number;
}

/** Login initiation may come as GET (query) or POST (form); both carry the same parameters. */
const loginParams = (request: FastifyRequest) =>
  request.method === 'POST'
    ? isFormBody(request.body)
      ? request.body.fields
      : new URLSearchParams()
    : new URLSearchParams(request.url.split('?')[1] ?? '');

/** A teacher adding labgate content from the LMS: signed in, then on to the exercise picker. */
async function startDeepLinking(
  request: FastifyRequest,
  reply: FastifyReply,
  message: Extract<Lti13Message, { kind: 'deep-linking' }>,
  deps: Lti13RouteDeps,
) {
  const lang = pickLang({ acceptLanguage: request.headers['accept-language'] });
  const begun = await beginDeepLinking(deps.deepLinking, message, {
    previousSessionId: readSessionId(request),
    fallbackLocale: lang,
  });
  request.log.info(
    { userId: begun.user.id, courseId: begun.course.id, lms: message.launch.lmsKey },
    'LTI 1.3 deep-linking request accepted',
  );
  setSessionCookie(reply, begun.session.id, deps.cookie);
  return `${deepLinkPickerPath(begun.requestId)}?lang=${message.launch.locale ?? lang}`;
}

export function registerLti13Routes(server: FastifyInstance, deps: Lti13RouteDeps) {
  const exempt = { bodyLimit: deps.maxLaunchBytes, config: { csrfExempt: true } };

  server.route({
    method: ['GET', 'POST'],
    url: '/lti/1.3/login',
    ...exempt,
    handler: async (request, reply) => {
      const { redirectUrl, binding } = await startLti13Login(deps.lti13, loginParams(request));
      reply.setCookie(binding.name, binding.value, { ...deps.cookie, path: lti13LaunchPath, maxAge: 600 });
      return reply.redirect(redirectUrl, 302);
    },
  });

  server.post(lti13LaunchPath, exempt, async (request, reply) => {
    const fields = isFormBody(request.body) ? request.body.fields : new URLSearchParams();
    const message = await finishLti13Launch(deps.lti13, {
      idToken: fields.get('id_token') ?? undefined,
      state: fields.get('state') ?? undefined,
      cookies: request.cookies,
    });
    const next =
      message.kind === 'deep-linking'
        ? await startDeepLinking(request, reply, message, deps)
        : await signInFromLaunch(request, reply, message.launch, deps);
    reply.clearCookie(bindingCookieName(fields.get('state')!), {
      ...deps.cookie,
      path: lti13LaunchPath,
      maxAge: 0,
    });
    return reply.redirect(next, 303);
  });

  server.get(lti13LaunchPath, async () => {
    throw webErrors.methodNotAllowed(
      'An LTI 1.3 launch is a form the LMS posts here; open the activity from your course.',
    );
  });

  server.get('/.well-known/jwks.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(await deps.toolKeys.publicJwks()),
  );
}
