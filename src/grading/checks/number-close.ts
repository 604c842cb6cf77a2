import type { z } from 'zod';
import type { tolerance } from '../spec/grading-spec.ts';

/** A tolerance as grading.yml writes it: either field may be left out. */
export type Tolerance = z.infer<typeof tolerance>;

export interface Closeness {
  rtol: number;
  atol: number;
}

/** Used when grading.yml names one field of a tolerance and not the other (the spec's own defaults). */
export const fallbackTolerance: Closeness = { rtol: 1e-6, atol: 1e-9 };

/** A check's tolerance over the spec's defaults, field by field. */
export const mergeTolerance = (defaults: Tolerance, own: Tolerance | undefined): Closeness => ({
  rtol: own?.rtol ?? defaults.rtol ?? fallbackTolerance.rtol,
  atol: own?.atol ?? defaults.atol ?? fallbackTolerance.atol,
});

/** numpy.isclose: |a − e| ≤ atol + rtol·|e|; infinities equal themselves; NaN only NaN, and only if asked. */
export function isClose(seen: number, expected: number, tol: Closeness, equalNan: boolean): boolean {
  if (Number.isNaN(seen) || Number.isNaN(expected))
    return equalNan && Number.isNaN(seen) && Number.isNaN(expected);
  if (!Number.isFinite(seen) || !Number.isFinite(expected)) return seen === expected;
  return Math.abs(seen - expected) <= tol.atol + tol.rtol * Math.abs(expected);
}
