import { describe, expect, it } from 'vitest';
import { phaseDurations, startTimeline } from './launch-timeline.ts';

describe('a launch timeline', () => {
  it('times overlapping phases from the launch, then the first page once', async () => {
    let t = 1000;
    const clock = startTimeline(() => t);
    let endFork!: () => void;
    const fork = clock.time('fork', () => new Promise<void>((r) => (endFork = r)));
    t = 1100;
    await clock.time('container', async () => void (t = 1700));
    t = 2300;
    endFork();
    await fork;
    expect(clock.entered()).toBe(false); // not ready yet: no first page
    clock.ready();
    t = 2900;
    expect(clock.entered()).toBe(true);
    expect(clock.entered()).toBe(false);
    const snap = clock.snapshot();
    expect(snap.readyMs).toBe(1300);
    expect(snap.phases).toEqual([
      { phase: 'fork', startMs: 0, endMs: 1300 },
      { phase: 'container', startMs: 100, endMs: 700 },
      { phase: 'page', startMs: 1300, endMs: 1900 },
    ]);
    expect(phaseDurations(snap)).toEqual({ fork: 1300, container: 600, page: 600 });
  });

  it('ends a phase that fails, and lets the failure through', async () => {
    let t = 0;
    const clock = startTimeline(() => t);
    await expect(
      clock.time('clone', async () => {
        t = 40;
        throw new Error('no fork');
      }),
    ).rejects.toThrow('no fork');
    expect(clock.snapshot().phases).toEqual([{ phase: 'clone', startMs: 0, endMs: 40 }]);
  });
});
