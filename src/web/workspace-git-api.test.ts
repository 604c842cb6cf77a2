import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceGit } from '../flows/index.ts';
import { gitErrors } from '../gitops/index.ts';
import type { Workspace } from '../workspaces/index.ts';
import { createGitApiHandler } from './workspace-git-api.ts';

const ws = { id: 'w1' } as Workspace;
const calls: Array<{ op: string; body: unknown; lang?: string }> = [];
// The git operations themselves are tested on real repositories (test/gitops); here, the HTTP door.
const git: WorkspaceGit = {
  run: async (_ws, op, body, lang) => {
    calls.push({ op, body, lang });
    if (op === 'open') throw gitErrors.badPath('../x');
    if (op === 'pull') throw new Error('boom');
    return { branch: 'main' };
  },
};
let server: Server;
let base = '';
beforeAll(async () => {
  const handle = createGitApiHandler({
    git,
    log: { warn: () => {} },
    publicOrigin: 'https://labgate.example',
  });
  server = createServer((req, res) => void handle(req, res, ws, req.headers['x-locale'] as string));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/user/w1/git-api`;
});
afterAll(() => new Promise((r) => server.close(r)));

const post = async (op: string, body: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${base}/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
};

describe('the git API door', () => {
  it('passes a JSON body to the operation and answers JSON', async () => {
    expect(await post('status', '{}')).toEqual({ status: 200, body: { branch: 'main' } });
    expect(calls.at(-1)).toEqual({ op: 'status', body: {}, lang: 'en' });
  });

  it('tells the extension the session’s language and where sign-out and reset are, running no git', async () => {
    const before = calls.length;
    expect(await post('session', '{}', { 'x-locale': 'fr' })).toEqual({
      status: 200,
      body: {
        locale: 'fr',
        links: { signOut: 'https://labgate.example/sign-out', reset: 'https://labgate.example/home/reset' },
      },
    });
    expect(calls.length).toBe(before);
    await post('commit', '{}', { 'x-locale': 'fr' });
    expect(calls.at(-1)).toMatchObject({ op: 'commit', lang: 'fr' });
  });

  it('explains refusals in the learner’s language, with what to do', async () => {
    const fr = await post('open', '{"path":"../x"}', { 'x-locale': 'fr' });
    expect(fr.status).toBe(400);
    expect(fr.body.error!.message).toBe(
      '« ../x » n’est pas un fichier de votre dépôt. Ouvrez un fichier de votre dossier de travail, puis réessayez.',
    );
    const en = await post('open', '{"path":"../x"}', { 'accept-language': 'en-GB' });
    expect(en.body.error!.message).toContain('"../x" is not a file of your repository.');
  });

  it('refuses what is not a JSON POST to a known operation, and hides unexpected faults', async () => {
    expect((await post('status', 'not json')).body.error!.code).toBe('GIT_BAD_JSON');
    expect((await post('status', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('rebase', '{}')).status).toBe(404);
    expect((await fetch(`${base}/status`)).status).toBe(405);
    expect((await post('status', `"${'x'.repeat(70_000)}"`)).status).toBe(413);
    const fault = await post('pull', '{}', { 'x-locale': 'fr' });
    expect(fault).toMatchObject({ status: 500, body: { error: { code: 'GIT_INTERNAL' } } });
    expect(fault.body.error!.message).not.toContain('boom');
  });
});
