import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import { createGradeOutbox, createGradeTargetStore } from '../courses/index.ts';
import type { RunOnce } from '../db/index.ts';
import { createGradePassback, type DeliveryRound, type LearnerGrade } from '../flows/index.ts';
import { createAgsClient, createOutcomeSender } from '../lti/index.ts';
import { registerGradeRoutes } from '../web/routes/grade-routes.ts';

const roundMs = 5_000;

/**
 * Grades back to the LMS: the stores, both senders, the flow, the roster's "Send again", and a round
 * every 5 s (and right after grades are queued) that delivers what is due. `rounds: false` (tests that
 * drive it by hand) leaves delivery to explicit `deliverDue()` calls. A round runs on one replica at a time.
 */
export function buildPassback(o: {
  server: FastifyInstance;
  services: Services;
  rounds: boolean;
  once: RunOnce;
}) {
  const { db, now, consumers, platforms, toolKeys, assignments, sessions, courses } = o.services;
  const log = o.server.log.child({ feature: 'passback' });
  const targets = createGradeTargetStore(db, now);
  const outbox = createGradeOutbox(db, now);
  const flow = createGradePassback({
    targets,
    outbox,
    assignments,
    outcomes: createOutcomeSender({ consumers }),
    // Signed assertions carry the wall clock, which is what the platform checks (as OAuth 1.0 timestamps).
    ags: createAgsClient({ platforms, toolKeys }),
    owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    onAnswer: (g, answer) => {
      const who = { assignmentId: g.assignmentId, userId: g.userId, attempt: g.attempts + 1 };
      if (answer.outcome === 'sent') log.info(who, 'grade sent to the LMS');
      else log.warn({ ...who, answer: answer.text }, `grade not delivered (${answer.outcome})`);
    },
  });

  const stop = new AbortController();
  const round = () => o.once('grade-delivery', () => flow.deliverDue({ signal: stop.signal }));
  let running: Promise<void> | undefined;
  let again = false;
  /** Starts a delivery now, or once more after the one running (never two at once in this process). */
  function kick(): void {
    if (!o.rounds || stop.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again && !stop.signal.aborted);
    })()
      .catch((err: unknown) => log.warn({ err }, 'grade delivery round failed'))
      .finally(() => {
        running = undefined;
      });
  }
  const timer = o.rounds ? setInterval(kick, roundMs).unref() : undefined;

  const passback = {
    /** Queues the learners' grades for the LMS (those without an LMS link are reported, not queued). */
    queueGrades: async (assignmentId: string, grades: LearnerGrade[]) => {
      const outcome = await flow.queueGrades(assignmentId, grades);
      if (outcome.queued.length) kick();
      return outcome;
    },
    /** The roster's button: the learner's grade goes to the LMS again, now. */
    sendAgain: async (assignmentId: string, userId: string) => {
      await flow.sendAgain(assignmentId, userId);
      kick();
    },
    /** Delivers what is due now (the timer's work; tests call it with `upkeep: false`). */
    deliverDue: (): Promise<DeliveryRound> => flow.deliverDue({ signal: stop.signal }),
    statusOf: flow.statusOf,
  };
  registerGradeRoutes(o.server, { sessions, courses, assignments, passback });

  return {
    targets,
    outbox,
    passback,
    /** One delivery round, as the timer runs it (tests run it by hand). */
    round,
    close: async () => {
      stop.abort();
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type Passback = ReturnType<typeof buildPassback>['passback'];
