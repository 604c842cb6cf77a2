import { describe, expect, it } from 'vitest';
import type { Assignment, RosterRow, Submission } from '../courses/index.ts';
import { fallbackFolder } from './collect-paths.ts';
import { planLearners } from './collect-plan.ts';

const assignment = { id: 'a', slug: 'ex1', deadline: 1000 } as Assignment;
const person = (userId: string, gitlabUsername: string) =>
  ({ userId, name: userId, lmsId: `lms-${userId}`, gitlabUsername }) as RosterRow;
const submission = (userId: string, deadline = 2000): Submission => ({
  assignmentId: 'a',
  userId,
  forkId: 1,
  deadline,
  commit: { sha: 'c'.repeat(40), pushedAt: 900 },
  tag: undefined,
  lockedAt: undefined,
  recordedAt: 2000,
  late: undefined,
});

describe('planning a collection', () => {
  it('gives each learner one folder: their username when safe and free, else a hash of their id', () => {
    const plan = planLearners(
      assignment,
      [person('u1', 'ada'), person('u2', 'ADA'), person('u3', '../evil'), person('u4', '')],
      [submission('u1'), submission('gone')],
    );
    const folder = Object.fromEntries(plan.map((l) => [l.userId, l.folder]));
    expect(folder).toEqual({
      u1: 'ada',
      u2: fallbackFolder('u2'), // ADA is ada on a case-insensitive disk
      u3: fallbackFolder('u3'),
      u4: fallbackFolder('u4'),
      gone: fallbackFolder('gone'), // left the course, submission kept
    });
    expect(plan.find((l) => l.userId === 'u1')).toMatchObject({ deadline: 2000, lmsId: 'lms-u1' });
    expect(plan.find((l) => l.userId === 'u2')).toMatchObject({ deadline: 1000, submission: undefined });
  });
});
