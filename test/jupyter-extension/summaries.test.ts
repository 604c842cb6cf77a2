import { describe, expect, it } from 'vitest';
import { ENGLISH, FRENCH } from '../../jupyter-extension/src/messages';
import { parseCommitResult, parsePullResult, parseStatusResult } from '../../jupyter-extension/src/responses';
import { summarizeCommit, summarizePull, summarizeStatus } from '../../jupyter-extension/src/summaries';

const text = (summary: { blocks: readonly { kind: string; text?: string; items?: readonly string[] }[] }) =>
  summary.blocks.map((b) => (b.kind === 'sentence' ? b.text : b.items?.join(', '))).join('\n');

const pullAnswer = {
  changed: ['ex.ipynb'],
  renamed: [],
  restored: [],
  keptAside: [
    { path: 'notes.md', incoming: 'notes__teacher.md', from: 'teacher' },
    { path: 'data.csv', incoming: 'data__gitlab.csv', from: 'gitlab' },
  ],
  notebookNotes: [
    { path: 'ex.ipynb', from: 'teacher', kind: 'outputs-dropped', cellId: 'c1', position: 3 },
    {
      path: 'ex.ipynb',
      from: 'teacher',
      kind: 'type-changed',
      cellId: 'c2',
      learnerCellId: 'c9',
      position: 5,
    },
  ],
  teacherCommits: 1,
  upToDate: false,
};
const disk = { usedBytes: 950 * 2 ** 20, limitBytes: 1024 * 2 ** 20, nearlyFull: true };

describe('what the learner reads after a git button', () => {
  it('tells whose copy was kept beside their file, and what the notebook merge did', () => {
    const said = text(summarizePull(parsePullResult(pullAnswer), ENGLISH));
    expect(said).toContain("your teacher's version is in “notes__teacher.md”");
    expect(said).toContain("GitLab's is in “data__gitlab.csv”");
    expect(said).toMatch(/cell 3: its old outputs were removed/);
    expect(said).toMatch(/changed the kind of cell 5; your version follows it as cell 6/);
    expect(text(summarizePull(parsePullResult(pullAnswer), FRENCH))).toContain(
      'celle de GitLab est dans « data__gitlab.csv »',
    );
  });

  it('warns when the workspace is nearly full, on Status and after saving', () => {
    const status = parseStatusResult({
      branch: 'main',
      ahead: 0,
      behind: 0,
      teacherUpdates: 0,
      changed: [],
      lastCommit: null,
      disk,
    });
    expect(text(summarizeStatus(status, ENGLISH))).toContain('nearly full (950 MB of 1024 MB)');
    const roomy = parseStatusResult({ ...status, disk: { ...disk, nearlyFull: false } });
    expect(text(summarizeStatus(roomy, ENGLISH))).not.toContain('nearly full');
  });

  it('reports what merging GitLab’s newer work did before a commit was pushed', () => {
    const commit = parseCommitResult({
      committed: true,
      sha: 'abcdef0123',
      pushed: true,
      files: ['ex.ipynb'],
      pulledFirst: true,
      pull: pullAnswer,
      disk,
    });
    const said = text(summarizeCommit(commit, ENGLISH));
    expect(said).toContain('abcdef0');
    expect(said).toContain('“data__gitlab.csv”');
    expect(said).toContain('nearly full');
  });

  it('refuses an answer whose kept-aside source it does not know', () => {
    expect(() =>
      parsePullResult({ ...pullAnswer, keptAside: [{ path: 'a', incoming: 'b', from: 'mars' }] }),
    ).toThrow(/source/);
  });
});
