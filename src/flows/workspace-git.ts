import { z } from 'zod';
import type { Forge, Provisioner } from '../forge/index.ts';
import {
  commitAndPush,
  commitLangOf,
  fileUrl,
  gitErrors,
  pull,
  summarize,
  type LearnerRepo,
  type TemplateMirror,
} from '../gitops/index.ts';
import type { Sandbox, SandboxSession, Workspace } from '../workspaces/index.ts';
import { createForgeTokens } from './forge-tokens.ts';

export interface WorkspaceGitDeps {
  forge: Pick<Forge, 'mintRepoToken' | 'revokeRepoToken' | 'findProject'>;
  provisioner: Pick<Provisioner, 'get'>;
  sandbox: Sandbox;
  /** labgate's copies of the templates, read with read-only tokens on labgate's side. */
  templates: TemplateMirror;
  /** `image` is the one a short-lived sandbox runs when the workspace is stopped. */
  settings: { image: string; maxFileBytes: number; diskLimitBytes: number };
  /** Check my answer, when grading is set up: the learner's saved files graded on the visible checks. */
  check?: (ws: Workspace, session: SandboxSession) => Promise<unknown>;
  /**
   * Holds the workspace's lock across labgate replicas while `work` runs (after waiting for another
   * holder); `ran: false` when the wait ran out. Absent: this process's queue alone (one replica).
   */
  exclusive?: <T>(
    workspaceId: string,
    work: () => Promise<T>,
  ) => Promise<{ ran: true; value: T } | { ran: false }>;
}

/** What each operation accepts from the browser. */
const bodies = {
  status: z.object({}).strict(),
  commit: z.object({ message: z.string().max(5_000).optional() }).strict(),
  pull: z.object({}).strict(),
  open: z.object({ path: z.string().min(1).max(4_096) }).strict(),
  check: z.object({}).strict(),
};
export type GitOperation = keyof typeof bodies;
export const gitOperations = Object.keys(bodies) as GitOperation[];

/**
 * The git buttons of a learner's workspace: git runs in the learner's sandbox as them, on their
 * repository, with a token of their fork minted for this one operation and revoked after it.
 * One operation at a time per workspace, across replicas too (`exclusive`).
 */
export function createWorkspaceGit(deps: WorkspaceGitDeps) {
  const queues = new Map<string, Promise<unknown>>();
  const tokens = createForgeTokens(deps.forge);

  async function learnerRepo(
    ws: Workspace,
    session: SandboxSession,
    forkToken: () => Promise<string>,
    locale: string | undefined,
    op: GitOperation,
  ) {
    const job = await deps.provisioner.get(ws.provisioningId);
    const fork = job?.state.fork;
    if (!job || job.spec.kind !== 'fork' || !fork) throw gitErrors.notARepository();
    const templateId = job.state.templateId;
    const repo: LearnerRepo = {
      ctx: {
        folder: session,
        author: { name: job.spec.person.name, email: job.spec.person.email },
        lang: commitLangOf(locale),
      },
      origin: { url: session.forgeUrl(fork.httpUrl), branch: fork.defaultBranch, token: forkToken },
      ...(templateId
        ? {
            template: async () => {
              const t = await tokens.template(templateId);
              // The teacher deleted it: pull still brings in the fork.
              // Pull asks for the teacher's newest (within a second, so a crowd pressing it makes one
              // fetch a second); the other operations take labgate's copy as it is (up to 5 s old).
              return (
                t && deps.templates.source({ id: templateId, ...t }, op === 'pull' ? { maxAgeMs: 1_000 } : {})
              );
            },
          }
        : {}),
      maxFileBytes: deps.settings.maxFileBytes,
      diskLimitBytes: deps.settings.diskLimitBytes,
    };
    return { repo, webUrl: fork.webUrl, forkId: fork.id };
  }

  async function exclusively(ws: Workspace, work: () => Promise<unknown>): Promise<unknown> {
    if (!deps.exclusive) return work();
    const held = await deps.exclusive(ws.id, work);
    if (!held.ran) throw gitErrors.busy();
    return held.value;
  }

  async function perform(ws: Workspace, op: GitOperation, body: unknown, locale?: string): Promise<unknown> {
    const input = bodies[op].safeParse(body ?? {});
    if (!input.success) throw gitErrors.badRequest(op, input.error.issues[0]?.message ?? 'invalid body');
    const session = await deps.sandbox.open({
      userId: ws.userId,
      assignment: ws.assignment,
      image: deps.settings.image,
      network: op !== 'open' && op !== 'check',
    });
    const forkToken = tokens.perOperation();
    try {
      const { repo, webUrl, forkId } = await learnerRepo(
        ws,
        session,
        () => forkToken.get(forkId),
        locale,
        op,
      );
      switch (op) {
        case 'status':
          return await summarize(repo);
        case 'commit':
          return await commitAndPush(repo, input.data as z.infer<typeof bodies.commit>);
        case 'pull':
          return await pull(repo);
        case 'open':
          return { url: await fileUrl(repo, webUrl, (input.data as z.infer<typeof bodies.open>).path) };
        case 'check':
          if (!deps.check) throw gitErrors.badRequest(op, 'checking answers is not set up on this labgate');
          return await deps.check(ws, session);
      }
    } finally {
      await Promise.all([session.close(), forkToken.revoke()]);
    }
  }

  return {
    /**
     * Runs one git operation for the learner's workspace, after any still running there; `locale` (the
     * session's) words the commits labgate makes for them.
     */
    run(ws: Workspace, op: GitOperation, body: unknown, locale?: string): Promise<unknown> {
      const previous = queues.get(ws.id) ?? Promise.resolve();
      const next = previous.catch(() => {}).then(() => exclusively(ws, () => perform(ws, op, body, locale)));
      const tail = next.catch(() => {});
      queues.set(ws.id, tail);
      void tail.then(() => queues.get(ws.id) === tail && queues.delete(ws.id));
      return next;
    },
  };
}

export type WorkspaceGit = ReturnType<typeof createWorkspaceGit>;
