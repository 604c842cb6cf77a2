import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAndPush, pull } from '../../src/gitops/index.ts';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { closeLocalSandboxes } from '../support/local-sandbox.ts';
import { cellSources, learnerRig, notebook } from './learner-repo-rig.ts';

// The cases an independent matrix found losing work or failing (issue 11): each must keep every
// learner line, cell and file, and leave every notebook valid for nbformat's schema.
let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => {
  await closeLocalSandboxes();
  await t?.close();
});

const valid = (problems: Record<string, string | undefined>) =>
  expect(Object.values(problems).filter(Boolean)).toEqual([]);

describe('Pull with the learner’s files in the way: moved aside, never overwritten, never blocking', () => {
  it('keeps an ignored file the teacher’s update brings a file of the same name for', async () => {
    const r = await learnerRig(t, { '.gitignore': 'results/\n', 'fit.py': 'fit()\n' });
    r.learnerEdits({ 'results/fit.csv': 'a,b\n1,2\n' });
    await r.teacherPushes({ '.gitignore': '', 'results/fit.csv': 'expected\n' });
    const result = await pull(r.repo);
    expect(r.read('results/fit.csv')).toBe('expected\n');
    expect(result.renamed).toHaveLength(1);
    expect(result.renamed[0]!.from).toBe('results/fit.csv');
    expect(r.read(result.renamed[0]!.to)).toBe('a,b\n1,2\n');
  });

  it('moves an untracked folder out of the way of a file of that name', async () => {
    const r = await learnerRig(t, { 'README.md': 'hi\n' });
    r.learnerEdits({ 'notes/day1.md': 'my notes\n' });
    await r.teacherPushes({ notes: 'the teacher’s notes file\n' });
    const result = await pull(r.repo);
    expect(r.read('notes')).toBe('the teacher’s notes file\n');
    expect(result.renamed[0]!.from).toBe('notes');
    expect(r.read(`${result.renamed[0]!.to}/day1.md`)).toBe('my notes\n');
  });

  it('moves an untracked file out of the way of a folder of that name', async () => {
    const r = await learnerRig(t, { 'README.md': 'hi\n' });
    r.learnerEdits({ data: 'my data\n' });
    await r.teacherPushes({ 'data/x.csv': 'x\n1\n' });
    const result = await pull(r.repo);
    expect(r.read('data/x.csv')).toBe('x\n1\n');
    expect(result.renamed[0]!.from).toBe('data');
    expect(r.read(result.renamed[0]!.to)).toBe('my data\n');
  });

  it('keeps a file the learner staged where the teacher adds the same path, and the teacher’s beside it', async () => {
    const r = await learnerRig(t, { 'README.md': 'hi\n' });
    r.learnerEdits({ 'answer.py': 'mine = 1\n' });
    await r.git(['add', 'answer.py']);
    await r.teacherPushes({ 'answer.py': 'theirs = 2\n' });
    const result = await pull(r.repo);
    expect(r.read('answer.py')).toBe('mine = 1\n');
    expect(result.keptAside).toEqual([
      { path: 'answer.py', incoming: 'answer__teacher.py', from: 'teacher' },
    ]);
    expect(r.read('answer__teacher.py')).toBe('theirs = 2\n');
  });
});

