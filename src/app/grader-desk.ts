import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import { createExtensionStore, createSubmissionStore, type RosterStore } from '../courses/index.ts';
import { cachedArchives, createSubmissionReview } from '../flows/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import { createReviewStore } from '../grading/index.ts';
import { registerFeedbackRoutes } from '../web/routes/feedback-routes.ts';
import { registerReviewRoutes } from '../web/routes/review-routes.ts';

/** Past this, a file is listed but not diffed on the review and feedback pages (a browser would choke). */
const maxPageFileBytes = 20 * 2 ** 20;

/**
 * The grader's desk: the review page of each learner's submission (staff), the JSON endpoints graders
 * save to, and each learner's feedback page once released. Needs a forge (the submissions are forks).
 */
export function registerGraderDesk(
  server: FastifyInstance,
  o: {
    services: Services;
    forge: Forge | undefined;
    provisioner: Provisioner | undefined;
    roster: RosterStore;
    /** Told after a grader's save (released feedback and the LMS's grade follow). */
    onChanged?: (assignmentId: string, userId: string) => Promise<unknown>;
  },
) {
  const { services: s, forge, provisioner } = o;
  if (!forge || !provisioner) return undefined;
  const review = createSubmissionReview({
    forge: cachedArchives(forge),
    provisioner,
    courses: s.courses,
    assignments: s.assignments,
    roster: o.roster,
    submissions: createSubmissionStore(s.db),
    extensions: createExtensionStore(s.db, s.now),
    reviews: createReviewStore(s.db, s.now),
    users: s.users,
    maxSubmissionBytes: 200 * 2 ** 20,
    maxFileBytes: maxPageFileBytes,
    ...(o.onChanged ? { onChanged: o.onChanged } : {}),
    now: s.now,
  });
  registerReviewRoutes(server, { sessions: s.sessions, courses: s.courses, review });
  registerFeedbackRoutes(server, { sessions: s.sessions, courses: s.courses, review });
  return { review };
}
