import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAndPush, pull } from '../../src/gitops/index.ts';
import { closeLocalSandboxes } from '../support/local-sandbox.ts';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { cellSources, learnerRig, notebook } from './learner-repo-rig.ts';

let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => {
  await closeLocalSandboxes();
  await t?.close();
});

const exercise = () =>
  notebook([
    { id: 'intro', type: 'markdown', source: '# Exercise 1\nCompute the answer.' },
    { id: 'q1', source: '# answer here\n' },
    { id: 'q2', source: 'x = 1\nprint(x)' },
    { id: 'end', type: 'markdown', source: 'Well done.' },
  ]);

/** The template's notebook with some cells replaced (by id) or inserted after another cell. */
function edited(changes: Record<string, string>, insert?: { after: string; id: string; source: string }) {
  const cells = [
    { id: 'intro', type: 'markdown' as const, source: '# Exercise 1\nCompute the answer.' },
    { id: 'q1', source: '# answer here\n' },
    { id: 'q2', source: 'x = 1\nprint(x)' },
    { id: 'end', type: 'markdown' as const, source: 'Well done.' },
  ].map((c) => ({ ...c, source: changes[c.id] ?? c.source }));
  if (insert)
    cells.splice(cells.findIndex((c) => c.id === insert.after) + 1, 0, {
      id: insert.id,
      source: insert.source,
    });
  return notebook(cells);
}

