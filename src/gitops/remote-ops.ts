import { git, type GitContext, type Remote } from './git-command.ts';
import { gitErrors } from './git-errors.ts';

/** The local ref that remembers what labgate last fetched from a remote (`origin` or `template`). */
export const trackingRef = (name: 'origin' | 'template', branch: string) => `refs/remotes/${name}/${branch}`;

function lastLine(stderr: string) {
  return (
    stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('hint:'))
      .pop() ?? 'no answer'
  ).replace(/^(fatal|error): /, '');
}

function remoteFailure(stderr: string) {
  const why = lastLine(stderr);
  if (
    /Authentication failed|could not read Username|returned error: 40[13]|HTTP 40[13]|denied|not found|returned error: 404/i.test(
      stderr,
    )
  )
    return gitErrors.remoteRefused(why);
  return gitErrors.remoteUnreachable(why);
}

/** Fetches `remote`'s branch into the tracking ref `ref`; false when the remote has no such branch yet. */
export async function fetchRemote(ctx: GitContext, remote: Remote, ref: string): Promise<boolean> {
  const r = await git(
    ctx,
    [
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-recurse-submodules',
      '--',
      remote.url,
      `+refs/heads/${remote.branch}:${ref}`,
    ],
    { okCodes: [0, 1, 128], remote },
  );
  if (r.code === 0) return true;
  if (/couldn't find remote ref/i.test(r.stderr)) return false;
  throw remoteFailure(r.stderr);
}

/** Pushes HEAD to `remote`'s branch: `rejected` when the remote has commits HEAD lacks. */
export async function pushHead(ctx: GitContext, remote: Remote): Promise<'pushed' | 'rejected'> {
  const r = await git(
    ctx,
    ['push', '--porcelain', '--no-recurse-submodules', '--', remote.url, `HEAD:refs/heads/${remote.branch}`],
    { okCodes: [0, 1, 128], remote },
  );
  if (r.code === 0) return 'pushed';
  if (/\[rejected\]|non-fast-forward|fetch first/.test(r.stdout + r.stderr)) return 'rejected';
  if (/\[remote rejected\]/.test(r.stdout)) {
    const why = /\[remote rejected\] \((.*)\)/.exec(r.stdout)?.[1] ?? 'refused';
    throw gitErrors.pushRejected(why);
  }
  throw remoteFailure(r.stderr);
}
