import type { FastifyInstance } from 'fastify';
import type { CourseStore } from '../../courses/index.ts';
import type { SubmissionReviewFlow } from '../../flows/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import { hostileContentPolicy, scriptNonce } from '../content-security.ts';
import { pickLang } from '../i18n.ts';
import { feedbackPage, feedbackPendingPage } from '../pages/feedback-page.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface FeedbackRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  courses: Pick<CourseStore, 'findRole'>;
  review: Pick<SubmissionReviewFlow, 'feedbackView'>;
}

/** A learner's own feedback on an assignment: a "not released yet" page until their teachers release it. */
export function registerFeedbackRoutes(server: FastifyInstance, deps: FeedbackRouteDeps) {
  server.get('/feedback/:courseId/:slug', async (request, reply) => {
    const id = readSessionId(request);
    const session = id ? await deps.sessions.findSession(id) : undefined;
    if (!session) throw webErrors.noSession();
    const p = request.params as { courseId: string; slug: string };
    const q = request.query as { file?: string; lang?: string };
    if (!(await deps.courses.findRole(p.courseId, session.userId))) throw webErrors.noReceipt();
    const lang = pickLang({ query: q.lang, session: session.locale });
    const view = await deps.review.feedbackView({
      courseId: p.courseId,
      slug: p.slug,
      userId: session.userId,
      ...(q.file ? { file: q.file } : {}),
    });
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!view.released) return reply.send(feedbackPendingPage(lang, view.assignment.title));
    const nonce = scriptNonce();
    hostileContentPolicy(reply, nonce);
    return reply.send(feedbackPage({ lang, nonce, courseId: p.courseId, view }));
  });
}
