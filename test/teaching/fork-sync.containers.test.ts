import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForkStateStore, createPushStore, type Assignment } from '../../src/courses/index.ts';
import { createForkSync, type ForkOutcome } from '../../src/flows/index.ts';
import { createGitlabForge, createProvisioner, type Provisioning } from '../../src/forge/index.ts';
import { createTemplateMirror } from '../../src/gitops/index.ts';
import { createScratchSandboxes } from '../../src/workspaces/index.ts';
import { ensureNotebookImage } from '../support/containers.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

const cell = (id: string, source: string) => ({
  cell_type: 'code',
  id,
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});
const notebook = (cells: object[]) =>
  `${JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
const exercise = (q1: string, q2: string) =>
  notebook([cell('intro', '# intro'), cell('q1', q1), cell('q2', q2)]);

let t: TestGitlab;
let d: TestDatabase;
let root: string;
let parts: ReturnType<typeof testWorkspaceParts>;
const assignment: Assignment = {
  id: 'a1',
  courseId: 'c1',
  slug: 'ex1',
  title: 'Ex 1',
  template: 'teachers/ex1',
  gradingRepo: undefined,
  deadline: undefined,
  image: undefined,
  latePolicy: 'accept',
  feedbackReleasedAt: undefined,
  openFile: undefined,
};

async function git(args: string[], cwd: string) {
  const r = await runGit(args, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  return r.out;
}

/** A clone on the test's side (the learner's own machine, or the teacher's), pushing with the root token. */
async function pushAs(project: string, files: Record<string, string>, message: string) {
  const dir = mkdtempSync(path.join(root, 'clone-'));
  await git(['clone', '-q', cloneUrl(t.lite.url, project, rootToken), dir], root);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  await git(['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-qam', message], dir);
  await git(['push', '-q', 'origin', 'HEAD:main'], dir);
  return dir;
}

async function filesOf(project: string) {
  const dir = mkdtempSync(path.join(root, 'look-'));
  await git(['clone', '-q', cloneUrl(t.lite.url, project, rootToken), dir], root);
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  return { read, log: await git(['log', '--format=%s', '-n', '3'], dir) };
}

describe('template updates reach forks: checks and "Bring forks up to date" (Podman, gitlab-lite)', () => {
  const forks = new Map<string, Provisioning>();
  let sync: ReturnType<typeof createForkSync>;
  let states: ReturnType<typeof createForkStateStore>;
  const byUser = (outcomes: ForkOutcome[]) => new Map(outcomes.map((o) => [o.userId, o]));

  beforeAll(async () => {
    t = await startTestGitlab();
    d = await openTestDatabase();
    root = mkdtempSync(path.join(tmpdir(), 'labgate-forksync-'));
    const teachers = await t.api.Groups.create('Teachers', 'teachers');
    await t.api.Projects.create({ name: 'ex1', namespaceId: teachers.id as number });
    const seed = mkdtempSync(path.join(root, 'seed-'));
    await git(['init', '-q', '-b', 'main'], seed);
    writeFileSync(path.join(seed, 'ex.ipynb'), exercise('x = 1', 'y = 2'));
    writeFileSync(path.join(seed, 'notes.txt'), 'line 1\nline 2\nline 3\n');
    await git(['add', '-A'], seed);
    await git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'The exercise'], seed);
    await git(['push', '-q', cloneUrl(t.lite.url, 'teachers/ex1', rootToken), 'main'], seed);
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
    const provisioner = createProvisioner({
      db: d.db,
      forge,
      log: pino({ level: 'silent' }),
      options: { pollMs: 50 },
    });
    provisioner.start();
    for (const u of ['ana', 'ben', 'cyd']) {
      const job = await provisioner.provision(u, {
        kind: 'fork',
        person: { externUid: u, username: u, name: u, email: `${u}@x.invalid` },
        course: { id: 'c1', path: 'c1', name: 'C1' },
        assignment: { slug: 'ex1', title: 'Ex 1', template: 'teachers/ex1' },
      });
      for (let i = 0; i < 200 && (await provisioner.get(job.id))?.status !== 'done'; i++)
        await new Promise((r) => setTimeout(r, 50));
      forks.set(u, (await provisioner.get(job.id))!);
    }
    await provisioner.stop();
    parts = testWorkspaceParts({ root: path.join(root, 'ws'), forgeUrl: t.lite.url });
    states = createForkStateStore(d.db);
    sync = createForkSync({
      forge,
      provisioner,
      scratch: createScratchSandboxes({
        ...parts,
        uid: 1000,
        tmpBytes: 64 << 20,
        limits: { memoryBytes: 256 << 20, cpus: 1, pids: 128 },
        sessionSeconds: 300,
      }),
      templates: createTemplateMirror({ dir: path.join(root, 'mirrors'), refreshMs: 0 }),
      states,
      pushes: createPushStore(d.db),
      settings: { image: ensureNotebookImage(), workBytes: 64 << 20, concurrency: 2 },
      bot: { name: 'labgate', email: 'labgate@x.invalid' },
    });
  }, 300_000);

  afterAll(async () => {
    await parts?.close();
    await d?.close();
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const fork = (u: string) => forks.get(u)!.state.fork!.pathWithNamespace;

  it('sees every fork up to date before the teacher changes anything', async () => {
    const outcomes = byUser(await sync.run(assignment, { update: false }));
    for (const u of ['ana', 'ben', 'cyd'])
      expect(outcomes.get(u), u).toMatchObject({ result: { state: 'up-to-date', ahead: 0, behind: 0 } });
  });

  it('tells clean merges from conflicts after a template fix, cell by cell for notebooks', async () => {
    // ana answers q2; ben rewrites q1, the very cell the teacher fixes; cyd changes nothing.
    await pushAs(fork('ana'), { 'ex.ipynb': exercise('x = 1', 'y = 2  # ana: 42') }, 'ana answers q2');
    await pushAs(fork('ben'), { 'ex.ipynb': exercise('x = 1  # ben', 'y = 2') }, 'ben edits q1');
    await pushAs(
      'teachers/ex1',
      { 'ex.ipynb': exercise('x = 10', 'y = 2'), 'notes.txt': 'line 1\nline 2 fixed\nline 3\n' },
      'Fix q1',
    );
    const outcomes = byUser(await sync.run(assignment, { update: false }));
    expect(outcomes.get('ana')).toMatchObject({ result: { state: 'clean', ahead: 1, behind: 1 } });
    expect(outcomes.get('ben')).toMatchObject({
      result: { state: 'conflict', ahead: 1, behind: 1, conflicts: ['ex.ipynb'] },
    });
    expect(outcomes.get('cyd')).toMatchObject({ result: { state: 'clean', ahead: 0, behind: 1 } });
    // A check changes no fork.
    expect((await filesOf(fork('cyd'))).read('notes.txt')).toBe('line 1\nline 2\nline 3\n');
    const saved = new Map((await states.statesOf('a1')).map((s) => [s.userId, s]));
    expect(saved.get('ben')).toMatchObject({ behind: 1, conflicts: ['ex.ipynb'] });
  }, 180_000);

  it('merges the template into the clean forks only, keeping the learners’ work', async () => {
    const outcomes = byUser(await sync.run(assignment, { update: true }));
    expect(outcomes.get('ana')).toMatchObject({
      result: { state: 'clean', pushed: { sha: expect.any(String) } },
    });
    expect(outcomes.get('ben')).toMatchObject({ result: { state: 'conflict' } });
    const ana = await filesOf(fork('ana'));
    const nb = JSON.parse(ana.read('ex.ipynb')) as { cells: Array<{ id: string; source: string }> };
    expect(nb.cells.map((c) => c.source)).toEqual(['# intro', 'x = 10', 'y = 2  # ana: 42']);
    expect(ana.read('notes.txt')).toContain('line 2 fixed');
    expect(ana.log).toMatch(/^Updates from your teacher/);
    expect((await filesOf(fork('cyd'))).read('notes.txt')).toContain('line 2 fixed');
    // ben's fork is untouched: his Pull will bring the update in, his q1 kept beside the teacher's.
    const ben = await filesOf(fork('ben'));
    expect(ben.log.split('\n')[0]).toBe('ben edits q1');
    const saved = new Map((await states.statesOf('a1')).map((s) => [s.userId, s]));
    expect(saved.get('ana')).toMatchObject({ behind: 0, update: { status: 'merged' } });
    expect(saved.get('ana')!.mergedShas).toHaveLength(1);
    expect(saved.get('ben')).toMatchObject({ update: { status: 'conflict', message: 'ex.ipynb' } });
  }, 180_000);

  it('skips forks whose head and template did not move since the last check', async () => {
    const outcomes = byUser(await sync.run(assignment, { update: false, onlyChanged: true }));
    for (const u of ['ana', 'ben', 'cyd'])
      expect(outcomes.get(u), u).toEqual({ userId: u, skipped: 'unchanged' });
  }, 180_000);
});