describe('Pull: the teacher’s updates meet the learner’s work, which is always kept', () => {
  it('brings in a teacher-only change', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise(), 'README.md': 'Read me\n' });
    await r.teacherPushes({ 'ex.ipynb': edited({ intro: '# Exercise 1\nCompute the answer (fixed).' }) });
    const result = await pull(r.repo);
    expect(result).toMatchObject({ changed: ['ex.ipynb'], teacherCommits: 1, upToDate: false });
    expect(cellSources(r.read('ex.ipynb'))[0]).toBe('# Exercise 1\nCompute the answer (fixed).');
    expect(r.notebookProblems()).toEqual({ 'ex.ipynb': undefined });
    expect(await pull(r.repo)).toMatchObject({ upToDate: true, teacherCommits: 0 });
  });

  it('merges disjoint edits: the learner’s unsaved-to-git answer and the teacher’s fix in another cell', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise() });
    r.learnerEdits({ 'ex.ipynb': edited({ q1: 'answer = 6 * 7\n' }) });
    await r.teacherPushes({ 'ex.ipynb': edited({ q2: 'x = 2\nprint(x)' }) });
    await pull(r.repo);
    const cells = cellSources(r.read('ex.ipynb'));
    expect(cells[1]).toBe('answer = 6 * 7\n');
    expect(cells[2]).toBe('x = 2\nprint(x)');
    expect(r.notebookProblems()).toEqual({ 'ex.ipynb': undefined });
  });

  it('keeps the learner’s line when both edited the same one, in text and in a notebook cell', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise(), 'notes.md': 'line 1\nline 2\nline 3\n' });
    r.learnerEdits({
      'notes.md': 'line 1\nmy line 2\nline 3\n',
      'ex.ipynb': edited({ q1: 'answer = 42\n' }),
    });
    await r.teacherPushes({
      'notes.md': 'line 1\nteacher line 2\nline 3\nline 4\n',
      'ex.ipynb': edited({ q1: '# answer here (a number)\n' }),
    });
    await pull(r.repo);
    expect(r.read('notes.md')).toBe('line 1\nmy line 2\nline 3\nline 4\n');
    expect(cellSources(r.read('ex.ipynb'))[1]).toBe('answer = 42\n');
    expect(r.notebookProblems()).toEqual({ 'ex.ipynb': undefined });
  });

  it('gives back a file the learner deleted and the teacher changed, in the teacher’s version', async () => {
    const r = await learnerRig(t, { 'data.csv': 'a,b\n1,2\n', 'solved.csv': 'x\n' });
    r.learnerEdits({ 'data.csv': null });
    await r.git(['rm', '-q', 'solved.csv']);
    await r.git(['commit', '-q', '-m', 'I do not need it']);
    await r.teacherPushes({ 'data.csv': 'a,b\n1,2\n3,4\n', 'solved.csv': 'x\ny\n' });
    const result = await pull(r.repo);
    expect(result.restored).toEqual(['data.csv']);
    expect(r.read('data.csv')).toBe('a,b\n1,2\n3,4\n');
    // Deleted and committed, then changed by the teacher: the teacher's new version comes back.
    expect(r.read('solved.csv')).toBe('x\ny\n');
  });

  it('keeps both files when learner and teacher create the same name', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise() });
    r.learnerEdits({
      'draft.md': 'my draft\n',
      'solution.ipynb': notebook([{ id: 'mine', source: 'mine = 1' }]),
    });
    await r.git(['add', 'solution.ipynb']);
    await r.git(['commit', '-q', '-m', 'My solution']);
    await r.teacherPushes({
      'draft.md': 'teacher draft\n',
      'solution.ipynb': notebook([{ id: 'theirs', source: 'theirs = 2' }]),
    });
    const result = await pull(r.repo);
    // Untracked: the learner's copy is renamed, as nbgitpuller does.
    expect(result.renamed).toHaveLength(1);
    expect(result.renamed[0]!.from).toBe('draft.md');
    expect(r.read(result.renamed[0]!.to)).toBe('my draft\n');
    expect(r.read('draft.md')).toBe('teacher draft\n');
    // Committed: the learner's stays where it is, the teacher's goes beside it.
    expect(cellSources(r.read('solution.ipynb'))).toEqual(['mine = 1']);
    expect(result.keptAside).toEqual([
      { path: 'solution.ipynb', incoming: 'solution__teacher.ipynb', from: 'teacher' },
    ]);
    expect(cellSources(r.read('solution__teacher.ipynb'))).toEqual(['theirs = 2']);
    expect(Object.values(r.notebookProblems())).toEqual([undefined, undefined, undefined]);
  });

  it('keeps valid notebooks when both ran the cells: outputs and execution counts on both sides', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise() });
    const ran = (who: string, count: number) =>
      notebook([
        { id: 'intro', type: 'markdown', source: '# Exercise 1\nCompute the answer.' },
        { id: 'q1', source: '# answer here\n', outputs: [`${who}\n`], count },
        { id: 'q2', source: 'x = 1\nprint(x)', outputs: ['1\n'], count: count + 1 },
        { id: 'end', type: 'markdown', source: 'Well done.' },
      ]);
    r.learnerEdits({ 'ex.ipynb': ran('learner', 3) });
    await r.teacherPushes({ 'ex.ipynb': ran('teacher', 7) });
    await pull(r.repo);
    expect(r.notebookProblems()).toEqual({ 'ex.ipynb': undefined });
    const nb = JSON.parse(r.read('ex.ipynb')) as {
      cells: Array<{ outputs?: Array<{ text: string[] }>; execution_count?: number }>;
    };
    expect(nb.cells[1]!.outputs![0]!.text).toEqual(['learner\n']);
    expect(nb.cells[1]!.execution_count).toBe(3);
  });

  it('keeps both cells when both inserted one at the same place, the learner’s first', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise() });
    r.learnerEdits({ 'ex.ipynb': edited({}, { after: 'q1', id: 'mine', source: 'my_try = 1' }) });
    await r.teacherPushes({
      'ex.ipynb': edited({}, { after: 'q1', id: 'hint', source: '# Hint: use a loop' }),
    });
    await pull(r.repo);
    expect(cellSources(r.read('ex.ipynb'))).toEqual([
      '# Exercise 1\nCompute the answer.',
      '# answer here\n',
      'my_try = 1',
      '# Hint: use a loop',
      'x = 1\nprint(x)',
      'Well done.',
    ]);
    expect(r.notebookProblems()).toEqual({ 'ex.ipynb': undefined });
  });

  it('never leaves a notebook Jupyter cannot open, even without cell ids (nbformat 4.4)', async () => {
    const old = (cells: Array<{ source: string }>) => notebook(cells, { minor: 4 });
    const r = await learnerRig(t, { 'ex.ipynb': old([{ source: 'a = 1' }, { source: 'b = 2' }]) });
    r.learnerEdits({ 'ex.ipynb': old([{ source: 'a = 1' }, { source: 'mine = 3' }, { source: 'b = 2' }]) });
    await r.teacherPushes({
      'ex.ipynb': old([{ source: 'a = 1' }, { source: 'hint = 4' }, { source: 'b = 2' }]),
    });
    const result = await pull(r.repo);
    expect(r.notebookProblems()['ex.ipynb']).toBeUndefined();
    expect(cellSources(r.read('ex.ipynb'))).toContain('mine = 3');
    for (const kept of result.keptAside) expect(r.notebookProblems()[kept.incoming]).toBeUndefined();
  });

  it('keeps the learner’s notebook and puts the teacher’s beside it when a merge cannot make it valid', async () => {
    const r = await learnerRig(t, { 'broken.ipynb': '{"cells": [\n' });
    r.learnerEdits({ 'broken.ipynb': '{"cells": [\n"mine"\n' });
    await r.teacherPushes({ 'broken.ipynb': exercise() });
    const result = await pull(r.repo);
    expect(r.read('broken.ipynb')).toBe('{"cells": [\n"mine"\n');
    expect(result.keptAside).toEqual([
      { path: 'broken.ipynb', incoming: 'broken__teacher.ipynb', from: 'teacher' },
    ]);
    expect(r.read('broken__teacher.ipynb')).toBe(exercise());
  });

  it('brings in work the learner saved to their fork from elsewhere, with the teacher’s', async () => {
    const r = await learnerRig(t, { 'ex.ipynb': exercise(), 'a.txt': 'a\n' });
    await r.pushToForkFromElsewhere({ 'a.txt': 'a edited in GitLab\n' });
    await r.teacherPushes({ 'b.txt': 'new from the teacher\n' });
    r.learnerEdits({ 'ex.ipynb': edited({ q1: 'answer = 1\n' }) });
    await pull(r.repo);
    expect(r.read('a.txt')).toBe('a edited in GitLab\n');
    expect(r.read('b.txt')).toBe('new from the teacher\n');
    expect(cellSources(r.read('ex.ipynb'))[1]).toBe('answer = 1\n');
    // And it all goes up on the next save.
    expect(await commitAndPush(r.repo)).toMatchObject({ pushed: true, pulledFirst: false });
  });

  it('merges a teacher’s fix even when Jupyter rewrote the learner’s whole file on save (sources as lines)', async () => {
    const asStrings = (text: string) => {
      const nb = JSON.parse(text) as { cells: Array<{ source: string[] | string }> };
      for (const c of nb.cells) c.source = (c.source as string[]).join('');
      return JSON.stringify(nb, null, 2);
    };
    const r = await learnerRig(t, { 'ex.ipynb': asStrings(exercise()) });
    r.learnerEdits({ 'ex.ipynb': edited({ q1: 'answer = 6 * 7\n' }) });
    await r.teacherPushes({ 'ex.ipynb': asStrings(edited({ intro: '# Exercise 1 (fixed)\nCompute it.' })) });
    await pull(r.repo);
    const cells = cellSources(r.read('ex.ipynb'));
    expect(cells[0]).toBe('# Exercise 1 (fixed)\nCompute it.');
    expect(cells[1]).toBe('answer = 6 * 7\n');
    expect(r.notebookProblems()).toEqual({ 'ex.ipynb': undefined });
  });
});
