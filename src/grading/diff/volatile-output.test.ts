import { describe, expect, it } from 'vitest';
import { block, type Document, type Output } from '../documents/document.ts';
import { diffDocuments } from './document-diff.ts';
import { maskVolatile } from './volatile-output.ts';

const doc = (...outputs: Output[][]): Document => ({
  format: 'notebook',
  metadata: {},
  notes: [],
  blocks: outputs.map((o, i) => block({ kind: 'code', key: `c${i}`, source: `run(${i})`, outputs: o })),
});
const stdout = (text: string): Output => ({ type: 'stream', name: 'stdout', text });
const plain = (text: string, more: Record<string, string> = {}): Output => ({
  type: 'data',
  data: { 'text/plain': text, ...more },
});

/** Pairs that differ only where a second run of the same code differs. */
const runs: Array<[string, Output, Output]> = [
  [
    'an object address',
    plain('<__main__.Foo object at 0x10a2b3c40>'),
    plain('<__main__.Foo object at 0x7f00aa11bb22>'),
  ],
  [
    'a figure address, beside its image',
    plain('<matplotlib.figure.Figure at 0x7f3b2c1d>', { 'image/png': 'iVBORw0KGgo=' }),
    plain('<matplotlib.figure.Figure at 0x7f3b9999>', { 'image/png': 'iVBORw0KGgo=' }),
  ],
  [
    '%time',
    stdout('CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms\nWall time: 3.4 s\n42\n'),
    stdout('CPU times: user 2.02 ms, sys: 13 µs, total: 2.03 ms\nWall time: 1.9 ms\n42\n'),
  ],
  [
    '%timeit',
    stdout('1.23 ms ± 4.5 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)\n'),
    stdout('987 µs ± 12.1 µs per loop (mean ± std. dev. of 7 runs, 1 loop each)\n'),
  ],
  [
    'a tqdm bar redrawn a different number of times',
    stdout(' 0%|          | 0/10 [00:00<?, ?it/s]\r100%|██████████| 10/10 [00:01<00:00,  9.52it/s]\n'),
    stdout(
      ' 0%|          | 0/10 [00:00<?, ?it/s]\r 50%|█████     | 5/10 [00:00<00:00, 9.9it/s]\r100%|██████████| 10/10 [00:02<00:00,  4.01it/s]\n',
    ),
  ],
];

describe('volatile output', () => {
  it('masks addresses, timings and progress bars, and nothing else', () => {
    expect(maskVolatile('<Foo object at 0x10a2b3c40>')).toBe('<Foo object at 0x…>');
    expect(maskVolatile('Wall time: 3.4 s\nanswer 42')).toBe('…\nanswer 42');
    expect(maskVolatile('<Figure size 640x480 with 1 Axes>')).toBe('<Figure size 640x480 with 1 Axes>');
    expect(maskVolatile('0x1f + 0x20 = 63')).toBe('0x1f + 0x20 = 63');
    expect(maskVolatile('3/4 of the time')).toBe('3/4 of the time');
  });

  for (const [what, a, b] of runs)
    it(`counts outputs differing only in ${what} as unchanged by default, and as modified with volatile: compare`, () => {
      const ignored = diffDocuments(doc([a]), doc([b]));
      expect(ignored.blocks[0]).toMatchObject({ op: 'unchanged' });
      expect(ignored.identical).toBe(true);
      const compared = diffDocuments(doc([a]), doc([b]), { volatile: 'compare' });
      expect(compared.blocks[0]).toMatchObject({ op: 'modified', outputs: [{ op: 'modified' }] });
    });

  it('still sees a real change next to a volatile one', () => {
    const d = diffDocuments(
      doc([stdout('Wall time: 3 s\n41\n')], [plain('<Foo object at 0x1234567>')]),
      doc([stdout('Wall time: 5 s\n42\n')], [plain('<Bar object at 0x1234567>')]),
    );
    expect(d.blocks.map((b) => b.op)).toEqual(['modified', 'modified']);
  });

  it('still sees a different image beside an address', () => {
    const d = diffDocuments(
      doc([plain('<Figure at 0x7f3b2c1d>', { 'image/png': 'AAAA' })]),
      doc([plain('<Figure at 0x7f3b9999>', { 'image/png': 'BBBB' })]),
    );
    expect(d.blocks[0]).toMatchObject({ op: 'modified', outputs: [{ op: 'modified', hashes: {} }] });
  });
});
