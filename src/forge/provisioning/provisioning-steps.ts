import { ensureCourseGroup, type CourseGroups } from '../course-group.ts';
import type { Forge } from '../forge.ts';
import { displayName, pathSlug, withSuffix } from '../forge-names.ts';
import type { ProvisionSpec, ProvisionState, ProvisionStep } from './provisioning-model.ts';
import { provisionErrors } from './provisioning-errors.ts';

export interface StepContext {
  forge: Forge;
  spec: ProvisionSpec;
  state: ProvisionState;
  now: () => number;
  /** The operator's top group (FORGE_GROUP); course groups live under it. */
  rootGroupPath: string;
  forkTimeoutMs: number;
  courseGroups: CourseGroups;
}

/** Where to go next; `waitMs` puts the job back in the queue instead of holding a worker. */
export interface StepResult {
  next: ProvisionStep;
  state: ProvisionState;
  waitMs?: number;
}

// GitLab's fork worker fails now and then (its Sidekiq queue, storage hiccups). Giving up after 3 would
// strand about one learner in 40 runs of 200 at a 5% failure rate; after 5, one in 30,000 runs.
const maxForkFailures = 5;
const maxPathAttempts = 50;
// Polling a fork: quickly at first (most finish in a second or two), then every 5 s (gitlab.md §7).
const pollDelays = [300, 500, 1000, 2000, 5000];

type Step = (c: StepContext) => Promise<StepResult>;

const account: Step = async ({ forge, spec, state }) => ({
  next: 'group',
  state: { ...state, forgeUser: await forge.ensureUser(spec.person) },
});

const group: Step = async ({ forge, spec, state, rootGroupPath, courseGroups }) => ({
  next: spec.kind === 'fork' ? 'template' : 'membership',
  state: { ...state, group: await ensureCourseGroup(forge, rootGroupPath, spec.course, courseGroups) },
});

const membership: Step = async ({ forge, spec, state }) => {
  if (spec.kind !== 'staff') throw new Error('membership is a staff step');
  await forge.grantGroupAccess(state.group!.id, state.forgeUser!.id, spec.access);
  return { next: 'done', state };
};

const template: Step = async ({ forge, spec, state }) => {
  if (spec.kind !== 'fork') throw new Error('template is a fork step');
  const project = await forge.findProject(spec.assignment.template);
  if (!project) throw provisionErrors.templateMissing(spec.assignment.template);
  if (project.emptyRepo) throw provisionErrors.templateEmpty(spec.assignment.template);
  return { next: 'fork', state: { ...state, templateId: project.id } };
};

function forkNames(spec: Extract<ProvisionSpec, { kind: 'fork' }>, username: string, attempt: number) {
  const path = withSuffix(pathSlug(`${spec.assignment.slug}-${username}`, `fork-${username}`, 200), attempt);
  const name = displayName(`${spec.assignment.title} ${username}`, username);
  return { path, name: attempt ? `${name.slice(0, 240)} ${attempt + 1}` : name };
}

const fork: Step = async ({ forge, spec, state, now }) => {
  if (spec.kind !== 'fork') throw new Error('fork is a fork step');
  if (state.forkAttempt >= maxPathAttempts) throw provisionErrors.noFreePath(state.group!.fullPath);
  const names = forkNames(spec, state.forgeUser!.username, state.forkAttempt);
  const started = await forge.startFork({ templateId: state.templateId!, namespace: state.group!, ...names });
  if ('taken' in started) return { next: 'fork', state: { ...state, forkAttempt: state.forkAttempt + 1 } };
  const p = started.project;
  if (p.importStatus === 'failed') {
    // A failed copy found at our path (GitLab may keep it until deletion completes): clear it, move on.
    await forge.deleteProject(p.id);
    return { next: 'fork', state: { ...state, forkAttempt: state.forkAttempt + 1 } };
  }
  const record = {
    id: p.id,
    pathWithNamespace: p.pathWithNamespace,
    webUrl: p.webUrl,
    httpUrl: p.httpUrl,
    defaultBranch: p.defaultBranch,
    requestedAt: now(),
    polls: 0,
  };
  return { next: 'fork_wait', state: { ...state, fork: record }, waitMs: pollDelays[0]! };
};

const forkWait: Step = async ({ forge, state, now, forkTimeoutMs }) => {
  const recorded = state.fork!;
  const project = await forge.findProject(recorded.id);
  if (!project) return { next: 'fork', state: { ...state, fork: undefined } };
  if (project.importStatus === 'finished' || project.importStatus === 'none') {
    return {
      next: 'access',
      state: { ...state, fork: { ...recorded, defaultBranch: project.defaultBranch } },
    };
  }
  const timedOut = now() - recorded.requestedAt > forkTimeoutMs;
  if (project.importStatus === 'failed' || timedOut) {
    const failures = state.forkFailures + 1;
    await forge.deleteProject(recorded.id);
    if (failures >= maxForkFailures)
      throw provisionErrors.forkKeepsFailing(failures, timedOut ? 'no answer in time' : project.importError);
    return { next: 'fork', state: { ...state, fork: undefined, forkFailures: failures } };
  }
  const polls = recorded.polls + 1;
  return {
    next: 'fork_wait',
    state: { ...state, fork: { ...recorded, polls } },
    waitMs: pollDelays[Math.min(polls, pollDelays.length - 1)]!,
  };
};

const access: Step = async ({ forge, state }) => {
  const f = state.fork!;
  await forge.grantProjectAccess(f.id, state.forgeUser!.id, 30);
  await forge.openBranchToDevelopers(f.id, f.defaultBranch);
  return { next: 'done', state };
};

export const steps: Record<Exclude<ProvisionStep, 'done'>, Step> = {
  account,
  group,
  membership,
  template,
  fork,
  fork_wait: forkWait,
  access,
};
