import type { FastifyInstance } from 'fastify';
import type { LaunchFlowDeps } from '../../flows/index.ts';
import { readLti11Launch, verifyLti11Launch, type Lti11VerifierDeps } from '../../lti/index.ts';
import { isFormBody } from '../form-body.ts';
import type { SessionCookieOptions } from '../session-cookie.ts';
import { signInFromLaunch } from '../sign-in.ts';

export interface Lti11RouteDeps {
  verifier: Lti11VerifierDeps;
  launchFlow: LaunchFlowDeps;
  cookie: SessionCookieOptions;
  maxLaunchBytes: number;
}

/** The LTI 1.1 launch URL given to LMSs: POST /lti/launch (cross-site by design, so CSRF-exempt). */
export function registerLti11Routes(server: FastifyInstance, deps: Lti11RouteDeps) {
  server.post(
    '/lti/launch',
    { bodyLimit: deps.maxLaunchBytes, config: { csrfExempt: true } },
    async (request, reply) => {
      const verified = await verifyLti11Launch(deps.verifier, {
        url: request.url,
        contentType: request.headers['content-type'],
        body: isFormBody(request.body) ? request.body.raw : Buffer.alloc(0),
      });
      const launch = readLti11Launch(verified.consumer, verified.params);
      return reply.redirect(await signInFromLaunch(request, reply, launch, deps), 303);
    },
  );
}
