/* global process, fetch */
// Runs inside `git receive-pack` once a push through gitlab-lite's smart HTTP has moved its refs: it
// reports them, as Gitaly's post-receive does, so that gitlab-lite records push events and fires hooks.
import { readFileSync } from 'node:fs';

const changes = readFileSync(0, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [before, after, ref] = line.split(' ');
    return { before, after, ref };
  });

const res = await fetch(`${process.env.GL_INTERNAL_URL}/-/internal/post-receive`, {
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
// The push has happened whatever this says; git only shows it as "remote: …".
if (!res?.ok) process.stderr.write('GitLab: the push was stored, but its events could not be recorded.\n');
