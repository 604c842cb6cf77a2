import path from 'node:path';
import { z } from 'zod';
import type { Forge, Provisioner } from '../forge/index.ts';
import {
  commitAndPush,
  fileUrl,
  gitErrors,
  pull,
  summarize,
  type LearnerRepo,
  type Remote,
} from '../gitops/index.ts';
import { workspaceFolder, type Workspace } from '../workspaces/index.ts';

export interface WorkspaceGitDeps {
  forge: Pick<Forge, 'mintRepoToken' | 'findProject'>;
  provisioner: Pick<Provisioner, 'get'>;
  /** labgate's forge token: reads the teacher's template, from labgate's side only. */
  forgeToken: string;
  settings: { root: string; workspaceUid: number; maxFileBytes: number };
}

/** What each operation accepts from the browser. */
const bodies = {
  status: z.object({}).strict(),
  commit: z.object({ message: z.string().max(5_000).optional() }).strict(),
  pull: z.object({}).strict(),
  open: z.object({ path: z.string().min(1).max(4_096) }).strict(),
};
export type GitOperation = keyof typeof bodies;
export const gitOperations = Object.keys(bodies) as GitOperation[];

const tokenReuseMs = 12 * 3600_000;
const templateReuseMs = 5 * 60_000;

/**
 * The git buttons of a learner's workspace: the repository in their folder, their fork and the
 * template found from their provisioning job, one operation at a time per workspace.
 */
export function createWorkspaceGit(deps: WorkspaceGitDeps) {
  const queues = new Map<string, Promise<unknown>>();
  const forkTokens = new Map<number, { token: string; at: number }>();
  const templates = new Map<number, { remote: Omit<Remote, 'token'>; at: number }>();

  const forkToken = (forkId: number) => async () => {
    const cached = forkTokens.get(forkId);
    if (cached && Date.now() - cached.at < tokenReuseMs) return cached.token;
    const { token } = await deps.forge.mintRepoToken(forkId, { days: 2 });
    forkTokens.set(forkId, { token, at: Date.now() });
    return token;
  };

  async function templateRemote(templateId: number): Promise<Remote | undefined> {
    let cached = templates.get(templateId);
    if (!cached || Date.now() - cached.at > templateReuseMs) {
      const project = await deps.forge.findProject(templateId);
      if (!project) return undefined; // the teacher deleted it: pull still brings in the fork
      cached = { remote: { url: project.httpUrl, branch: project.defaultBranch }, at: Date.now() };
      templates.set(templateId, cached);
    }
    return { ...cached.remote, token: async () => deps.forgeToken };
  }

  async function learnerRepo(ws: Workspace): Promise<{ repo: LearnerRepo; webUrl: string }> {
    const job = await deps.provisioner.get(ws.provisioningId);
    const fork = job?.state.fork;
    if (!job || job.spec.kind !== 'fork' || !fork) throw gitErrors.notARepository();
    const template = job.state.templateId ? await templateRemote(job.state.templateId) : undefined;
    return {
      webUrl: fork.webUrl,
      repo: {
        ctx: {
          dir: path.join(deps.settings.root, workspaceFolder(ws.userId, ws.assignment)),
          uid: deps.settings.workspaceUid,
          author: { name: job.spec.person.name, email: job.spec.person.email },
        },
        origin: { url: fork.httpUrl, branch: fork.defaultBranch, token: forkToken(fork.id) },
        ...(template ? { template } : {}),
        maxFileBytes: deps.settings.maxFileBytes,
      },
    };
  }

  async function perform(ws: Workspace, op: GitOperation, body: unknown): Promise<unknown> {
    const input = bodies[op].safeParse(body ?? {});
    if (!input.success) throw gitErrors.badRequest(op, input.error.issues[0]?.message ?? 'invalid body');
    const { repo, webUrl } = await learnerRepo(ws);
    switch (op) {
      case 'status':
        return summarize(repo);
      case 'commit':
        return commitAndPush(repo, input.data as z.infer<typeof bodies.commit>);
      case 'pull':
        return pull(repo);
      case 'open':
        return { url: await fileUrl(repo, webUrl, (input.data as z.infer<typeof bodies.open>).path) };
    }
  }

  return {
    /** Runs one git operation for the learner's workspace, after any still running there. */
    run(ws: Workspace, op: GitOperation, body: unknown): Promise<unknown> {
      const previous = queues.get(ws.id) ?? Promise.resolve();
      const next = previous.catch(() => {}).then(() => perform(ws, op, body));
      const tail = next.catch(() => {});
      queues.set(ws.id, tail);
      void tail.then(() => queues.get(ws.id) === tail && queues.delete(ws.id));
      return next;
    },
  };
}

export type WorkspaceGit = ReturnType<typeof createWorkspaceGit>;
