/* global process, fetch */
// Runs inside `git receive-pack` for pushes that come through gitlab-lite's smart HTTP. It reports the
// ref updates to gitlab-lite, which applies GitLab's protected-branch rules, and prints its verdict
// the way GitLab's pre-receive does ("remote: GitLab: …").
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const zero = /^0+$/;
const isAncestor = (older, newer) => {
  try {
    execFileSync('git', ['merge-base', '--is-ancestor', older, newer], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const changes = readFileSync(0, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [oldSha, newSha, ref] = line.split(' ');
    const creating = zero.test(oldSha);
    const deleting = zero.test(newSha);
    return { ref, creating, deleting, forced: !creating && !deleting && !isAncestor(oldSha, newSha) };
  });

const res = await fetch(`${process.env.GL_INTERNAL_URL}/-/internal/pre-receive`, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'x-gitlab-lite-secret': process.env.GL_INTERNAL_SECRET ?? '',
  },
  body: JSON.stringify({
    projectId: Number(process.env.GL_PROJECT_ID),
    userId: Number(process.env.REMOTE_USER),
    changes,
  }),
}).catch(() => undefined);
const verdict = res?.ok
  ? await res.json()
  : { allowed: false, message: 'The push could not be checked; try again.' };
if (!verdict.allowed) {
  process.stderr.write(`GitLab: ${verdict.message}\n`);
  process.exit(1);
}
