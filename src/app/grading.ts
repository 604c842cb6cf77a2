import type { Services } from '../app.ts';
import type { Config } from '../config.ts';
import { createExtensionStore, createSubmissionStore } from '../courses/index.ts';
import { createAnswerCheck, createClassGrading } from '../flows/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import { createGradingJobStore } from '../grading/index.ts';
import { connectEngine, createDockerJobs, type SandboxSession, type Workspace } from '../workspaces/index.ts';

/** The container engine submissions are graded on (the workspaces' one). */
export const buildGradingJobs = (config: Config) =>
  createDockerJobs(connectEngine(config.grading.dockerSocket));

/**
 * Class grading on the configured database, forge and container engine, the one way every entry point
 * builds it (Check my answer, the grades page, the CLI): recorded submissions and extensions included.
 */
export function buildClassGrading(o: {
  config: Config;
  services: Pick<Services, 'db' | 'now' | 'courses' | 'assignments'>;
  forge: Forge;
  provisioner: Provisioner;
  image: string;
  uid: number;
}) {
  const s = o.services;
  return createClassGrading({
    forge: o.forge,
    provisioner: o.provisioner,
    courses: s.courses,
    assignments: s.assignments,
    gradingJobs: createGradingJobStore(s.db, s.now),
    sandbox: { jobs: buildGradingJobs(o.config), image: o.image, uid: o.uid },
    maxSubmissionBytes: 200 * 2 ** 20,
    submissions: createSubmissionStore(s.db),
    extensions: createExtensionStore(s.db, s.now),
  });
}

/** Check my answer for the workspaces: the class grading's spec, run on a learner's saved files. */
export function buildAnswerCheck(o: {
  config: Config;
  services: Services;
  forge: Forge;
  provisioner: Provisioner;
}) {
  const ws = o.config.workspaces!;
  const sandbox = { jobs: buildGradingJobs(o.config), image: ws.image, uid: ws.uid };
  const classGrading = buildClassGrading({ ...o, image: ws.image, uid: ws.uid });
  const check = createAnswerCheck({
    classGrading,
    sandbox,
    intervalSeconds: o.config.grading.checkIntervalSeconds,
  });
  return (w: Workspace, session: SandboxSession) => check(w, session);
}
