import type { Assignment, AssignmentStore, PushStore } from '../courses/index.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import type { DeadlineKeeper } from './deadline-keeper.ts';
import type { ForkSync, ForkSyncProgress } from './fork-sync.ts';
import type { PushLedger } from './push-ledger.ts';

export interface CourseUpkeepDeps {
  assignments: Pick<AssignmentStore, 'listAllAssignments'>;
  provisioner: Pick<Provisioner, 'listForks'>;
  forge: Pick<Forge, 'findProject'>;
  pushes: Pick<PushStore, 'projectsHeardSince'>;
  ledger: Pick<PushLedger, 'watch' | 'reconcile'>;
  forkSync: Pick<ForkSync, 'run'>;
  keeper: Pick<DeadlineKeeper, 'keep'>;
  onError: (err: unknown, what: string) => void;
  now?: () => number;
}

/** A class-wide job a teacher started (or the upkeep did), as its progress page shows it. */
export interface CourseTask {
  kind: 'check' | 'update';
  total: number;
  done: number;
  failed: number;
  startedAt: number;
  finishedAt: number | undefined;
  error: string | undefined;
}

/** A class-wide job under way or waiting for the one under way. */
interface Run {
  kind: CourseTask['kind'];
  onlyChanged: boolean;
  task: CourseTask;
  job?: Promise<void>;
}

/**
 * What keeps the teacher's console current without anyone asking: the forge's push hooks and a periodic
 * reconcile fill the push ledger; forks whose head or template moved are checked again; deadlines that
 * passed are recorded. Class-wide jobs run one at a time per assignment, their progress kept here.
 */
export function createCourseUpkeep(d: CourseUpkeepDeps) {
  const now = d.now ?? Date.now;
  const tasks = new Map<string, CourseTask>();
  const running = new Map<string, Run>();
  const queued = new Map<string, Run>();
  let heardUpTo = now();
  let index: { at: number; byProject: Map<number, Assignment[]> } | undefined;
  const alsoEachRound: Array<() => Promise<void>> = [];

  /**
   * Which assignments each project belongs to (as a fork or a template), rebuilt at most once a minute;
   * every project in it is watched by a push hook (a new assignment's template, a new fork).
   */
  async function projectIndex(): Promise<Map<number, Assignment[]>> {
    if (index && now() - index.at < 60_000) return index.byProject;
    const byProject = new Map<number, Assignment[]>();
    const add = (id: number, a: Assignment) => byProject.set(id, [...(byProject.get(id) ?? []), a]);
    for (const a of await d.assignments.listAllAssignments()) {
      for (const f of await d.provisioner.listForks(a.courseId, a.slug)) {
        if (f.state.fork) add(f.state.fork.id, a);
        if (f.state.templateId) add(f.state.templateId, a);
      }
      const template = await d.forge.findProject(a.template).catch(() => undefined);
      if (template) add(template.id, a);
    }
    index = { at: now(), byProject };
    await d.ledger.watch([...byProject.keys()]).catch((err: unknown) => d.onError(err, 'watching projects'));
    return byProject;
  }

  async function assignmentsOf(projectIds: number[]): Promise<Assignment[]> {
    const byProject = await projectIndex();
    const found = new Map<string, Assignment>();
    for (const id of projectIds) for (const a of byProject.get(id) ?? []) found.set(a.id, a);
    return [...found.values()];
  }

  /**
   * Starts a class-wide check (or update) of the assignment's forks and returns its task. While one
   * runs, a request it already covers gets that task; any other (a teacher's update while the upkeep
   * checks changed forks) is queued and runs right after, so no click is ever lost.
   */
  function start(a: Assignment, kind: CourseTask['kind'], onlyChanged = false): CourseTask {
    const current = running.get(a.id);
    const covered = (r: Run) => r.kind === kind && (onlyChanged || !r.onlyChanged);
    if (current) {
      const waiting = queued.get(a.id);
      if (covered(current)) return current.task;
      if (waiting && covered(waiting)) return waiting.task;
      const next: Run = { kind, onlyChanged, task: newTask(kind) };
      queued.set(a.id, next);
      tasks.set(a.id, next.task);
      return next.task;
    }
    const run: Run = { kind, onlyChanged, task: newTask(kind) };
    tasks.set(a.id, run.task);
    launch(a, run);
    return run.task;
  }

  const newTask = (kind: CourseTask['kind']): CourseTask => ({
    kind,
    total: 0,
    done: 0,
    failed: 0,
    startedAt: now(),
    finishedAt: undefined,
    error: undefined,
  });

  function launch(a: Assignment, run: Run) {
    const { task, kind } = run;
    task.startedAt = now();
    const onProgress = (p: ForkSyncProgress) => Object.assign(task, p);
    run.job = d.forkSync
      .run(a, { update: kind === 'update', onlyChanged: run.onlyChanged, onProgress })
      .then(() => undefined)
      .catch((err: unknown) => {
        task.error = err instanceof Error ? err.message : String(err);
        d.onError(err, `${kind} of ${a.courseId}/${a.slug}`);
      })
      .finally(() => {
        task.finishedAt = now();
        running.delete(a.id);
        const next = queued.get(a.id);
        queued.delete(a.id);
        if (next) launch(a, next);
      });
    running.set(a.id, run);
  }

  /** One round: react to pushes heard since the last round, then record deadlines that passed. */
  async function round(): Promise<void> {
    const since = heardUpTo;
    heardUpTo = now();
    const heard = await d.pushes.projectsHeardSince(since - 1);
    for (const a of await assignmentsOf(heard)) start(a, 'check', true);
    for (const a of await d.assignments.listAllAssignments()) {
      if (a.deadline === undefined) continue;
      try {
        await d.keeper.keep(a);
      } catch (err) {
        d.onError(err, `deadline of ${a.courseId}/${a.slug}`);
      }
    }
    for (const work of alsoEachRound) await work().catch((err: unknown) => d.onError(err, 'a round’s work'));
  }

  /**
   * The fallback for lost hooks: reads the forge's push events of every fork and template of the
   * assignments into the ledger, and makes sure each is watched by a push hook.
   */
  async function reconcile(since: Date): Promise<void> {
    for (const a of await d.assignments.listAllAssignments()) {
      const ids = (await d.provisioner.listForks(a.courseId, a.slug)).flatMap((f) =>
        f.state.fork ? [f.state.fork.id] : [],
      );
      const template = await d.forge.findProject(a.template).catch(() => undefined);
      if (template) ids.push(template.id);
      await d.ledger.watch(ids);
      await d.ledger.reconcile(ids, since);
    }
  }

  return {
    start,
    task: (assignmentId: string) => tasks.get(assignmentId),
    round,
    /** Adds work to every round, after the deadlines (e.g. FEEDBACK.md deliveries); its failures are reported. */
    eachRound: (work: () => Promise<void>) => void alsoEachRound.push(work),
    reconcile,
    /** Resolves when the assignment's running job (if any) ends (tests, shutdown). */
    settled: async (assignmentId?: string) => {
      // A queued job starts when the one before it ends: wait until nothing runs.
      for (;;) {
        const jobs = (assignmentId ? [running.get(assignmentId)] : [...running.values()]).flatMap((r) =>
          r?.job ? [r.job] : [],
        );
        if (jobs.length === 0) return;
        await Promise.allSettled(jobs);
      }
    },
  };
}

export type CourseUpkeep = ReturnType<typeof createCourseUpkeep>;
