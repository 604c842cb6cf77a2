import { cpus } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import type { Config } from '../config.ts';
import type { RosterStore } from '../courses/index.ts';
import { createGradingRuns, type CourseUpkeep } from '../flows/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import { registerGradingRunRoutes } from '../web/routes/grading-run-routes.ts';
import { registerFeedback } from './feedback.ts';
import { registerGraderDesk } from './grader-desk.ts';
import { buildClassGrading } from './grading.ts';
import type { Passback } from './passback.ts';

interface DeskDeps {
  config: Config;
  services: Services;
  forge: Forge | undefined;
  provisioner: Provisioner | undefined;
  roster: RosterStore;
  teaching: { upkeep: Pick<CourseUpkeep, 'eachRound'> } | undefined;
  passback: { passback: Passback };
}

/** Grading a class from the grades page, where a container engine and an image are configured. */
function buildGradingRuns(
  o: DeskDeps,
  log: FastifyInstance['log'],
  onFinished: (assignmentId: string) => Promise<void>,
) {
  const { forge, provisioner, services: s } = o;
  const image = o.config.grading.image;
  if (!forge || !provisioner || !image) return undefined;
  const grading = buildClassGrading({ ...o, forge, provisioner, image, uid: o.config.grading.uid });
  return createGradingRuns({
    grading,
    concurrency: Math.max(1, cpus().length),
    onFinished: (a) => onFinished(a.id),
    onError: (err, what) => log.warn({ err }, `${what} failed`),
    now: s.now,
  });
}

/**
 * The grader's desk as one piece: grading the class from the web, the review pages graders save to,
 * releasing feedback (FEEDBACK.md), the grades page and exports. A grader's change or a new grading
 * flows on to feedback already released and to the LMS.
 */
export function registerDesk(server: FastifyInstance, o: DeskDeps) {
  const log = server.log.child({ feature: 'grader-desk' });
  // Called only after `released` is set (a save or a grading that ends later).
  async function refresh(assignmentId: string, userId?: string) {
    await released?.feedback.refresh(assignmentId, userId).catch((err: unknown) => {
      log.warn({ err, assignmentId }, 'released feedback not refreshed');
    });
  }
  const runs = buildGradingRuns(o, log, refresh);
  const released = registerFeedback(server, { ...o, runs });
  const desk = registerGraderDesk(server, { ...o, onChanged: refresh });
  if (runs) {
    const { sessions, courses, assignments } = o.services;
    registerGradingRunRoutes(server, { sessions, courses, assignments, runs });
    server.addHook('onClose', async () => runs.settled());
  }
  return { ...released, desk, runs };
}
