import { describe, expect, it } from 'vitest';
import type { Assignment } from '../courses/index.ts';
import { createCourseUpkeep } from './course-upkeep.ts';

const assignment = { id: 'a1', courseId: 'c1', slug: 'ex1' } as Assignment;

/** A fork sync whose runs end when the test says so, each recorded with what it was asked. */
function heldForkSync() {
  const runs: Array<{ update: boolean; onlyChanged: boolean; end: () => void }> = [];
  return {
    runs,
    forkSync: {
      run: (_a: Assignment, o: { update: boolean; onlyChanged?: boolean }) =>
        new Promise<never[]>((resolve) => {
          runs.push({ update: o.update, onlyChanged: !!o.onlyChanged, end: () => resolve([]) });
        }),
    },
  };
}

function upkeepWith(forkSync: ReturnType<typeof heldForkSync>['forkSync']) {
  return createCourseUpkeep({
    assignments: { listAllAssignments: async () => [] },
    provisioner: { listForks: async () => [] },
    forge: { findProject: async () => undefined },
    pushes: { projectsHeardSince: async () => [] },
    ledger: { watch: async () => undefined, reconcile: async () => 0 },
    forkSync: forkSync as never,
    keeper: { keep: async () => ({ recorded: 0, updated: 0 }) },
    onError: () => undefined,
  });
}

describe('class-wide jobs of an assignment', () => {
  it('runs a teacher’s update asked while the upkeep checks changed forks right after it: no click lost', async () => {
    const held = heldForkSync();
    const upkeep = upkeepWith(held.forkSync);
    const check = upkeep.start(assignment, 'check', true);
    const update = upkeep.start(assignment, 'update');
    expect(update).not.toBe(check);
    expect(upkeep.task(assignment.id)).toBe(update);
    expect(upkeep.start(assignment, 'update')).toBe(update); // asked twice: still one
    expect(upkeep.start(assignment, 'check', true)).toBe(check); // covered by the check under way
    expect(held.runs.map((r) => r.update)).toEqual([false]);
    held.runs[0]!.end();
    await expect.poll(() => held.runs.length).toBe(2);
    expect(held.runs[1]).toMatchObject({ update: true, onlyChanged: false });
    expect(update.finishedAt).toBeUndefined();
    const settled = upkeep.settled(assignment.id);
    held.runs[1]!.end();
    await settled;
    expect(update.finishedAt).toBeDefined();
    expect(check.finishedAt).toBeDefined();
  });

  it('a full check asked during a check of changed forks only runs next; another of changed forks does not', async () => {
    const held = heldForkSync();
    const upkeep = upkeepWith(held.forkSync);
    upkeep.start(assignment, 'check', true);
    const full = upkeep.start(assignment, 'check');
    expect(upkeep.start(assignment, 'check')).toBe(full);
    held.runs[0]!.end();
    await expect.poll(() => held.runs.length).toBe(2);
    expect(held.runs[1]).toMatchObject({ update: false, onlyChanged: false });
    held.runs[1]!.end();
    await upkeep.settled();
  });
});
