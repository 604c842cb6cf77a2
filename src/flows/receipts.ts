import type { Assignment, AssignmentStore, SubmissionStore } from '../courses/index.ts';

/** What a learner is shown of a submission: enough to prove what they handed in, and when. */
export interface Receipt {
  courseId: string;
  slug: string;
  title: string;
  deadline: number;
  /** Undefined: the forge received nothing from them before the deadline. */
  commit: string | undefined;
  receivedAt: number | undefined;
  tag: string | undefined;
  /** Their newest push after the deadline, if any (late). */
  late: { commit: string; receivedAt: number; byMs: number } | undefined;
}

const toReceipt = (
  a: Assignment,
  s: Awaited<ReturnType<SubmissionStore['submissionsOfUser']>>[number],
): Receipt => ({
  courseId: a.courseId,
  slug: a.slug,
  title: a.title,
  deadline: s.deadline,
  commit: s.commit?.sha,
  receivedAt: s.commit?.pushedAt,
  tag: s.tag,
  late: s.late && { commit: s.late.sha, receivedAt: s.late.pushedAt, byMs: s.late.pushedAt - s.deadline },
});

/** A learner's receipts: one per assignment whose deadline passed for them. */
export function createReceipts(d: {
  submissions: Pick<SubmissionStore, 'submissionsOfUser'>;
  assignments: Pick<AssignmentStore, 'findAssignmentById'>;
}) {
  async function receiptsOf(userId: string): Promise<Receipt[]> {
    const receipts: Receipt[] = [];
    for (const s of await d.submissions.submissionsOfUser(userId)) {
      const a = await d.assignments.findAssignmentById(s.assignmentId);
      if (a) receipts.push(toReceipt(a, s));
    }
    return receipts.sort((x, y) => y.deadline - x.deadline);
  }

  async function receipt(userId: string, courseId: string, slug: string): Promise<Receipt | undefined> {
    return (await receiptsOf(userId)).find((r) => r.courseId === courseId && r.slug === slug);
  }

  return { receiptsOf, receipt };
}

export type Receipts = ReturnType<typeof createReceipts>;
