import { git, type GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';
import { trackingRef } from './remote-ops.ts';

/**
 * The teacher's template as labgate holds it (a mirror on labgate's side, read with a token that can
 * only read the template): the sandbox never gets a template token, it gets the commits as a pack.
 */
export interface TemplateSource {
  branch: string;
  head: string;
  /** Recent commits of the template, newest first: the learner's repository has some of them. */
  recent: string[];
  /** A thin pack of what `head` has and `haves` lack (`haves` are taken from `recent` only). */
  pack(haves: string[]): Promise<Buffer>;
}

const isSha = (s: string) => /^[0-9a-f]{40}$/.test(s);

/**
 * Brings the template's newest commit into the learner's repository as `refs/remotes/template/<branch>`:
 * asks which recent template commits it already has, then sends only the rest.
 */
export async function receiveTemplate(ctx: GitContext, source: TemplateSource): Promise<string> {
  const ref = trackingRef('template', source.branch);
  const asked = [source.head, ...source.recent].filter(isSha);
  const check = await git(ctx, ['cat-file', '--batch-check'], {
    stdin: Buffer.from(`${asked.join('\n')}\n`),
    okCodes: [0],
  });
  const present = new Set(
    check.stdout
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([sha, type]) => type === 'commit' && asked.includes(sha!))
      .map(([sha]) => sha!),
  );
  if (!present.has(source.head)) {
    const pack = await source.pack(source.recent.filter((sha) => present.has(sha)));
    const indexed = await git(ctx, ['index-pack', '--stdin', '--fix-thin'], {
      stdin: pack,
      okCodes: [0, 1, 128],
    });
    if (indexed.code !== 0)
      throw gitErrors.gitFailed(
        'index-pack',
        indexed.stderr.trim().split('\n').pop() ?? 'the template’s commits did not arrive',
      );
  }
  await git(ctx, ['update-ref', ref, source.head]);
  return ref;
}
