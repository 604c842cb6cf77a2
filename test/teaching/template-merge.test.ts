import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateMirror, mergeTemplate } from '../../src/gitops/index.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { closeLocalSandboxes, localSandbox } from '../support/local-sandbox.ts';

let t: TestGitlab;
let root: string;

async function git(args: string[], cwd: string) {
  const r = await runGit(args, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  return r.out.trim();
}

async function commitTo(project: string, file: string, text: string, message: string) {
  const dir = mkdtempSync(path.join(root, 'c-'));
  await git(['clone', '-q', cloneUrl(t.lite.url, project, rootToken), dir], root);
  writeFileSync(path.join(dir, file), text);
  await git(['add', '-A'], dir);
  await git(['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-qm', message], dir);
  await git(['push', '-q', 'origin', 'HEAD:main'], dir);
  return git(['rev-parse', 'HEAD'], dir);
}

const headOf = async (project: string) => {
  const r = await runGit(['ls-remote', cloneUrl(t.lite.url, project, rootToken), 'refs/heads/main'], root);
  return r.code === 0 ? r.out.split('\t')[0] : undefined;
};

describe('a server-side template merge never overwrites a learner’s push', () => {
  beforeAll(async () => {
    t = await startTestGitlab();
    root = mkdtempSync(path.join(tmpdir(), 'labgate-tmerge-'));
    const g = await t.api.Groups.create('Teachers', 'teachers');
    await t.api.Projects.create({ name: 'tpl', namespaceId: g.id as number });
    await commitTo('teachers/tpl', 'a.txt', 'one\ntwo\n', 'Start');
    const tpl = await t.api.Projects.show('teachers/tpl');
    await t.api.Projects.fork(tpl.id, { namespacePath: 'teachers', path: 'fork1', name: 'fork1' });
    for (let i = 0; i < 100 && !(await headOf('teachers/fork1')); i++)
      await new Promise((r) => setTimeout(r, 50));
  }, 60_000);

  afterAll(async () => {
    await closeLocalSandboxes();
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reports `moved` when the learner pushes between the fetch and labgate’s push', async () => {
    await commitTo('teachers/tpl', 'b.txt', 'teacher\n', 'Add b');
    const tpl = await t.api.Projects.show('teachers/tpl');
    const mirror = createTemplateMirror({ dir: path.join(root, 'mirror'), refreshMs: 0 });
    const template = await mirror.source({
      id: tpl.id as number,
      url: cloneUrl(t.lite.url, 'teachers/tpl'),
      branch: 'main',
      token: async () => rootToken,
    });
    const work = mkdtempSync(path.join(root, 'work-'));
    const folder = await localSandbox(work);
    let calls = 0;
    let learnerSha = '';
    const result = await mergeTemplate(
      { folder, author: { name: 'labgate', email: 'l@x' } },
      {
        fork: {
          url: cloneUrl(t.lite.url, 'teachers/fork1'),
          branch: 'main',
          // The token is asked for by each command that talks to the fork: the second is the push.
          token: async () => {
            if (++calls === 2) learnerSha = await commitTo('teachers/fork1', 'mine.txt', 'learner\n', 'Mine');
            return rootToken;
          },
        },
        template: template!,
        push: true,
      },
    );
    expect(result).toMatchObject({ state: 'clean', behind: 1, pushed: 'moved' });
    expect(await headOf('teachers/fork1')).toBe(learnerSha);
  }, 60_000);

  it('keeps its copy of a template a few seconds, and a caller asking for the newest gets it', async () => {
    const tpl = await t.api.Projects.show('teachers/tpl');
    const mirror = createTemplateMirror({ dir: path.join(root, 'fresh-mirror'), refreshMs: 60_000 });
    const remote = {
      id: tpl.id as number,
      url: cloneUrl(t.lite.url, 'teachers/tpl'),
      branch: 'main',
      token: async () => rootToken,
    };
    const before = (await mirror.source(remote))!.head;
    const pushed = await commitTo('teachers/tpl', 'update.txt', 'v2\n', 'Teacher update');
    expect((await mirror.source(remote))!.head).toBe(before); // within refreshMs: the copy as it is
    // What Pull asks for: the teacher's newest, unless fetched within that long.
    expect((await mirror.source(remote, { maxAgeMs: 0 }))!.head).toBe(pushed);
  });
});
