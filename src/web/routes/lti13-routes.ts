import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LaunchFlowDeps } from '../../flows/index.ts';
import {
  bindingCookieName,
  finishLti13Launch,
  lti13LaunchPath,
  startLti13Login,
  type Lti13Deps,
  type ToolKeys,
} from '../../lti/index.ts';
import { isFormBody } from '../form-body.ts';
import type { SessionCookieOptions } from '../session-cookie.ts';
import { signInFromLaunch } from '../sign-in.ts';
import { webErrors } from '../web-errors.ts';

export interface Lti13RouteDeps {
  lti13: Lti13Deps;
  toolKeys: Pick<ToolKeys, 'publicJwks'>;
  launchFlow: LaunchFlowDeps;
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
    const launch = await finishLti13Launch(deps.lti13, {
      idToken: fields.get('id_token') ?? undefined,
      state: fields.get('state') ?? undefined,
      cookies: request.cookies,
    });
    const next = await signInFromLaunch(request, reply, launch, deps);
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
