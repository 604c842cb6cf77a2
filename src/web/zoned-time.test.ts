import { describe, expect, it } from 'vitest';
import { isTimeZone, zonedTime } from './zoned-time.ts';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('a deadline typed as a wall-clock time in a time zone', () => {
  it('is the instant that time names there, summer and winter', () => {
    expect(iso(zonedTime('2026-12-18T18:00', 'Europe/Paris'))).toBe('2026-12-18T17:00:00.000Z');
    expect(iso(zonedTime('2026-06-18T18:00', 'Europe/Paris'))).toBe('2026-06-18T16:00:00.000Z');
    expect(iso(zonedTime('2026-12-18T18:00:30', 'America/New_York'))).toBe('2026-12-18T23:00:30.000Z');
    expect(iso(zonedTime('2026-12-18T18:00', 'UTC'))).toBe('2026-12-18T18:00:00.000Z');
    expect(iso(zonedTime('2026-12-18T18:00', 'Asia/Kolkata'))).toBe('2026-12-18T12:30:00.000Z');
  });

  it('takes a time skipped by DST as that far after the change, and a repeated one as the later', () => {
    expect(iso(zonedTime('2026-03-29T02:30', 'Europe/Paris'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedTime('2026-03-08T02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedTime('2026-03-08T03:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedTime('2026-03-08T01:30', 'America/New_York'))).toBe('2026-03-08T06:30:00.000Z');
    expect(iso(zonedTime('2026-10-25T02:30', 'Europe/Paris'))).toBe('2026-10-25T01:30:00.000Z');
  });

  it('refuses what is no date, and knows time zones by their IANA name', () => {
    for (const bad of ['2026-02-30T10:00', '2026-12-18', 'tomorrow', '2026-12-18T24:00', ''])
      expect(zonedTime(bad, 'UTC'), bad).toBeUndefined();
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
