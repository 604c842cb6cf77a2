import { describe, expect, it } from 'vitest';
import { mergeNotebookCells } from './notebook-merge.ts';
import { notebookProblem } from './notebook-validity.ts';

type Cell = Record<string, unknown>;
type Random = () => number;

function rng(seed: number): Random {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
const choose = <T>(random: Random, list: readonly T[]) => list[Math.floor(random() * list.length)]!;

const asType = (cell: Cell, type: string): Cell => {
  const { outputs: _o, execution_count: _e, attachments: _a, ...rest } = cell;
  return type === 'code'
    ? { ...rest, cell_type: type, outputs: [], execution_count: null }
    : { ...rest, cell_type: type };
};

/** One author's random edits: edit a source, run a cell, change a type, insert, delete. */
function edit(random: Random, cells: Cell[], who: 'L' | 'T'): Cell[] {
  const out = cells.map((c) => ({ ...c }));
  const count = 1 + Math.floor(random() * 4);
  for (let n = 0; n < count; n++) {
    const tag = `${who}${n}-${Math.floor(random() * 1e6)}`;
    const at = Math.floor(random() * out.length);
    const cell = out[at];
    const op = choose(random, ['edit', 'run', 'type', 'insert', 'delete'] as const);
    if (op === 'insert' || !cell)
      out.splice(at, 0, { id: tag, cell_type: 'markdown', metadata: {}, source: tag });
    else if (op === 'edit') cell['source'] = `${cell['source']}\n${tag}`;
    else if (op === 'run' && cell['cell_type'] === 'code')
      Object.assign(cell, {
        outputs: [{ output_type: 'stream', name: 'stdout', text: tag }],
        execution_count: n + 1,
      });
    else if (op === 'type') out[at] = asType(cell, choose(random, ['code', 'markdown', 'raw']));
    else if (op === 'delete') out.splice(at, 1);
  }
  return out;
}

function baseCells(random: Random): Cell[] {
  return Array.from({ length: 2 + Math.floor(random() * 6) }, (_, i) =>
    asType({ id: `b${i}`, metadata: {}, source: `base ${i}` }, choose(random, ['code', 'markdown'])),
  );
}

const noIds = (cells: Cell[]) => cells.map(({ id: _, ...c }) => c);
const nb = (cells: Cell[], minor: number) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: minor, metadata: {}, cells });
const outputText = (cell: Cell) => (cell['outputs'] as Array<{ text?: string }> | undefined)?.[0]?.text;

/** Sources and outputs the learner wrote: absent from the base. */
function learnerWork(base: Cell[], ours: Cell[]) {
  const baseSources = new Set(base.map((c) => c['source']));
  const baseOutputs = new Set(base.map(outputText));
  return {
    sources: ours.map((c) => c['source'] as string).filter((s) => !baseSources.has(s)),
    outputs: ours.flatMap((c) =>
      outputText(c) && !baseOutputs.has(outputText(c)) ? [{ id: c['id'], text: outputText(c)! }] : [],
    ),
  };
}

type Variant = 'all with ids' | 'base 4.4, teacher upgraded' | 'base 4.4, both upgraded';

function trial(seed: number, variant: Variant) {
  const random = rng(seed);
  const base = baseCells(random);
  const ours = edit(random, base, 'L');
  const theirs = edit(random, base, 'T');
  const idless = variant !== 'all with ids';
  const merged = mergeNotebookCells(
    idless ? nb(noIds(base), 4) : nb(base, 5),
    variant === 'base 4.4, teacher upgraded' ? nb(noIds(ours), 4) : nb(ours, 5),
    nb(theirs, 5),
  );
  return { base, ours, merged };
}

describe('mergeNotebooks on random edits by both sides', () => {
  it.each<[Variant, number]>([
    ['all with ids', 2000],
    ['base 4.4, teacher upgraded', 1000],
    ['base 4.4, both upgraded', 1000],
  ])('%s: valid, every learner source kept, outputs kept or reported', (variant, runs) => {
    let merged = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const t = trial(seed, variant);
      if (!t.merged) continue;
      merged++;
      expect(notebookProblem(t.merged.text), `seed ${seed}`).toBeUndefined();
      const cells = (JSON.parse(t.merged.text) as { cells: Cell[] }).cells;
      const sources = new Set(cells.map((c) => c['source']));
      const outputs = new Set(cells.map(outputText));
      const work = learnerWork(t.base, t.ours);
      for (const source of work.sources) expect(sources.has(source), `seed ${seed}: ${source}`).toBe(true);
      // Outputs of code the teacher replaced may go, each reported (by the merged id, the teacher's).
      const dropped = t.merged.notes.flatMap((n) => (n.kind === 'outputs-dropped' ? [n.cellId] : []));
      const lost = work.outputs.filter((o) => !outputs.has(o.text));
      expect(lost.length, `seed ${seed}`).toBeLessThanOrEqual(dropped.length);
      if (variant === 'all with ids')
        expect(dropped, `seed ${seed}`).toEqual(expect.arrayContaining(lost.map((o) => o.id)));
    }
    console.log(`${variant}: ${merged} of ${runs} merged cell by cell`);
    expect(merged).toBe(runs);
  });
});
