import { describe, expect, it } from 'vitest';
import type { Document } from './document.ts';
import { readDocument } from './read-document.ts';

const read = (name: string, text: string | Buffer) =>
  readDocument(name, Buffer.isBuffer(text) ? text : Buffer.from(text)) as Document;
const shape = (d: Document) => d.blocks.map((b) => `${b.kind}${b.key ? `[${b.key}]` : ''}`);

describe('reading documents', () => {
  it('reads R Markdown: front matter, sections by heading, chunks keyed by label with their options', () => {
    const d = read(
      'tp.Rmd',
      '---\ntitle: TP\n---\n\n# Données\n\nLisez le fichier.\n\n```{r load, echo=FALSE}\nx <- read.csv("d.csv")\n```\n\n```{r}\nsummary(x)\n```\n\n# Analyse\n\nCommentez.\n',
    );
    expect(shape(d)).toEqual([
      'frontmatter[front matter]',
      'prose[# Données]',
      'code[load]',
      'code',
      'prose[# Analyse]',
    ]);
    expect(d.blocks[2]).toMatchObject({ lang: 'r', metadata: { echo: 'FALSE' } });
    expect(d.blocks.map((b) => b.source).join('')).toContain('summary(x)');
  });

  it('reads Quarto’s #| label as a chunk key, and plain Markdown fences by language', () => {
    const d = read('a.qmd', '```{python}\n#| label: fit\nmodel.fit()\n```\n');
    expect(shape(d)).toEqual(['code[fit]']);
    expect(read('b.md', '```js\nlet a\n```\n').blocks[0]).toMatchObject({
      kind: 'code',
      lang: 'js',
      key: undefined,
    });
  });

  it('reads Org-mode: headlines by outline path, named src blocks, and their results', () => {
    const d = read(
      'notes.org',
      '* Exercice\n** Question 1\nCalculez.\n#+NAME: moyenne\n#+BEGIN_SRC python :results output\nprint(2)\n#+END_SRC\n\n#+RESULTS: moyenne\n: 2\n',
    );
    expect(shape(d)).toEqual(['prose[Exercice]', 'prose[Exercice / Question 1]', 'code[moyenne]']);
    expect(d.blocks[2]).toMatchObject({ lang: 'python', metadata: { header: ':results output' } });
    expect(d.blocks[2]!.outputs).toEqual([{ type: 'stream', name: 'results', text: '2\n' }]);
  });

  it('reads an nbformat 3 notebook as version 4, and says so', () => {
    const v3 = {
      nbformat: 3,
      nbformat_minor: 0,
      metadata: {},
      worksheets: [
        {
          cells: [
            { cell_type: 'heading', level: 2, source: ['Titre'], metadata: {} },
            {
              cell_type: 'code',
              input: ['print(1)'],
              prompt_number: 3,
              metadata: {},
              outputs: [{ output_type: 'pyout', text: ['1'], prompt_number: 3 }],
            },
          ],
        },
      ],
    };
    const d = read('old.ipynb', JSON.stringify(v3));
    expect(d.blocks.map((b) => [b.kind, b.source])).toEqual([
      ['markdown', '## Titre'],
      ['code', 'print(1)'],
    ]);
    expect(d.blocks[1]!.outputs).toEqual([{ type: 'data', data: { 'text/plain': '1' }, executionCount: 3 }]);
    expect(d.notes[0]).toContain('nbformat 3');
  });

  it('reads notebooks without cell ids (nbformat 4.4) with no keys', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [{ cell_type: 'code', source: 'x', metadata: {}, outputs: [], execution_count: null }],
    };
    expect(read('a.ipynb', JSON.stringify(nb)).blocks[0]!.key).toBeUndefined();
  });

  it('refuses a notebook that is not JSON, or not a notebook, naming the file and the place', () => {
    expect(() => read('broken.ipynb', '{"cells": [')).toThrow(
      /broken\.ipynb: is not a notebook: it is not valid JSON/,
    );
    expect(() => read('v5.ipynb', '{"nbformat": 5, "cells": []}')).toThrow(/nbformat 5; expected 4 or 3/);
    expect(() => read('bad.ipynb', '{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}')).toThrow(
      /bad\.ipynb: is not a valid notebook: at cells\/0\/source/,
    );
  });

  it('takes a binary file named .md for what it is: bytes, compared by hash', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(readDocument('notes.md', png)).toMatchObject({ format: 'binary', size: 12 });
    expect(readDocument('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toMatchObject({
      format: 'binary',
    });
  });
});
