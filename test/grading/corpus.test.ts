import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffFiles } from '../../src/grading/index.ts';

// nbdime's own test notebooks (Modified BSD License, see LICENSE.md beside them in shared/corpus).
const corpus = path.resolve(import.meta.dirname, '../../fixtures/nbdime-corpus');

/**
 * Expected alignments, one token per row of the diff: op (u unchanged, m modified, a added, r removed,
 * v moved), then left:right cell indices. Written from reading each pair's cells.
 */
const expected: Array<[base: string, changed: string, alignment: string]> = [
  ['nbdime/tests/files/apap.ipynb', 'nbdime/tests/files/apap--1.ipynb', 'a-:0 m0:1'],
  ['nbdime/tests/files/apap.ipynb', 'nbdime/tests/files/apap--2.ipynb', 'a-:0 m0:1'],
  ['nbdime/tests/files/apap.ipynb', 'nbdime/tests/files/apap--3.ipynb', 'a-:0 m0:1'],
  ['nbdime/tests/files/attachment.ipynb', 'nbdime/tests/files/attachment--change_attachment.ipynb', 'm0:0'],
  [
    'nbdime/tests/files/attachment.ipynb',
    'nbdime/tests/files/attachment--empty_attachments_list.ipynb',
    'm0:0',
  ],
  ['nbdime/tests/files/attachment.ipynb', 'nbdime/tests/files/attachment--remove_attachment.ipynb', 'm0:0'],
  [
    'nbdime/tests/files/cellids--base.ipynb',
    'nbdime/tests/files/cellids--local.ipynb',
    'u0:0 m1:1 m2:2 u3:3 u4:4 m5:5 r6:- a-:6 u7:7',
  ],
  [
    'nbdime/tests/files/cellids--base.ipynb',
    'nbdime/tests/files/cellids--remote.ipynb',
    'u0:0 u1:1 u2:2 m3:3 m4:4 a-:5 m5:6 r6:- u7:7',
  ],
  [
    'nbdime/tests/files/multi_cell_nb.ipynb',
    'nbdime/tests/files/multi_cell_nb--cellchange.ipynb',
    'm0:0 u1:1 r2:- a-:2 a-:3 u3:4 r4:-',
  ],
  [
    'nbdime/tests/files/multi_cell_nb.ipynb',
    'nbdime/tests/files/multi_cell_nb--local.ipynb',
    'u0:0 m1:1 m2:2 u3:3 m4:4',
  ],
  [
    'nbdime/tests/files/multi_cell_nb.ipynb',
    'nbdime/tests/files/multi_cell_nb--remote.ipynb',
    'm0:0 u1:1 u2:2 u3:3 u4:4',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--changed_ec.ipynb',
    'u0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--changed_metadata.ipynb',
    'u0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--changed_output.ipynb',
    'm0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--changed_source.ipynb',
    'm0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--changed_source_output.ipynb',
    'm0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--changed_source_output_ec.ipynb',
    'm0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--json_output.ipynb',
    'm0:0 u1:1',
  ],
  [
    'nbdime/tests/files/single_cell_nb.ipynb',
    'nbdime/tests/files/single_cell_nb--json_output_changed.ipynb',
    'm0:0 u1:1',
  ],
  ['nbdime/tests/files/inline-conflict--1.ipynb', 'nbdime/tests/files/inline-conflict--2.ipynb', 'm0:0 u1:1'],
  ['nbdime/tests/files/inline-conflict--1.ipynb', 'nbdime/tests/files/inline-conflict--3.ipynb', 'm0:0 u1:1'],
  ['nbdime/tests/files/source-conflict--1.ipynb', 'nbdime/tests/files/source-conflict--2.ipynb', 'm0:0'],
  ['nbdime/tests/files/source-conflict--1.ipynb', 'nbdime/tests/files/source-conflict--3.ipynb', 'm0:0'],
  [
    'nbdime/tests/files/output-conflict--1.ipynb',
    'nbdime/tests/files/output-conflict--2.ipynb',
    'u0:0 m1:1 m2:2 u3:3',
  ],
  [
    'nbdime/tests/files/output-conflict--1.ipynb',
    'nbdime/tests/files/output-conflict--3.ipynb',
    'u0:0 m1:1 m2:2 u3:3',
  ],
  [
    'nbdime/tests/files/mixed-conflicts--1.ipynb',
    'nbdime/tests/files/mixed-conflicts--2.ipynb',
    'm0:0 m1:1 u2:2 m3:3 u4:4',
  ],
  [
    'nbdime/tests/files/mixed-conflicts--1.ipynb',
    'nbdime/tests/files/mixed-conflicts--3.ipynb',
    'm0:0 m1:1 u2:2 m3:3 u4:4',
  ],
  ['nbdime/tests/files/unicode--1.ipynb', 'nbdime/tests/files/unicode--2.ipynb', 'm0:0'],
  [
    'nbdime/tests/files/test-data-singlecell--1.ipynb',
    'nbdime/tests/files/test-data-singlecell--2.ipynb',
    'm0:0',
  ],
  [
    'nbdime/tests/files/src-and-output--1.ipynb',
    'nbdime/tests/files/src-and-output--2.ipynb',
    // Identical sources are paired with the same outputs first: swapped outputs read as moves.
    'u0:0 u1:1 v3:2 u2:3 u4:4 u6:5 v5:6',
  ],
  [
    'nbdime/tests/files/markdown-only--1.ipynb',
    'nbdime/tests/files/markdown-only--2.ipynb',
    'm0:0 u1:1 m2:2',
  ],
  ['nbdime/tests/files/foo--1.ipynb', 'nbdime/tests/files/foo--2.ipynb', 'm0:0 m1:1 u2:2'],
  ['nbdime/tests/files/error--1.ipynb', 'nbdime/tests/files/error--2.ipynb', 'm0:0 m1:1'],
  [
    'nbdime/tests/files/multilevel-test-base.ipynb',
    'nbdime/tests/files/multilevel-test-local.ipynb',
    'u0:0 m1:1 m2:2 u3:3 u4:4 u5:5',
  ],
  [
    'nbdime/tests/files/multilevel-test-base.ipynb',
    'nbdime/tests/files/multilevel-test-remote.ipynb',
    'u0:0 u1:1 u2:2 m3:3 m4:4 u5:5',
  ],
  ['nbdime/tests/files/empty.ipynb', 'nbdime/tests/files/multi_cell_nb.ipynb', 'a-:0 a-:1 a-:2 a-:3 a-:4'],
  ['examples/example4/center.ipynb', 'examples/example4/left.ipynb', 'm0:0 m1:1 m2:2 m3:3'],
  ['examples/example4/center.ipynb', 'examples/example4/right.ipynb', 'm0:0 r1:- r2:- r3:-'],
  ['examples/example6/center.ipynb', 'examples/example6/left.ipynb', 'm0:0'],
  ['examples/example6/center.ipynb', 'examples/example6/right.ipynb', 'm0:0'],
  ['examples/example7/center.ipynb', 'examples/example7/left.ipynb', 'm0:0'],
  ['examples/example7/center.ipynb', 'examples/example7/right.ipynb', 'm0:0'],
  ['examples/example8/center.ipynb', 'examples/example8/left.ipynb', 'm0:0 m1:1 r2:-'],
  ['examples/example8/center.ipynb', 'examples/example8/right.ipynb', 'm0:0 u1:1 u2:2'],
  ['examples/example9/center.ipynb', 'examples/example9/left.ipynb', 'm0:0'],
  ['examples/example9/center.ipynb', 'examples/example9/right.ipynb', 'm0:0'],
  ['ui-tests/data/diff_test1/center.ipynb', 'ui-tests/data/diff_test1/left.ipynb', 'u0:0 a-:1 a-:2'],
  ['ui-tests/data/diff_test2/center.ipynb', 'ui-tests/data/diff_test2/left.ipynb', 'u0:0 r1:- r2:-'],
  ['ui-tests/data/diff_test3/center.ipynb', 'ui-tests/data/diff_test3/left.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test1/center.ipynb', 'ui-tests/data/merge_test1/left.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test1/center.ipynb', 'ui-tests/data/merge_test1/right.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test2/center.ipynb', 'ui-tests/data/merge_test2/left.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test2/center.ipynb', 'ui-tests/data/merge_test2/right.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test3/center.ipynb', 'ui-tests/data/merge_test3/left.ipynb', 'm0:0 m1:1'],
  ['ui-tests/data/merge_test3/center.ipynb', 'ui-tests/data/merge_test3/right.ipynb', 'm0:0 m1:1'],
  ['ui-tests/data/merge_test4/center.ipynb', 'ui-tests/data/merge_test4/left.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test4/center.ipynb', 'ui-tests/data/merge_test4/right.ipynb', 'u0:0'],
  ['ui-tests/data/merge_test5/center.ipynb', 'ui-tests/data/merge_test5/left.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test5/center.ipynb', 'ui-tests/data/merge_test5/right.ipynb', 'm0:0'],
  ['ui-tests/data/merge_test6/center.ipynb', 'ui-tests/data/merge_test6/left.ipynb', 'm0:0 u1:1 a-:2 m2:3'],
  ['ui-tests/data/merge_test6/center.ipynb', 'ui-tests/data/merge_test6/right.ipynb', 'm0:0 u1:1 m2:2 a-:3'],
];

const alignment = (base: string, changed: string) => {
  const read = (f: string) => ({ name: f, bytes: readFileSync(path.join(corpus, f)) });
  const { diff } = diffFiles(read(base), read(changed));
  return diff.blocks
    .map((b) => `${b.op === 'moved' ? 'v' : b.op[0]}${b.left ?? '-'}:${b.right ?? '-'}`)
    .join(' ');
};

describe('notebook diff conformance on nbdime’s corpus', () => {
  it.each(expected)('%s → %s', (base, changed, want) => {
    expect(alignment(base, changed)).toBe(want);
  });
});
