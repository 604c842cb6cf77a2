import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  createExtensionStore,
  createForkStateStore,
  createPushStore,
  createSubmissionStore,
  type AssignmentStore,
  type CourseStore,
  type RosterStore,
} from '../courses/index.ts';
import type { Db, RunOnce } from '../db/index.ts';
import { AppError } from '../errors.ts';
import {
  changeOpenFile,
  createCourseDeadlines,
  createCourseUpkeep,
  createDeadlineKeeper,
  createForkSync,
  createPushLedger,
  createReceipts,
  type ForkSync,
} from '../flows/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import type { TemplateMirror } from '../gitops/index.ts';
import type { SessionStore } from '../identity/index.ts';
import type { ScratchSandboxes } from '../workspaces/index.ts';
import { registerCourseWorkRoutes } from '../web/routes/course-work-routes.ts';

const roundMs = 30_000;
const reconcileMs = 10 * 60_000;

/** The secret the forge's push hooks carry: derived from the forge token, never stored or logged. */
const hookToken = (forgeToken: string) =>
  createHmac('sha256', forgeToken).update('labgate push hooks v1').digest('base64url');

/**
 * The teacher's console behind the roster: the push ledger (hooks and reconcile), template checks and
 * "Bring forks up to date" (scratch sandboxes, when workspaces run), deadlines, extensions, receipts.
 */
export function buildTeaching(o: {
  server: FastifyInstance;
  db: Db;
  now: () => number;
  publicBaseUrl: URL;
  forge: Forge;
  forgeToken: string;
  provisioner: Provisioner;
  sessions: Pick<SessionStore, 'findSession'>;
  courses: Pick<CourseStore, 'findCourse' | 'findRole'>;
  assignments: AssignmentStore;
  roster: RosterStore;
  /** Whether the upkeep runs its rounds in the background (deadlines every 30 s, reconcile every 10 min). */
  rounds: boolean;
  /** Each round runs on one replica at a time. */
  once: RunOnce;
  /** Present when workspaces run (a container engine): checks and merges need sandboxes. */
  git?: { scratch: ScratchSandboxes; templates: TemplateMirror; image: string };
}) {
  const { db, now } = o;
  const pushes = createPushStore(db, now);
  const states = createForkStateStore(db);
  const extensions = createExtensionStore(db, now);
  const submissions = createSubmissionStore(db);
  const ledger = createPushLedger({
    forge: o.forge,
    pushes,
    hook: { url: new URL('/hooks/forge', o.publicBaseUrl).href, token: hookToken(o.forgeToken) },
    now,
  });
  const forkSync: Pick<ForkSync, 'run'> = o.git
    ? createForkSync({
        forge: o.forge,
        provisioner: o.provisioner,
        scratch: o.git.scratch,
        templates: o.git.templates,
        states,
        pushes,
        settings: { image: o.git.image, workBytes: 256 * 1024 ** 2, concurrency: 2 },
        bot: { name: 'labgate', email: 'labgate@localhost' },
        now,
      })
    : {
        run: async () => {
          throw new AppError({
            code: 'TEACHING_NO_SANDBOX',
            status: 503,
            message: 'Forks are checked and updated in sandboxes, and this labgate runs no container engine.',
            hint: 'Set WORKSPACE_DOCKER_SOCKET (see the README) and restart labgate.',
          });
        },
      };
  const keeper = createDeadlineKeeper({
    forge: o.forge,
    provisioner: o.provisioner,
    ledger,
    pushes,
    extensions,
    submissions,
    states,
    now,
  });
  const onError = (err: unknown, what: string) => o.server.log.warn({ err }, `${what} failed`);
  const upkeep = createCourseUpkeep({
    assignments: o.assignments,
    provisioner: o.provisioner,
    forge: o.forge,
    pushes,
    ledger,
    forkSync,
    keeper,
    onError,
    now,
  });
  const deadlines = createCourseDeadlines({ assignments: o.assignments, extensions, roster: o.roster, now });
  const receipts = createReceipts({ submissions, assignments: o.assignments });
  registerCourseWorkRoutes(o.server, {
    sessions: o.sessions,
    courses: o.courses,
    assignments: o.assignments,
    upkeep,
    keeper,
    deadlines,
    ledger,
    openFiles: {
      change: (a, typed) => changeOpenFile({ assignments: o.assignments, forge: o.forge }, a, typed),
    },
  });
  // A fork made for a learner is watched from then on (its pushes timed by the forge).
  const unsubscribe = o.provisioner.subscribe('change', (job) => {
    if (job.kind === 'fork' && job.status === 'done' && job.state.fork)
      void ledger.watch([job.state.fork.id]).catch((err: unknown) => onError(err, 'watching a fork'));
  });
  let stopped = false;
  let last: Promise<unknown> = Promise.resolve();
  const every = (ms: number, work: () => Promise<unknown>) =>
    setInterval(() => {
      if (stopped) return;
      last = last.then(work).catch((err: unknown) => onError(err, 'course upkeep'));
    }, ms).unref();
  let reconciledAt = now() - 30 * 86_400_000;
  const reconcile = async () => {
    const since = reconciledAt;
    reconciledAt = now();
    await upkeep.reconcile(new Date(since - 86_400_000));
  };
  const rounds = {
    upkeep: () => o.once('course-upkeep', upkeep.round),
    reconcile: () => o.once('template-reconcile', reconcile),
  };
  const timers = o.rounds ? [every(roundMs, rounds.upkeep), every(reconcileMs, rounds.reconcile)] : [];
  return {
    upkeep,
    keeper,
    ledger,
    receipts,
    stores: { pushes, states, extensions, submissions },
    /** The first reconcile: hooks on every fork and template, the events since a month (tests call it). */
    reconcile,
    /** The timers' rounds, once across replicas (tests run them by hand). */
    rounds,
    close: async () => {
      stopped = true;
      timers.forEach(clearInterval);
      unsubscribe();
      await last.catch(() => {});
      await upkeep.settled();
    },
  };
}
