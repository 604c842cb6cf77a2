import {
  deadlineOf,
  submittedBy,
  type Assignment,
  type ExtensionStore,
  type ForkStateStore,
  type PushStore,
  type Submission,
  type SubmissionStore,
} from '../courses/index.ts';
import type { Forge, Provisioner, Provisioning } from '../forge/index.ts';
import type { PushLedger } from './push-ledger.ts';

export interface DeadlineKeeperDeps {
  forge: Pick<Forge, 'lockBranch' | 'createTag' | 'openBranchToDevelopers'>;
  provisioner: Pick<Provisioner, 'listForks'>;
  ledger: Pick<PushLedger, 'reconcile'>;
  pushes: Pick<PushStore, 'pushesTo'>;
  extensions: Pick<ExtensionStore, 'extensionsOf'>;
  submissions: SubmissionStore;
  states: Pick<ForkStateStore, 'statesOf'>;
  now?: () => number;
}

/** `submitted/20261201T103000Z`: the deadline in UTC, in a form git accepts in a tag name. */
export const submittedTag = (deadline: number) =>
  `submitted/${new Date(deadline)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;

const sameSubmission = (a: Submission, b: Submission) =>
  a.commit?.sha === b.commit?.sha &&
  a.commit?.pushedAt === b.commit?.pushedAt &&
  a.late?.sha === b.late?.sha &&
  a.late?.pushedAt === b.late?.pushedAt;

/**
 * Deadlines by the forge's clock. When a learner's deadline (theirs after an extension) passes, their
 * fork is locked if the assignment says so, the forge's push events are read into the ledger, and the
 * last commit the forge received by then is recorded as submitted and tagged `submitted/<UTC time>` on
 * the fork. Later pushes are recorded as late, with their delay. Extending a recorded deadline unlocks
 * the fork and drops the record until the new deadline.
 */
export function createDeadlineKeeper(d: DeadlineKeeperDeps) {
  const now = d.now ?? Date.now;

  async function recordOne(
    a: Assignment,
    f: Provisioning,
    deadline: number,
    ours: Set<string>,
  ): Promise<Submission> {
    const fork = f.state.fork!;
    const lockedAt =
      a.latePolicy === 'lock' ? (await d.forge.lockBranch(fork.id, fork.defaultBranch), now()) : undefined;
    // After the lock, the forge's events hold every push that made it in (a push racing the lock either
    // made it or was refused).
    await d.ledger.reconcile([fork.id], new Date(Math.min(f.createdAt, deadline) - 86_400_000));
    const s = submittedBy(await d.pushes.pushesTo([fork.id], fork.defaultBranch), deadline, ours);
    let tag: string | undefined;
    if (s.commit) {
      const name = submittedTag(deadline);
      await d.forge.createTag(fork.id, {
        name,
        sha: s.commit.sha,
        message: `Submitted for "${a.title}": the last commit GitLab received by the deadline ${new Date(deadline).toISOString()} (received ${new Date(s.commit.pushedAt).toISOString()}).`,
      });
      tag = name;
    }
    return {
      assignmentId: a.id,
      userId: f.userId,
      forkId: fork.id,
      deadline,
      commit: s.commit,
      late: s.late,
      tag,
      lockedAt,
      recordedAt: now(),
    };
  }

  /**
   * Records the submissions of every learner of `a` whose deadline has passed, and updates late pushes
   * of those already recorded (from the ledger only: cheap enough to run every minute).
   */
  async function keep(a: Assignment): Promise<{ recorded: number; updated: number }> {
    const [forks, extensions, recorded, states] = await Promise.all([
      d.provisioner.listForks(a.courseId, a.slug),
      d.extensions.extensionsOf(a.id),
      d.submissions.submissionsOf(a.id),
      d.states.statesOf(a.id),
    ]);
    const byUser = new Map(recorded.map((s) => [s.userId, s]));
    const ours = new Map(states.map((s) => [s.userId, new Set(s.mergedShas)]));
    const withFork = forks.filter((f) => f.state.fork);
    const pushes = new Map<number, Awaited<ReturnType<PushStore['pushesTo']>>>();
    for (const f of withFork) pushes.set(f.state.fork!.id, []);
    const branch = withFork[0]?.state.fork!.defaultBranch ?? 'main';
    for (const p of await d.pushes.pushesTo([...pushes.keys()], branch)) pushes.get(p.projectId)?.push(p);
    let [made, updated] = [0, 0];
    const failed: string[] = [];
    const keepOne = async (f: Provisioning) => {
      const deadline = deadlineOf(a.deadline, extensions.get(f.userId));
      const existing = byUser.get(f.userId);
      if (existing && existing.deadline !== deadline) {
        // The deadline moved (an extension): the learner may push again until the new one.
        if (existing.lockedAt)
          await d.forge.openBranchToDevelopers(existing.forkId, f.state.fork!.defaultBranch);
        await d.submissions.removeSubmission(a.id, f.userId);
      } else if (existing) {
        const s = submittedBy(pushes.get(existing.forkId) ?? [], deadline!, ours.get(f.userId) ?? new Set());
        // Evidence of lateness only grows: a ledger missing an event never erases a recorded late push.
        const late =
          !s.late || (existing.late && existing.late.pushedAt >= s.late.pushedAt) ? existing.late : s.late;
        const next = { ...existing, late };
        if (!sameSubmission(existing, next)) {
          await d.submissions.saveSubmission(next);
          updated++;
        }
        return;
      }
      if (deadline === undefined || deadline > now()) return;
      await d.submissions.saveSubmission(await recordOne(a, f, deadline, ours.get(f.userId) ?? new Set()));
      made++;
    };
    // One fork the forge cannot lock or tag now waits for the next round; the others go on.
    for (const f of withFork)
      await keepOne(f).catch((err: unknown) =>
        failed.push(
          `${f.state.fork!.pathWithNamespace}: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    if (failed.length > 0)
      throw new Error(
        `${failed.length} submission(s) of ${a.slug} wait for the next round: ${failed.slice(0, 5).join('; ')}`,
      );
    return { recorded: made, updated };
  }

  return { keep };
}

export type DeadlineKeeper = ReturnType<typeof createDeadlineKeeper>;