describe('Pull after the teacher rewrote or reshaped the template', () => {
  it('brings in a template whose history was squashed into a new root, without an error', async () => {
    const r = await learnerRig(t, {
      'ex.ipynb': notebook([{ id: 'q1', source: '# answer' }]),
      'README.md': 'v1\n',
    });
    r.learnerEdits({ 'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 42' }]) });
    await r.teacherRewritesHistory({
      'ex.ipynb': notebook([{ id: 'q1', source: '# answer' }]),
      'README.md': 'v2\n',
      'new.md': 'new\n',
    });
    const result = await pull(r.repo);
    expect(cellSources(r.read('ex.ipynb'))).toEqual(['answer = 42']);
    expect(r.read('new.md')).toBe('new\n');
    expect(result.teacherCommits).toBe(1);
    valid(r.notebookProblems());
    expect((await pull(r.repo)).upToDate).toBe(true);
  });

  it('keeps a valid notebook and the learner’s run cell when the teacher turned that code cell into Markdown', async () => {
    const base = [
      { id: 'intro', type: 'markdown' as const, source: '# Ex' },
      { id: 'q1', source: 'x = 1\nprint(x)' },
    ];
    const r = await learnerRig(t, { 'ex.ipynb': notebook(base) });
    r.learnerEdits({
      'ex.ipynb': notebook([base[0]!, { id: 'q1', source: 'x = 1\nprint(x)', outputs: ['1\n'], count: 1 }]),
    });
    await r.teacherPushes({
      'ex.ipynb': notebook([base[0]!, { id: 'q1', type: 'markdown', source: 'Think about x.' }]),
    });
    const result = await pull(r.repo);
    valid(r.notebookProblems());
    const nb = JSON.parse(r.read('ex.ipynb')) as { cells: Array<{ cell_type: string; outputs?: unknown[] }> };
    expect(nb.cells.filter((c) => c.cell_type === 'markdown' && 'outputs' in c)).toEqual([]);
    expect(cellSources(r.read('ex.ipynb'))).toContain('Think about x.');
    expect(cellSources(r.read('ex.ipynb'))).toContain('x = 1\nprint(x)');
    expect(result.notebookNotes.map((n) => n.kind)).toContain('type-changed');
  });

  it('gives every cell an id when the teacher upgraded to nbformat 4.5 and the learner ran a 4.4 cell', async () => {
    const cells = [
      { type: 'markdown' as const, source: '# Ex' },
      { source: 'y = 2\nprint(y)' },
      { source: 'z = 3' },
    ];
    const r = await learnerRig(t, { 'ex.ipynb': notebook(cells, { minor: 4 }) });
    r.learnerEdits({
      'ex.ipynb': notebook([cells[0]!, { ...cells[1]!, outputs: ['2\n'], count: 1 }, cells[2]!], {
        minor: 4,
      }),
    });
    await r.teacherPushes({
      'ex.ipynb': notebook(
        cells.map((c, i) => ({ ...c, id: `cell-${i}` })),
        { minor: 5 },
      ),
    });
    await pull(r.repo);
    valid(r.notebookProblems());
    const nb = JSON.parse(r.read('ex.ipynb')) as {
      nbformat_minor: number;
      cells: Array<{ id?: string; outputs?: unknown[] }>;
    };
    if (nb.nbformat_minor >= 5) expect(nb.cells.every((c) => typeof c.id === 'string')).toBe(true);
    expect(nb.cells[1]!.outputs).toHaveLength(1);
  });
});

describe('Commit & push when both sides are the learner (work saved from a laptop and in the workspace)', () => {
  it('keeps both versions of a line both changed: the workspace’s in place, GitLab’s beside it, and says so', async () => {
    const r = await learnerRig(t, {
      'notes.md': 'line 1\nline 2\n',
      'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 0' }]),
    });
    await r.pushToForkFromElsewhere({
      'notes.md': 'line 1\nline 2 from my laptop\n',
      'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 1  # laptop' }]),
    });
    r.learnerEdits({
      'notes.md': 'line 1\nline 2 from the workspace\n',
      'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 2  # workspace' }]),
    });
    const result = await commitAndPush(r.repo);
    expect(result).toMatchObject({ pushed: true, pulledFirst: true });
    expect(r.read('notes.md')).toBe('line 1\nline 2 from the workspace\n');
    expect(r.read('notes__gitlab.md')).toBe('line 1\nline 2 from my laptop\n');
    expect(cellSources(r.read('ex.ipynb'))).toEqual(['answer = 2  # workspace']);
    expect(cellSources(r.read('ex__gitlab.ipynb'))).toEqual(['answer = 1  # laptop']);
    expect(result.pull?.keptAside.map((k) => [k.path, k.incoming, k.from])).toEqual(
      expect.arrayContaining([
        ['notes.md', 'notes__gitlab.md', 'gitlab'],
        ['ex.ipynb', 'ex__gitlab.ipynb', 'gitlab'],
      ]),
    );
    valid(r.notebookProblems());
  });

  it('merges without a copy when the laptop and the workspace changed different cells', async () => {
    const r = await learnerRig(t, {
      'ex.ipynb': notebook([
        { id: 'q1', source: 'a = 0' },
        { id: 'q2', source: 'b = 0' },
      ]),
    });
    await r.pushToForkFromElsewhere({
      'ex.ipynb': notebook([
        { id: 'q1', source: 'a = 1' },
        { id: 'q2', source: 'b = 0' },
      ]),
    });
    r.learnerEdits({
      'ex.ipynb': notebook([
        { id: 'q1', source: 'a = 0' },
        { id: 'q2', source: 'b = 2' },
      ]),
    });
    const result = await commitAndPush(r.repo);
    expect(cellSources(r.read('ex.ipynb'))).toEqual(['a = 1', 'b = 2']);
    expect(result.pull?.keptAside).toEqual([]);
  });
});
