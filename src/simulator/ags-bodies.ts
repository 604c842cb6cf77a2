import { z } from 'zod';

// ISO 8601 date-time *with* a zone (Blackboard and Open edX refuse one without: lti.md §7.2).
const zoned = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** The instant a zoned ISO 8601 time names, in nanoseconds (finer than Date's milliseconds), or undefined. */
export function instantOf(timestamp: string): bigint | undefined {
  const m = zoned.exec(timestamp);
  if (!m) return undefined;
  const zone = m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3]!.toUpperCase();
  const ms = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

const zonedTime = z.string().refine((t) => instantOf(t) !== undefined, {
  message: 'must be an ISO 8601 date and time with a time zone, e.g. 2026-03-01T10:00:00.000Z',
});

/** `POST lineitems` (application/vnd.ims.lis.v2.lineitem+json). @see https://www.imsglobal.org/spec/lti-ags/v2p0#creating-a-new-line-item */
export const lineItemBody = z.object({
  label: z.string().trim().min(1, 'label is required').max(255),
  scoreMaximum: z.number().positive('scoreMaximum must be a number above 0'),
  resourceId: z.string().max(255).optional(),
  resourceLinkId: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  startDateTime: zonedTime.optional(),
  endDateTime: zonedTime.optional(),
});

export const activityProgress = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const;
export const gradingProgress = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const;

/**
 * `POST {lineitem}/scores` (application/vnd.ims.lis.v1.score+json), checked as Open edX's serializer does.
 * @see https://www.imsglobal.org/spec/lti-ags/v2p0#score-publish-service
 */
export const scoreBody = z
  .object({
    userId: z.string().min(1, 'userId is required'),
    scoreGiven: z.number().min(0, 'scoreGiven must not be negative').optional(),
    scoreMaximum: z.number().positive('scoreMaximum must be a number above 0').optional(),
    comment: z.string().max(10_000).optional(),
    activityProgress: z.enum(activityProgress),
    gradingProgress: z.enum(gradingProgress),
    timestamp: zonedTime,
  })
  .refine((s) => s.scoreGiven === undefined || s.scoreMaximum !== undefined, {
    message: 'scoreMaximum is required when scoreGiven is given',
    path: ['scoreMaximum'],
  });

export type ScoreBody = z.infer<typeof scoreBody>;

/** The first problem of a zod failure, as one sentence naming the field. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}
