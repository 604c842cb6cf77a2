import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import {
  createForkStateStore,
  createGradeOutbox,
  createRosterStore,
  type RosterStore,
} from '../courses/index.ts';
import {
  createFeedbackRelease,
  createGradeReport,
  type CourseUpkeep,
  type GradeQueue,
  type GradeReportDeps,
  type GradingRuns,
} from '../flows/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import { createFeedbackDeliveryStore, createReviewStore } from '../grading/index.ts';
import { registerGradesRoutes } from '../web/routes/grades-routes.ts';

type ReportServices = Pick<Services, 'db' | 'now' | 'courses' | 'assignments'>;
type PassbackStatus = NonNullable<GradeReportDeps['passback']>;

/** The grades report (page, CSV, CLI): every learner's automatic and final grade, passback, FEEDBACK.md. */
export function buildGradeReport(
  s: ReportServices,
  o: { roster?: RosterStore; passback?: PassbackStatus } = {},
) {
  return createGradeReport({
    courses: s.courses,
    assignments: s.assignments,
    roster: o.roster ?? createRosterStore(s.db),
    reviews: createReviewStore(s.db, s.now),
    deliveries: createFeedbackDeliveryStore(s.db, s.now),
    passback: o.passback ?? createGradeOutbox(s.db, s.now),
  });
}

/**
 * Releasing feedback and the grades page: the switch, FEEDBACK.md committed to each graded learner's
 * fork (right after a release, then in every upkeep round until it lands), grades queued for the LMS
 * through the passback, and the CSV exports. Needs the forge: forks are where FEEDBACK.md goes.
 */
export function registerFeedback(
  server: FastifyInstance,
  o: {
    services: Services;
    forge: Forge | undefined;
    provisioner: Provisioner | undefined;
    roster: RosterStore;
    /** The teacher's console (absent without a forge): deliveries are retried in each upkeep round. */
    teaching: { upkeep: Pick<CourseUpkeep, 'eachRound'> } | undefined;
    /** Grades back to the LMS; without it feedback is still released and no grade is sent. */
    passback: { passback: GradeQueue & PassbackStatus } | undefined;
    /** Grading from the web, shown on the grades page when configured. */
    runs?: Pick<GradingRuns, 'run'> | undefined;
  },
) {
  const { services: s, forge, provisioner } = o;
  const passback = o.passback?.passback;
  if (!forge || !provisioner) return undefined;
  const log = server.log.child({ feature: 'feedback' });
  const reviews = createReviewStore(s.db, s.now);
  const feedback = createFeedbackRelease({
    courses: s.courses,
    assignments: s.assignments,
    reviews,
    deliveries: createFeedbackDeliveryStore(s.db, s.now),
    forkStates: createForkStateStore(s.db),
    forge,
    provisioner,
    ...(passback ? { grades: passback } : {}),
    onError: (err, what) => log.warn({ err }, `${what} failed`),
    now: s.now,
  });
  const report = buildGradeReport(s, { roster: o.roster, ...(passback ? { passback } : {}) });
  registerGradesRoutes(server, {
    sessions: s.sessions,
    courses: s.courses,
    report,
    feedback,
    runs: o.runs,
  });
  o.teaching?.upkeep.eachRound(() => feedback.deliverDue());
  server.addHook('onClose', async () => feedback.settled());
  return { feedback, report };
}
