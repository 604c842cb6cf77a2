import type { Services } from '../app.ts';
import type { Config } from '../config.ts';
import { createExtensionStore } from '../courses/index.ts';
import { createAnswerCheck, createClassGrading } from '../flows/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import { createGradingJobStore } from '../grading/index.ts';
import { connectEngine, createDockerJobs, type SandboxSession, type Workspace } from '../workspaces/index.ts';

/** The container engine submissions are graded on (the workspaces' one). */
export const buildGradingJobs = (config: Config) =>
  createDockerJobs(connectEngine(config.grading.dockerSocket));

/** Check my answer for the workspaces: the class grading's spec, run on a learner's saved files. */
export function buildAnswerCheck(o: {
  config: Config;
  services: Services;
  forge: Forge;
  provisioner: Provisioner;
}) {
  const ws = o.config.workspaces!;
  const sandbox = { jobs: buildGradingJobs(o.config), image: ws.image, uid: ws.uid };
  const classGrading = createClassGrading({
    forge: o.forge,
    provisioner: o.provisioner,
    courses: o.services.courses,
    assignments: o.services.assignments,
    gradingJobs: createGradingJobStore(o.services.db, o.services.now),
    sandbox,
    maxSubmissionBytes: 200 * 2 ** 20,
    extensions: createExtensionStore(o.services.db),
  });
  const check = createAnswerCheck({
    classGrading,
    sandbox,
    intervalSeconds: o.config.grading.checkIntervalSeconds,
  });
  return (w: Workspace, session: SandboxSession) => check(w, session);
}
