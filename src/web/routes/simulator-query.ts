import { z } from 'zod';
import type { SimulatedLaunch } from '../../simulator/index.ts';
import { webErrors } from '../web-errors.ts';

const launchQuery = z.object({
  version: z.enum(['1.1', '1.3']).default('1.1'),
  flavour: z.enum(['openedx', 'moodle']).default('openedx'),
  role: z.enum(['learner', 'teacher']).default('learner'),
  locale: z.enum(['fr', 'en']).default('fr'),
  name: z.string().max(200).optional(),
  userId: z.string().max(200).optional(),
  assignment: z.string().max(60).optional(),
});

export type SimulatorLaunchQuery = z.infer<typeof launchQuery>;

/** Who the simulator launches as, from its page's form (or a test's URL). */
export function parseSimulatorQuery(query: unknown): SimulatorLaunchQuery {
  const parsed = launchQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw webErrors.badRequest(`simulator parameter "${String(issue.path[0])}": ${issue.message}`);
  }
  return parsed.data;
}

export const simulatedPerson = (q: SimulatorLaunchQuery): SimulatedLaunch => ({
  flavour: q.flavour,
  role: q.role,
  locale: q.locale,
  ...(q.name ? { name: q.name } : {}),
  ...(q.userId ? { userId: q.userId } : {}),
  ...(q.assignment ? { assignment: q.assignment } : {}),
});
