import { timingSafeEqual, createHash } from 'node:crypto';
import { z } from 'zod';
import type { PushStore } from '../courses/index.ts';
import { AppError } from '../errors.ts';
import type { Forge } from '../forge/index.ts';

export interface PushLedgerDeps {
  forge: Pick<Forge, 'ensurePushHook' | 'pushEvents'>;
  pushes: PushStore;
  /** Where the forge posts push hooks (labgate's public URL + /hooks/forge), and their shared secret. */
  hook: { url: string; token: string };
  now?: () => number;
}

const sha = z.string().regex(/^[0-9a-f]{40}$/);
const zeros = '0'.repeat(40);

/** GitLab's Push Hook body, as much of it as labgate reads (notes/teacher.md §1.3). */
const pushHook = z.object({
  object_kind: z.literal('push'),
  ref: z.string().startsWith('refs/heads/').max(300),
  before: sha,
  after: sha,
  project_id: z.number().int().positive(),
  user_username: z.string().max(255).optional(),
});

const same = (a: string, b: string) => {
  const [x, y] = [a, b].map((s) => createHash('sha256').update(s).digest());
  return timingSafeEqual(x!, y!);
};

const refused = () =>
  new AppError({
    code: 'FORGE_HOOK_REFUSED',
    status: 401,
    message: 'This hook does not carry the token labgate gave the forge.',
  });

/**
 * The forge's push ledger: push hooks (a trigger, answered at once) and the events API (the record,
 * with the forge's own times) feed the same table, so a hook lost or late changes nothing.
 */
export function createPushLedger(d: PushLedgerDeps) {
  const now = d.now ?? Date.now;

  /**
   * A push hook as the forge sent it. Anything that is not a branch push of interest is accepted and
   * dropped: a 4xx would make GitLab disable the hook.
   */
  async function receive(headers: Record<string, string | string[] | undefined>, body: unknown) {
    const token = headers['x-gitlab-token'];
    if (typeof token !== 'string' || !same(token, d.hook.token)) throw refused();
    const parsed = pushHook.safeParse(body);
    if (!parsed.success) return { recorded: false };
    const p = parsed.data;
    const key = headers['idempotency-key'] ?? headers['x-gitlab-webhook-uuid'];
    const recorded = await d.pushes.record({
      key: `hook:${typeof key === 'string' && key ? key : `${p.project_id}:${p.before}:${p.after}`}`,
      projectId: p.project_id,
      ref: p.ref.slice('refs/heads/'.length),
      before: p.before === zeros ? undefined : p.before,
      after: p.after === zeros ? undefined : p.after,
      // The hook's body has no time: its arrival is the forge's push time to within its queue's delay.
      pushedAt: now(),
      author: p.user_username ?? '',
    });
    return { recorded, projectId: p.project_id };
  }

  /** Reads the forge's events of these projects since `since` into the ledger (the periodic reconcile). */
  async function reconcile(projectIds: number[], since: Date): Promise<number> {
    let added = 0;
    for (const id of projectIds)
      for (const e of await d.forge.pushEvents(id, since)) if (await d.pushes.record(e)) added++;
    return added;
  }

  /** Asks the forge to post pushes to these projects to labgate (once per project; safe to repeat). */
  const watched = new Set<number>();
  async function watch(projectIds: number[]): Promise<void> {
    for (const id of projectIds) {
      if (watched.has(id)) continue;
      await d.forge.ensurePushHook(id, d.hook);
      watched.add(id);
    }
  }

  return { receive, reconcile, watch };
}

export type PushLedger = ReturnType<typeof createPushLedger>;
