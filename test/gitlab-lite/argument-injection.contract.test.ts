import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest } from '../../gitlab-lite/auth.ts';
import { writeFileSync } from 'node:fs';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

// Refs, paths and shas from requests must never reach git as options: `--output=F` makes `git show`,
// `git log` or `git diff` write F. Each request below is one a learner could send with their own token.
let t: TestGitlab;
let projectId: number;
let session: string;
const api = (p: string, init: RequestInit = {}) =>
  fetch(`${t.lite.url}/api/v4${p}`, { ...init, headers: { 'private-token': rootToken, ...init.headers } });

/** Every file under the data folder but gitlab-lite's own database: what git could have written. */
const files = () =>
  readdirSync(t.dataDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.startsWith('gitlab-lite.db'))
    .sort();

const outside = path.join(tmpdir(), `gitlab-lite-pwned-${randomBytes(6).toString('hex')}`);
const payloads = ['--output=pwned', `--output=${outside}`, '-opwned', '--exec-path=/tmp'];

beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Course', 'course');
  projectId = (
    await t.api.Projects.create({ name: 'fork', namespaceId: group.id as number, initializeWithReadme: true })
  ).id as number;
  // A second commit, so that `main~1` or `main@{1}` would name something if git were let to read them.
  const work = path.join(t.work, 'fork');
  await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'course/fork', rootToken), work], t.work);
  writeFileSync(path.join(work, 'README.md'), '# fork\n\nSecond.\n');
  await runGit(['commit', '--quiet', '-am', 'Second'], work);
  await runGit(['push', '--quiet', 'origin', 'main'], work);
  // A web session for root, as after "Sign in with labgate" (the sign-in itself is tested elsewhere).
  session = randomBytes(24).toString('base64url');
  const db = new Database(path.join(t.dataDir, 'gitlab-lite.db'));
  db.prepare('INSERT INTO web_sessions (id_digest, user_id, created_at) VALUES (?, 1, ?)').run(
    digest(session),
    new Date().toISOString(),
  );
  db.close();
});
afterAll(async () => t.close());

describe('gitlab-lite never lets a request put options on git’s command line', () => {
  it('answers the file page for an option-like ref with GitLab’s 404 and writes nothing', async () => {
    const before = files();
    for (const ref of payloads) {
      const r = encodeURIComponent(ref);
      for (const url of [
        `blob/${r}/README.md`,
        `tree/${r}`,
        `raw/${r}/README.md`,
        `commits/${r}`,
        `commit/${r}`,
        `blob/main/${r}`,
      ]) {
        const res = await fetch(`${t.lite.url}/course/fork/-/${url}`, {
          headers: { cookie: `_gitlab_session=${session}` },
        });
        expect(res.status, url).toBe(404);
      }
      // As a path, the payload is a file name: a history of no commits.
      const history = await fetch(`${t.lite.url}/course/fork/-/commits/main/${r}`, {
        headers: { cookie: `_gitlab_session=${session}` },
      });
      expect(await history.text()).toContain('data-testid="no-commits"');
    }
    const page = await fetch(`${t.lite.url}/course/fork/-/blob/main/README.md?plain=1`, {
      headers: { cookie: `_gitlab_session=${session}` },
    });
    expect(await page.text()).toContain('# fork');
    expect(files()).toEqual(before);
    expect(existsSync(outside)).toBe(false);
  });

  it('answers the API with 404 or 400 for option-like refs, shas and paths, and writes nothing', async () => {
    const before = files();
    const p = `/projects/${projectId}/repository`;
    for (const bad of payloads) {
      const q = encodeURIComponent(bad);
      for (const url of [
        `${p}/files/README.md?ref=${q}`,
        `${p}/files/README.md/raw?ref=${q}`,
        `${p}/files/${q}?ref=main`,
        `${p}/tree?ref=${q}`,
        `${p}/commits/${q}`,
        `${p}/archive?sha=${q}`,
      ])
        expect([400, 404], url).toContain((await api(url)).status);
      // GitLab lists no commits, and compares nothing, for a ref that does not exist.
      expect(await (await api(`${p}/commits?ref_name=${q}`)).json()).toEqual([]);
      for (const url of [`${p}/compare?from=${q}&to=main`, `${p}/compare?from=main&to=${q}`])
        expect(await (await api(url)).json()).toMatchObject({ commit: null, commits: [], diffs: [] });
      for (const url of [`${p}/tree?path=${q}`, `${p}/commits?path=${q}`, `${p}/archive.zip?path=${q}`])
        expect((await api(url)).status, url).toBeLessThan(500);
      const branch = await api(`${p}/branches?branch=${q}&ref=main`, { method: 'POST' });
      expect(branch.status).toBe(400);
      const from = await api(`${p}/branches?branch=ok-${randomBytes(3).toString('hex')}&ref=${q}`, {
        method: 'POST',
      });
      expect(from.status).toBe(400);
    }
    expect(files()).toEqual(before);
    expect(existsSync(outside)).toBe(false);
  });

  it('refuses refs git would read as something else than a name or a sha', async () => {
    const p = `/projects/${projectId}/repository`;
    const refs = ['main@{1}', 'main~1', 'main^', 'HEAD^1', ':/Initial', 'main^{commit}', '@', 'HEAD@{0}'];
    for (const ref of refs)
      expect((await api(`${p}/files/README.md?ref=${encodeURIComponent(ref)}`)).status, ref).toBe(404);
    const [head] = await t.api.Commits.all(projectId);
    const bySha = await api(`${p}/files/README.md?ref=${head!.id as string}`);
    expect(bySha.status).toBe(200);
    const byShort = await api(`${p}/files/README.md?ref=${(head!.id as string).slice(0, 8)}`);
    expect(byShort.status).toBe(200);
  });

  it('refuses a project whose default branch is not a valid branch name', async () => {
    for (const name of ['--template=/tmp', 'a..b', 'x:y', 'bad name']) {
      const res = await api(`/projects?name=p${randomBytes(3).toString('hex')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ default_branch: name, initialize_with_readme: true }),
      });
      expect(res.status, name).toBe(400);
    }
  });
});
