import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerDeepLink, deepLinkChoices, type DeepLinkingDeps } from '../../flows/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import { isFormBody } from '../form-body.ts';
import { pickLang } from '../i18n.ts';
import { deepLinkPickerPage, deepLinkReturnPage } from '../pages/deep-linking-page.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface DeepLinkingRouteDeps {
  deepLinking: DeepLinkingDeps;
  sessions: Pick<SessionStore, 'findSession'>;
}

/** The picker's address: a random id, never the LMS's return URL (a secret). */
export const deepLinkPickerPath = (id: string) => `/lti/1.3/deep-linking/${encodeURIComponent(id)}`;

/** LTI 1.3 deep linking after the launch: the teacher picks an exercise, the LMS gets a signed answer. */
export function registerDeepLinkingRoutes(server: FastifyInstance, deps: DeepLinkingRouteDeps) {
  async function current(request: FastifyRequest) {
    const sessionId = readSessionId(request);
    const session = sessionId ? await deps.sessions.findSession(sessionId) : undefined;
    if (!sessionId || !session) throw webErrors.noSession();
    const { id } = request.params as { id: string };
    const lang = pickLang({ query: (request.query as { lang?: string }).lang, session: session.locale });
    return { sessionId, session, requestId: id, lang };
  }

  server.get('/lti/1.3/deep-linking/:id', async (request, reply) => {
    const c = await current(request);
    const choices = await deepLinkChoices(deps.deepLinking, c);
    const body = deepLinkPickerPage({
      lang: c.lang,
      action: deepLinkPickerPath(c.requestId),
      csrfToken: c.session.csrfToken,
      courseId: choices.request.courseId,
      courseTitle: choices.course?.title ?? '',
      assignments: choices.assignments,
      expiresAt: choices.request.expiresAt,
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  });

  server.post('/lti/1.3/deep-linking/:id', async (request, reply) => {
    const c = await current(request);
    const slug = (isFormBody(request.body) ? request.body.fields.get('assignment') : null)?.trim();
    if (!slug) throw webErrors.badRequest('the form names no exercise (field "assignment")');
    const answer = await answerDeepLink(deps.deepLinking, { ...c, slug });
    if (answer.kind === 'unknown-assignment') throw webErrors.noAssignment(answer.slug);
    request.log.info(
      { userId: c.session.userId, courseId: answer.assignment.courseId, assignment: answer.assignment.slug },
      'LTI 1.3 deep link answered',
    );
    const body = deepLinkReturnPage({
      lang: c.lang,
      returnUrl: answer.returnUrl,
      jwt: answer.jwt,
      title: answer.assignment.title,
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  });
}
