import { describe, expect, it } from 'vitest';
import { createStartSlots } from './start-slots.ts';

describe('start slots', () => {
  it('runs at most `size` at once, in the order asked, and frees a slot on failure too', async () => {
    const slots = createStartSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (n: number, fail = false) =>
      slots.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(n);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        if (fail) throw new Error(`job ${n} failed`);
        return n;
      });
    const results = await Promise.allSettled([job(1, true), job(2), job(3), job(4, true), job(5)]);
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await job(6)).toBe(6); // nothing left held
  });
});
