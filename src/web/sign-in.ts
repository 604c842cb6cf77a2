import type { FastifyReply, FastifyRequest } from 'fastify';
import { completeLaunch, type LaunchFlowDeps } from '../flows/index.ts';
import type { VerifiedLaunch } from '../lti/index.ts';
import { pickLang } from './i18n.ts';
import { readSessionId, setSessionCookie, type SessionCookieOptions } from './session-cookie.ts';

/** After any verified launch (1.1 or 1.3): user, course and a fresh session, its cookie, then onwards. */
export async function signInFromLaunch(
  request: FastifyRequest,
  reply: FastifyReply,
  launch: VerifiedLaunch,
  deps: { launchFlow: LaunchFlowDeps; cookie: SessionCookieOptions },
) {
  const done = await completeLaunch(deps.launchFlow, launch, {
    previousSessionId: readSessionId(request),
    fallbackLocale: pickLang({ acceptLanguage: request.headers['accept-language'] }),
  });
  request.log.info(
    { userId: done.user.id, courseId: done.course.id, role: launch.role, lms: launch.lmsKey },
    `LTI ${launch.version} launch accepted`,
  );
  // The reason never quotes the service URL (its query may hold credentials).
  if (launch.gradeServiceProblem)
    request.log.warn(
      { userId: done.user.id, lms: launch.lmsKey, problem: launch.gradeServiceProblem },
      'grade service of the launch ignored: grades cannot go back to the LMS for this learner',
    );
  setSessionCookie(reply, done.session.id, deps.cookie);
  return done.redirectTo;
}
