import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SubmissionReviewFlow } from '../../flows/index.ts';
import { isAppError } from '../../errors.ts';
import { hostileContentPolicy, scriptNonce } from '../content-security.ts';
import { frenchText } from '../error-texts-fr.ts';
import { reviewPage } from '../pages/review-page.ts';
import { bodyProblem, changeCommentBody, newCommentBody, scoreBody } from '../review-bodies.ts';
import { arrange } from '../roster-table.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface ReviewRouteDeps extends CourseStaffDeps {
  review: Pick<SubmissionReviewFlow, 'review' | 'saveScore' | 'addComment' | 'changeComment'>;
}

type Params = { courseId: string; slug: string; userId: string; id?: string };
type Query = { file?: string; against?: string; sort?: string; desc?: string; filter?: string };

const path = '/courses/:courseId/assignments/:slug/review/:userId';

/** The roster's sort and filter, carried along so `[` and `]` follow the order the grader chose. */
function kept(q: Query): Record<string, string> {
  const out: Record<string, string> = {};
  if (q.sort && /^[A-Za-z]{1,40}$/.test(q.sort)) out['sort'] = q.sort;
  if (q.desc === '1') out['desc'] = '1';
  if (q.filter) out['filter'] = q.filter.slice(0, 200);
  return out;
}

/** A refusal as JSON, in the grader's language. */
function refuse(
  reply: FastifyReply,
  status: number,
  e: { code: string; message: string; hint?: string | undefined },
) {
  return reply.status(status).send({ error: { code: e.code, message: e.message, hint: e.hint } });
}

/**
 * The grader's desk (staff of the course only): the review page of one learner's submission, and the
 * JSON endpoints its script saves to as the grader works (each POST carries the session's CSRF token).
 */
export function registerReviewRoutes(server: FastifyInstance, deps: ReviewRouteDeps) {
  const staff = courseStaff(deps);

  server.get(path, async (request, reply) => {
    const p = request.params as Params;
    const q = request.query as Query;
    const { course, lang, session } = await staff(request, p.courseId);
    const keep = kept(q);
    const review = await deps.review.review({
      courseId: course.id,
      slug: p.slug,
      userId: p.userId,
      ...(q.file ? { file: q.file } : {}),
      against: q.against === 'expected' ? 'expected' : 'template',
      order: (rows) =>
        arrange(rows, { sort: keep['sort'], desc: keep['desc'] === '1', filter: keep['filter'] }),
    });
    const nonce = scriptNonce();
    hostileContentPolicy(reply, nonce);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(reviewPage({ lang, review, csrfToken: session.csrfToken, nonce, keep }));
  });

  /** A JSON POST: staff checked, body parsed with `schema`, refusals answered in the grader's language. */
  const post = <S extends z.ZodType>(
    suffix: string,
    schema: S,
    act: (o: { p: Params; body: z.infer<S>; graderId: string }) => Promise<{ status: number; body: unknown }>,
  ) =>
    server.post(`${path}${suffix}`, async (request: FastifyRequest, reply) => {
      const p = request.params as Params;
      const { lang, session, course } = await staff(request, p.courseId);
      const parsed = schema.safeParse(request.body);
      if (!parsed.success)
        return refuse(reply, 400, { code: 'REVIEW_BAD_BODY', ...bodyProblem(parsed.error, lang) });
      try {
        const answer = await act({
          p: { ...p, courseId: course.id },
          body: parsed.data,
          graderId: session.userId,
        });
        return reply.status(answer.status).header('cache-control', 'no-store').send(answer.body);
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err;
        const fr = lang === 'fr' ? frenchText(err) : undefined;
        return refuse(reply, err.status, {
          code: err.code,
          message: fr?.message ?? err.message,
          hint: fr ? fr.hint : err.hint,
        });
      }
    });

  const target = (p: Params) => ({ courseId: p.courseId, slug: p.slug, userId: p.userId });

  post('/scores', scoreBody, async ({ p, body, graderId }) => {
    const r = await deps.review.saveScore({ ...target(p), ...body, comment: body.comment ?? null, graderId });
    return r.ok
      ? { status: 200, body: { saved: r.saved } }
      : { status: 409, body: { current: r.current ?? null, by: r.by ?? null } };
  });

  post('/comments', newCommentBody, async ({ p, body, graderId }) => {
    const saved = await deps.review.addComment({
      ...target(p),
      ...body,
      line: body.line ?? undefined,
      authorId: graderId,
    });
    return { status: 200, body: { saved } };
  });

  post('/comments/:id', changeCommentBody, async ({ p, body }) => {
    const r = await deps.review.changeComment({
      ...target(p),
      id: p.id ?? '',
      body: body.body,
      version: body.version,
    });
    return r.ok
      ? { status: 200, body: { saved: r.saved ?? null } }
      : { status: 409, body: { current: r.current ?? null, by: r.by ?? null } };
  });
}
