/** Whether `zone` is a time zone this Node knows (IANA names such as Europe/Paris, or UTC). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone name this Node knows, for a list of suggestions. */
export const timeZones = (): string[] => [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC'),
];

/** How far `zone`'s clock is ahead of UTC at the instant `t`, in ms. */
function offsetAt(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(t);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The instant a wall-clock time of `zone` names (`2026-12-18T18:00`, as a datetime-local input sends
 * it), or undefined when it is no date. A time a DST change skips lands as far after it.
 */
export function zonedTime(local: string, zone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  const tries = [asUtc - offsetAt(asUtc, zone)];
  tries.push(asUtc - offsetAt(tries[0]!, zone));
  const exact = tries.filter((t) => offsetAt(t, zone) === asUtc - t);
  // Twice on the clock (DST ends): the later. Never on it (DST starts): the offset before the change.
  if (exact.length) return Math.max(...exact);
  return asUtc - offsetAt(Math.min(...tries), zone);
}
