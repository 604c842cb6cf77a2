import { describe, expect, it } from 'vitest';
import { delayText, submittedBy } from './deadlines.ts';
import type { Push } from './push-store.ts';

const push = (after: string, pushedAt: number, key = `${after}@${pushedAt}`): Push => ({
  key,
  projectId: 1,
  ref: 'main',
  before: undefined,
  after,
  pushedAt,
  author: 'bot',
});

describe('what a learner submitted by the deadline', () => {
  it('takes the last push the forge received by the deadline, and the newest one after it as late', () => {
    const s = submittedBy([push('a', 10), push('b', 20), push('c', 40)], 30, new Set());
    expect(s.commit).toEqual({ sha: 'b', pushedAt: 20 });
    expect(s.late).toEqual({ sha: 'c', pushedAt: 40 });
  });

  it('counts a push at its first sighting, whichever report came first', () => {
    // The hook arrived after the deadline (retries), the events API says the forge had it before.
    const s = submittedBy([push('b', 20, 'event:1'), push('b', 35, 'hook:1')], 30, new Set());
    expect(s.commit?.sha).toBe('b');
    expect(s.late).toBeUndefined();
  });

  it("ignores labgate's own merges of the template and deleted branches", () => {
    const deleted = { ...push('x', 5), after: undefined };
    const s = submittedBy([deleted, push('a', 10), push('m', 20), push('n', 50)], 30, new Set(['m', 'n']));
    expect(s.commit?.sha).toBe('a');
    expect(s.late).toBeUndefined();
  });

  it('has nothing to show for a learner who never pushed', () => {
    expect(submittedBy([], 30, new Set())).toEqual({ commit: undefined, late: undefined });
  });

  it('says how late in a glance', () => {
    expect(delayText(59_000)).toBe('1 min');
    expect(delayText(3 * 3600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(delayText(2 * 86400_000 + 4 * 3600_000)).toBe('2 d 4 h');
  });
});
