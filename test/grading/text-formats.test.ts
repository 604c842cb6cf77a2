import { describe, expect, it } from 'vitest';
import { diffFiles } from '../../src/grading/index.ts';

const diff = (name: string, a: string, b: string) =>
  diffFiles({ name, bytes: Buffer.from(a) }, { name, bytes: Buffer.from(b) }).diff;
const rows = (d: ReturnType<typeof diff>) =>
  d.blocks.map((b) => `${b.op} ${b.kind}${b.key ? `[${b.key}]` : ''}`);

describe('block diffs of Markdown, R Markdown and Org', () => {
  it('shows an R chunk whose options silently disable the answer as modified, keyed by its label', () => {
    const template = '# TP\n\n```{r answer}\nmean(x)\n```\n\n```{r plot}\nplot(x)\n```\n';
    const learner = '# TP\n\n```{r plot}\nplot(x)\n```\n\n```{r answer, eval=FALSE}\nmean(x)\n```\n';
    const d = diff('tp.Rmd', template, learner);
    expect(rows(d)).toContain('moved code[answer]');
    const answer = d.blocks.find((b) => b.key === 'answer')!;
    expect(answer.source?.ops.find((op) => op.op === 'replace')).toMatchObject({
      left: ['```{r answer}\n'],
      right: ['```{r answer, eval=FALSE}\n'],
    });
  });

  it('follows Org src blocks by name and headlines by outline path', () => {
    const a = '* Ex\n#+NAME: f\n#+BEGIN_SRC python\ndef f(): pass\n#+END_SRC\n* Notes\nnone\n';
    const b =
      '* Ex\n#+NAME: f\n#+BEGIN_SRC python\ndef f(): return 1\n#+END_SRC\n* Notes\nnone\n* New\ntext\n';
    expect(rows(diff('notes.org', a, b))).toEqual([
      'unchanged prose[Ex]',
      'modified code[f]',
      'unchanged prose[Notes]',
      'added prose[New]',
    ]);
  });

  it('diffs Markdown by section and other text by line', () => {
    expect(rows(diff('README.md', '# A\none\n# B\ntwo\n', '# A\none\n# B\n2\n'))).toEqual([
      'unchanged prose[# A]',
      'modified prose[# B]',
    ]);
    const text = diff('data.csv', 'a,b\n1,2\n', 'a,b\n1,3\n');
    expect(text.blocks[0]).toMatchObject({ op: 'modified', source: { added: 1, removed: 1 } });
  });
});
