import type { Assignment, AssignmentStore, ExtensionStore, RosterStore } from '../courses/index.ts';
import { teachingErrors } from './teaching-errors.ts';

export interface CourseDeadlinesDeps {
  assignments: Pick<AssignmentStore, 'setDeadline'>;
  extensions: Pick<ExtensionStore, 'setExtension'>;
  roster: RosterStore;
  now?: () => number;
}

/** An extension's end: a moment, or N days after the assignment's deadline. */
export type ExtensionEnd = { at: number } | { days: number };

const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/** The teacher's deadline and per-learner extensions, refused when they would make no sense. */
export function createCourseDeadlines(d: CourseDeadlinesDeps) {
  const now = d.now ?? Date.now;

  async function setDeadline(a: Assignment, deadline: number): Promise<void> {
    if (deadline <= now()) throw teachingErrors.pastDeadline(iso(deadline));
    await d.assignments.setDeadline(a.id, deadline);
  }

  /**
   * Gives one learner of the course (found by exact name, email, LMS id or GitLab user) their own
   * deadline. Someone the course does not know — never launched from the LMS — is refused.
   */
  async function extend(a: Assignment, who: string, end: ExtensionEnd) {
    const needle = who.trim().toLowerCase();
    const rows = await d.roster(a.courseId, a);
    const matches = rows.filter((r) =>
      [r.name, r.email, r.lmsId, r.gitlabUsername].some((v) => v && v.toLowerCase() === needle),
    );
    if (!needle || matches.length === 0) throw teachingErrors.notInCourse(who);
    if (matches.length > 1) throw teachingErrors.ambiguous(who, matches.length);
    if ('days' in end && a.deadline === undefined) throw teachingErrors.noDeadline();
    const deadline = 'at' in end ? end.at : a.deadline! + end.days * 86_400_000;
    if (deadline <= now()) throw teachingErrors.pastDeadline(iso(deadline));
    const learner = matches[0]!;
    await d.extensions.setExtension(a.id, learner.userId, deadline);
    return { userId: learner.userId, name: learner.name, deadline };
  }

  return { setDeadline, extend };
}

export type CourseDeadlines = ReturnType<typeof createCourseDeadlines>;
