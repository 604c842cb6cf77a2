import { describe, expect, it } from 'vitest';
import { ENGLISH, FRENCH } from '../../jupyter-extension/src/messages';
import {
  parseCommitResult,
  parseSessionInfo,
  parseStatusResult,
} from '../../jupyter-extension/src/responses';
import { summarizeCommit, summarizeStatus, type IResultSummary } from '../../jupyter-extension/src/summaries';

const said = (summary: IResultSummary) =>
  summary.blocks
    .map((b) =>
      b.kind === 'sentence' ? b.text : b.kind === 'list' ? [b.heading, ...b.items].join('\n') : '',
    )
    .join('\n');

const clean = parseStatusResult({
  branch: 'main',
  ahead: 0,
  behind: 0,
  teacherUpdates: 0,
  changed: [],
  lastCommit: null,
});
const commit = (o: object) =>
  parseCommitResult({
    committed: false,
    sha: 'abcdef0123',
    pushed: true,
    files: [],
    pulledFirst: false,
    ...o,
  });

describe('Status counts what is open and unsaved', () => {
  it('never says "no changes" while an open notebook has unsaved edits', () => {
    expect(said(summarizeStatus(clean, ENGLISH))).toContain('No changes since your last save.');
    const one = said(summarizeStatus(clean, ENGLISH, ['ex.ipynb']));
    expect(one).toContain('1 open notebook has unsaved changes: it is saved with Commit & push.');
    expect(one).toContain('ex.ipynb');
    expect(one).not.toContain('No changes');
    expect(said(summarizeStatus(clean, ENGLISH, ['a.ipynb', 'notes.md']))).toContain(
      '2 open files have unsaved changes: they are saved with Commit & push.',
    );
    expect(said(summarizeStatus(clean, FRENCH, ['ex.ipynb']))).toContain(
      '1 notebook ouvert a des modifications non enregistrées',
    );
  });
});

describe('Status and Commit & push tell the same story', () => {
  it('after a Pull: the saves Status counts are the ones Commit & push says it sent', () => {
    const status = said(summarizeStatus(parseStatusResult({ ...clean, ahead: 3 }), ENGLISH));
    expect(status).toContain('3 saves are not in GitLab yet (Commit & push sends them).');
    const sent = said(summarizeCommit(commit({ sent: 3 }), ENGLISH));
    expect(sent).toContain('the 3 saves that were not in GitLab yet are now there');
    expect(sent).not.toContain('Nothing new to save');
    expect(said(summarizeCommit(commit({ sent: 0 }), ENGLISH))).toContain(
      'Nothing new to save: GitLab already has all your work.',
    );
    // A server that does not say what it sent: as before.
    expect(said(summarizeCommit(commit({}), FRENCH))).toContain('Rien de nouveau à enregistrer');
  });
});

describe('what labgate says about the session', () => {
  it('reads the language and labgate’s pages, and refuses an address that is not a web page', () => {
    const links = {
      signOut: 'https://labgate.example/sign-out',
      reset: 'https://labgate.example/home/reset',
    };
    expect(parseSessionInfo({ locale: 'fr', links })).toEqual({ locale: 'fr', links });
    expect(() =>
      parseSessionInfo({ locale: 'fr', links: { ...links, signOut: 'javascript:alert(1)' } }),
    ).toThrow(/web address/);
  });
});
