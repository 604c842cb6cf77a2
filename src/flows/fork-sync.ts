import type { Assignment, ForkStateStore, PushStore } from '../courses/index.ts';
import type { Forge, Provisioner, Provisioning } from '../forge/index.ts';
import {
  mergeTemplate,
  type TemplateMerge,
  type TemplateMirror,
  type TemplateSource,
} from '../gitops/index.ts';
import type { SandboxSession, ScratchTarget } from '../workspaces/index.ts';
import { createForgeTokens } from './forge-tokens.ts';

export interface ForkSyncDeps {
  forge: Pick<Forge, 'mintRepoToken' | 'revokeRepoToken' | 'findProject'>;
  provisioner: Pick<Provisioner, 'listForks'>;
  scratch: { open(t: ScratchTarget): Promise<SandboxSession> };
  templates: TemplateMirror;
  states: ForkStateStore;
  pushes: Pick<PushStore, 'pushesTo'>;
  settings: { image: string; workBytes: number; concurrency: number };
  /** Who labgate's merge commits are by. */
  bot: { name: string; email: string };
  now?: () => number;
}

export interface ForkSyncProgress {
  total: number;
  done: number;
  failed: number;
}

/** One fork's outcome, for the roster and the CLI. */
export type ForkOutcome =
  | { userId: string; result: TemplateMerge }
  | { userId: string; skipped: 'unchanged' }
  | { userId: string; error: string };

/**
 * Every fork of an assignment against its template: ahead, behind, and whether merging the template's
 * newest commit would conflict. With `update`, the template is merged into the forks where it merges
 * cleanly (notebooks cell by cell, as the learner's Pull does) and pushed; conflicting forks are left
 * to their learner's Pull. The git work runs in scratch sandboxes, never in a learner's folder, with a
 * token of the one fork it works on, minted for it and revoked after.
 */
export function createForkSync(d: ForkSyncDeps) {
  const now = d.now ?? Date.now;
  const tokens = createForgeTokens(d.forge);

  async function templateOf(forks: Provisioning[]): Promise<TemplateSource | undefined> {
    const templateId = forks.find((f) => f.state.templateId)?.state.templateId;
    const t = templateId ? await tokens.template(templateId) : undefined;
    return t && templateId ? d.templates.source({ id: templateId, ...t }) : undefined;
  }

  /** The learner's newest head as the push ledger knows it (undefined: never pushed). */
  async function knownHeads(forks: Provisioning[]) {
    const heads = new Map<number, string>();
    const byBranch = new Map<string, number[]>();
    for (const f of forks)
      byBranch.set(f.state.fork!.defaultBranch, [
        ...(byBranch.get(f.state.fork!.defaultBranch) ?? []),
        f.state.fork!.id,
      ]);
    for (const [branch, ids] of byBranch)
      for (const p of await d.pushes.pushesTo(ids, branch)) if (p.after) heads.set(p.projectId, p.after);
    return heads;
  }

  async function one(
    session: SandboxSession,
    f: Provisioning,
    template: TemplateSource,
    assignment: Assignment,
    update: boolean,
    merged: string[],
  ): Promise<TemplateMerge> {
    const fork = f.state.fork!;
    await session.run(['find', '.', '-mindepth', '1', '-delete']);
    const minted = d.forge.mintRepoToken(fork.id, { days: 1, access: update ? 'write' : 'read' });
    try {
      const result = await mergeTemplate(
        { folder: session, author: d.bot },
        {
          fork: {
            url: session.forgeUrl(fork.httpUrl),
            branch: fork.defaultBranch,
            token: async () => (await minted).token,
          },
          template,
          push: update,
        },
      );
      const key = { assignmentId: assignment.id, userId: f.userId, forkId: fork.id };
      const pushed =
        result.state === 'clean' && typeof result.pushed === 'object' ? result.pushed.sha : undefined;
      await d.states.saveCheck({
        ...key,
        forkSha: pushed ?? (result.state === 'empty' ? undefined : result.forkSha),
        templateSha: result.templateSha,
        ahead: result.state === 'empty' ? undefined : result.ahead + (pushed ? 1 : 0),
        behind: result.state === 'empty' ? undefined : pushed ? 0 : result.behind,
        conflicts: result.state === 'conflict' ? result.conflicts : [],
        at: now(),
      });
      if (update) {
        const status = pushed ? 'merged' : result.state === 'clean' ? 'moved' : result.state;
        await d.states.saveUpdate({
          ...key,
          status,
          message: result.state === 'conflict' ? result.conflicts.join(', ') : '',
          at: now(),
          ...(pushed ? { mergedShas: [...merged, pushed] } : {}),
        });
      }
      return result;
    } finally {
      await minted.then((t) => d.forge.revokeRepoToken(fork.id, t.id)).catch(() => {});
    }
  }

  async function run(
    assignment: Assignment,
    o: { update: boolean; onlyChanged?: boolean; onProgress?: (p: ForkSyncProgress) => void },
  ): Promise<ForkOutcome[]> {
    const forks = (await d.provisioner.listForks(assignment.courseId, assignment.slug)).filter(
      (f) => f.state.fork,
    );
    const progress = { total: forks.length, done: 0, failed: 0 };
    o.onProgress?.({ ...progress });
    const template = forks.length > 0 ? await templateOf(forks) : undefined;
    if (!template)
      return forks.map((f) => ({ userId: f.userId, error: 'the template is gone from the forge' }));
    const states = new Map((await d.states.statesOf(assignment.id)).map((s) => [s.userId, s]));
    const heads = o.onlyChanged ? await knownHeads(forks) : new Map<number, string>();
    const queue = [...forks];
    const outcomes: ForkOutcome[] = [];
    const worker = async () => {
      let session: SandboxSession | undefined;
      try {
        for (let f = queue.shift(); f; f = queue.shift()) {
          const state = states.get(f.userId);
          const head = heads.get(f.state.fork!.id);
          if (
            o.onlyChanged &&
            state?.templateSha === template.head &&
            state.forkSha &&
            (!head || head === state.forkSha)
          ) {
            outcomes.push({ userId: f.userId, skipped: 'unchanged' });
          } else {
            try {
              session ??= await d.scratch.open({
                image: assignment.image ?? d.settings.image,
                workBytes: d.settings.workBytes,
              });
              outcomes.push({
                userId: f.userId,
                result: await one(session, f, template, assignment, o.update, state?.mergedShas ?? []),
              });
            } catch (err) {
              progress.failed++;
              const message = err instanceof Error ? err.message : String(err);
              outcomes.push({ userId: f.userId, error: message });
              if (o.update)
                await d.states.saveUpdate({
                  assignmentId: assignment.id,
                  userId: f.userId,
                  forkId: f.state.fork!.id,
                  status: 'failed',
                  message,
                  at: now(),
                });
              // A broken sandbox is not reused.
              await session?.close().catch(() => {});
              session = undefined;
            }
          }
          progress.done++;
          o.onProgress?.({ ...progress });
        }
      } finally {
        await session?.close().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, d.settings.concurrency) }, worker));
    return outcomes;
  }

  return { run };
}

export type ForkSync = ReturnType<typeof createForkSync>;
