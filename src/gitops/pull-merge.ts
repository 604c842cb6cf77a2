import { diskRoom } from './disk-room.ts';
import { git, type GitContext } from './git-command.ts';
import type { LearnerRepo } from './learner-repo.ts';
import { list, mergeBase, type PullResult, type Upstream } from './pull-model.ts';
import { saveWork } from './pull-prepare.ts';
import { repairNotebooks } from './pull-repair.ts';
import { mergeUpstream } from './pull-upstream.ts';
import { fetchRemote, trackingRef } from './remote-ops.ts';
import { guardRepository } from './repo-guard.ts';
import { countMissing, refExists } from './repo-status.ts';
import { receiveTemplate } from './template-delivery.ts';

export type { PullResult, KeptAside } from './pull-model.ts';

const headSha = async (ctx: GitContext) =>
  (await git(ctx, ['rev-parse', '-q', '--verify', 'HEAD'], { okCodes: [0, 1] })).stdout.trim();

/**
 * Files the pull may have touched: what changed in the learner's files, and what each upstream changed
 * since it parted from them (all it differs in when the histories are unrelated: a template started over).
 */
async function touchedBy(ctx: GitContext, start: string, upstreams: Upstream[]) {
  const files = new Set(await list(ctx, ['diff', '--name-only', '-z', start, 'HEAD', '--']));
  for (const u of upstreams) {
    const base = await mergeBase(ctx, start, u.ref);
    for (const f of await list(ctx, ['diff', '--name-only', '-z', base ?? start, u.ref, '--'])) files.add(f);
  }
  return [...files];
}

/**
 * "Get the teacher's update": brings in the learner's fork (work saved elsewhere) and the template,
 * the way nbgitpuller does, so that it never fails and never loses the learner's work: their side
 * wins where both changed the same lines, notebooks are merged cell by cell, and every notebook it
 * touched is checked to open in Jupyter.
 */
export async function pull(repo: LearnerRepo): Promise<PullResult> {
  const { ctx } = repo;
  await guardRepository(ctx, repo.origin.branch);
  await diskRoom(ctx, repo.diskLimitBytes, { refuse: true });
  const upstreams: Upstream[] = [];
  const originRef = trackingRef('origin', repo.origin.branch);
  if (await fetchRemote(ctx, repo.origin, originRef)) upstreams.push({ ref: originRef, tag: 'gitlab' });
  let teacherCommits = 0;
  const template = await repo.template?.();
  if (template) {
    const templateRef = await receiveTemplate(ctx, template);
    upstreams.push({ ref: templateRef, tag: 'teacher' });
    teacherCommits = await countMissing(ctx, 'HEAD', templateRef);
  }
  const result: PullResult = {
    changed: [],
    renamed: [],
    restored: [],
    keptAside: [],
    notebookNotes: [],
    teacherCommits,
    upToDate: false,
  };
  await saveWork(ctx, upstreams, result);
  const start = await headSha(ctx);
  for (const u of upstreams) {
    if (!start && !(await refExists(ctx, 'HEAD'))) await git(ctx, ['merge', '-q', u.ref]);
    else await mergeUpstream(ctx, u, result);
  }
  if (start) await repairNotebooks(ctx, start, await touchedBy(ctx, start, upstreams), upstreams, result);
  const changed = start ? await list(ctx, ['diff', '--name-only', '-z', start, 'HEAD', '--']) : [];
  result.changed = [...new Set([...changed, ...result.renamed.map((r) => r.from), ...result.restored])];
  result.upToDate = result.changed.length === 0 && result.keptAside.length === 0;
  return result;
}
