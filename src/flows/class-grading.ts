import { randomUUID } from 'node:crypto';
import type {
  Assignment,
  AssignmentStore,
  CourseStore,
  ExtensionStore,
  SubmissionStore,
} from '../courses/index.ts';
import { displayName, pathSlug, type Forge, type Provisioner } from '../forge/index.ts';
import {
  filesOf,
  gradeSubmission,
  runGradingJobs,
  type GradingJobs,
  type GradingJobStore,
} from '../grading/index.ts';
import { gradingError, loadAssignmentSpec } from './assignment-spec.ts';

export interface ClassGradingDeps {
  forge: Forge;
  provisioner: Provisioner;
  courses: CourseStore;
  assignments: AssignmentStore;
  gradingJobs: GradingJobStore;
  sandbox: { jobs: GradingJobs; image: string; uid: number };
  maxSubmissionBytes: number;
  /** What each learner submitted at their deadline, by the forge's clock (once recorded). */
  submissions?: Pick<SubmissionStore, 'submissionsOf'>;
  /** Learners' own deadlines (extensions): answers are revealed to each at theirs. */
  extensions?: Pick<ExtensionStore, 'extensionsOf'>;
}

/**
 * Grading a class: the assignment's private grading repository (made empty in the course group on
 * first need), read at its newest commit, then every learner's fork at the chosen commit, graded in
 * durable jobs. Grading the same commits again reuses the results.
 */
export function createClassGrading(d: ClassGradingDeps) {
  async function assignmentOf(courseId: string, slug: string) {
    const course = await d.courses.findCourse(courseId);
    const assignment = course && (await d.assignments.findAssignment(courseId, slug));
    if (!course || !assignment)
      throw gradingError(
        `There is no assignment ${slug} in course ${courseId}.`,
        'See `labgate assignments list`.',
      );
    return { course, assignment };
  }

  /** The grading repository's path, made (private, empty) when the assignment has none yet. */
  async function ensureGradingRepo(courseId: string, slug: string): Promise<string> {
    const { course, assignment } = await assignmentOf(courseId, slug);
    if (assignment.gradingRepo) return assignment.gradingRepo;
    const group = await d.provisioner.ensureCourseGroup({
      id: course.id,
      path: pathSlug(course.label ?? course.title, 'course'),
      name: displayName(course.title, 'Course'),
    });
    const project = await d.forge.ensureProject({
      namespace: group,
      path: `${assignment.slug}-grading`,
      name: `${assignment.title} (grading)`,
    });
    await d.assignments.setGradingRepo(assignment.id, project.pathWithNamespace);
    return project.pathWithNamespace;
  }

  /** The spec at the grading repository's newest commit, checked against the template. */
  const loadSpec = (assignment: Assignment, gradingRepo: string) =>
    loadAssignmentSpec(d.forge, assignment, gradingRepo, d.maxSubmissionBytes);

  async function gradeClass(o: {
    courseId: string;
    slug: string;
    /** Each learner's newest commit made at or before this time (default: the deadline, if any). */
    at?: Date;
    /** Each learner's newest commit, whatever the deadline. */
    latest?: boolean;
    concurrency: number;
    /** The image to grade in, when not the assignment's workspace image. */
    image?: string;
    onProgress?: (p: { total: number; done: number; failed: number }) => void;
  }) {
    const { assignment } = await assignmentOf(o.courseId, o.slug);
    const spec = await loadSpec(assignment, await ensureGradingRepo(o.courseId, o.slug));
    const runId = randomUUID();
    const deadline = assignment.deadline;
    const at = o.at ?? (o.latest || deadline === undefined ? undefined : new Date(deadline));
    const forks = await d.provisioner.listForks(o.courseId, o.slug);
    // At the deadline, the commit recorded then (the forge's push time, extensions included) is the
    // submission; a commit's own date is the learner's clock and only a fallback before any record.
    const recorded =
      !o.at && !o.latest && d.submissions
        ? new Map((await d.submissions.submissionsOf(assignment.id)).map((s) => [s.userId, s]))
        : new Map<string, never>();
    const unsubmitted: string[] = [];
    for (const f of forks) {
      const fork = f.state.fork!;
      const record = recorded.get(f.userId);
      const commit = record
        ? record.commit && { sha: record.commit.sha }
        : await d.forge.latestCommit(fork.id, fork.defaultBranch, at);
      if (!commit) unsubmitted.push(f.userId);
      else
        await d.gradingJobs.enqueue({
          runId,
          assignmentId: assignment.id,
          userId: f.userId,
          forkId: fork.id,
          submissionCommit: commit.sha,
          gradingCommit: spec.gradingCommit,
        });
    }
    const total = forks.length - unsubmitted.length;
    const counts = await runGradingJobs({
      store: d.gradingJobs,
      runId,
      concurrency: o.concurrency,
      onProgress: (c) => o.onProgress?.({ total, done: c.done, failed: c.failed }),
      grade: async (job) => {
        const tar = await d.forge.archive(job.forkId, job.submissionCommit, d.maxSubmissionBytes);
        const learner = await filesOf(tar, d.maxSubmissionBytes);
        return gradeSubmission(spec.spec, spec.template, learner, {
          ...d.sandbox,
          image: o.image ?? d.sandbox.image,
          gradingCommit: spec.gradingCommit,
        });
      },
    });
    return {
      runId,
      at,
      gradingCommit: spec.gradingCommit,
      counts,
      unsubmitted,
      jobs: await d.gradingJobs.listRun(runId),
    };
  }

  /** The assignment's spec at its grading repository's newest commit (what Check my answer runs). */
  async function assignmentSpec(courseId: string, slug: string) {
    const { assignment } = await assignmentOf(courseId, slug);
    const spec = await loadSpec(assignment, await ensureGradingRepo(courseId, slug));
    const extensions = (await d.extensions?.extensionsOf(assignment.id)) ?? new Map<string, number>();
    return { ...spec, deadline: assignment.deadline, extensions };
  }

  return { ensureGradingRepo, gradeClass, assignmentSpec };
}

export type ClassGrading = ReturnType<typeof createClassGrading>;
