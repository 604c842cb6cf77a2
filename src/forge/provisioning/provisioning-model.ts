import { z } from 'zod';

const person = z.object({
  externUid: z.string(),
  username: z.string(),
  name: z.string(),
  email: z.string(),
});
const course = z.object({ id: z.string(), path: z.string(), name: z.string() });

/** Who and what a job provisions, fixed when the launch asked for it. */
export const provisionSpec = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('fork'),
    person,
    course,
    assignment: z.object({ slug: z.string(), title: z.string(), template: z.string() }),
  }),
  z.object({ kind: z.literal('staff'), person, course, access: z.union([z.literal(20), z.literal(40)]) }),
]);
export type ProvisionSpec = z.infer<typeof provisionSpec>;

/** What the steps so far learnt from GitLab; saved after every step so a restart resumes there. */
export const provisionState = z.object({
  forgeUser: z.object({ id: z.number(), username: z.string() }).optional(),
  group: z.object({ id: z.number(), fullPath: z.string(), webUrl: z.string() }).optional(),
  templateId: z.number().optional(),
  forkAttempt: z.number().default(0),
  forkFailures: z.number().default(0),
  fork: z
    .object({
      id: z.number(),
      pathWithNamespace: z.string(),
      webUrl: z.string(),
      httpUrl: z.string(),
      defaultBranch: z.string(),
      requestedAt: z.number(),
      polls: z.number().default(0),
    })
    .optional(),
});
export type ProvisionState = z.infer<typeof provisionState>;

export const forkSteps = ['account', 'group', 'template', 'fork', 'fork_wait', 'access', 'done'] as const;
export const staffSteps = ['account', 'group', 'membership', 'done'] as const;
export type ProvisionStep = (typeof forkSteps)[number] | (typeof staffSteps)[number];

/** queued: due at next_run_at; running: leased by one process; done and failed are final until relaunched. */
export type ProvisionStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Provisioning {
  id: string;
  kind: ProvisionSpec['kind'];
  userId: string;
  status: ProvisionStatus;
  step: ProvisionStep;
  spec: ProvisionSpec;
  state: ProvisionState;
  attempts: number;
  error: { code: string; message: string } | undefined;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | undefined;
}
