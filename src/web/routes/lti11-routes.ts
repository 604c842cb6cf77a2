import type { FastifyInstance } from 'fastify';
import { completeLaunch, type LaunchFlowDeps } from '../../flows/index.ts';
import { readLti11Launch, verifyLti11Launch, type Lti11VerifierDeps } from '../../lti/index.ts';
import { isFormBody } from '../form-body.ts';
import { pickLang } from '../i18n.ts';
import { readSessionId, setSessionCookie, type SessionCookieOptions } from '../session-cookie.ts';

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
      const done = await completeLaunch(deps.launchFlow, launch, {
        previousSessionId: readSessionId(request),
        fallbackLocale: pickLang({ acceptLanguage: request.headers['accept-language'] }),
      });
      request.log.info(
        { userId: done.user.id, courseId: done.course.id, role: launch.role, lms: launch.lmsKey },
        'LTI 1.1 launch accepted',
      );
      setSessionCookie(reply, done.session.id, deps.cookie);
      return reply.redirect(done.redirectTo, 303);
    },
  );
}
