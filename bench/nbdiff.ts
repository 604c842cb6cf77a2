/**
 * Notebook diff time for notebooks of 100, 1,000 and 4,000 cells with 5% of cells edited (plus a few
 * inserted, deleted and moved), with cell ids (nbformat 4.5) and without (older notebooks, aligned by
 * content): the time per diff, and time(4N)/time(N), which is 4 for linear growth and 16 for quadratic.
 * Also the 2,000-cell pair of the acceptance criterion. Everything in one process, best of 5 runs.
 */
import { diffFiles } from '../src/grading/index.ts';

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function notebook(n: number, o: { ids: boolean; edit: boolean; seed: number }) {
  const random = rng(o.seed);
  type Cell = { cell_type: string; source: string; [field: string]: unknown };
  const cells: Cell[] = Array.from({ length: n }, (_, i) => {
    const code = i % 3 !== 0;
    const source = code
      ? `def step_${i}(x):\n    y = x * ${i} + ${i % 7}\n    return y - ${i % 11}\n\nstep_${i}(${i})\n`
      : `## Question ${i}\n\nExplain what step ${i} computes and why it matters for measurement ${i % 13}.\n`;
    return {
      cell_type: code ? 'code' : 'markdown',
      ...(o.ids ? { id: `cell-${i}` } : {}),
      metadata: {},
      source,
      ...(code
        ? { execution_count: i, outputs: [{ output_type: 'stream', name: 'stdout', text: `${i * 3}\n` }] }
        : {}),
    };
  });
  if (o.edit) {
    for (const cell of cells)
      if (random() < 0.05) cell.source = cell.source.replace('return y', 'return 2 * y');
    cells.splice(Math.floor(n / 3), 0, {
      cell_type: 'code',
      metadata: {},
      source: 'print("inserted")\n',
      execution_count: null,
      outputs: [],
    });
    cells.splice(Math.floor(n / 2), 2);
    const [movedCell] = cells.splice(Math.floor(n / 4), 1);
    cells.splice(Math.floor((3 * n) / 4), 0, movedCell!);
  }
  return Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: o.ids ? 5 : 4, metadata: {}, cells }));
}

function timeDiff(n: number, ids: boolean) {
  const left = { name: 'template.ipynb', bytes: notebook(n, { ids, edit: false, seed: 1 }) };
  const right = { name: 'learner.ipynb', bytes: notebook(n, { ids, edit: true, seed: 1 }) };
  let best = Infinity;
  let summary = '';
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const { diff } = diffFiles(left, right);
    best = Math.min(best, performance.now() - start);
    const s = diff.summary;
    summary = `${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.moved} moved`;
  }
  return { ms: best, summary };
}

for (const ids of [true, false]) {
  console.log(ids ? 'with cell ids:' : 'without cell ids (aligned by content):');
  const times = new Map<number, number>();
  for (const n of [100, 400, 1000, 4000]) {
    const r = timeDiff(n, ids);
    times.set(n, r.ms);
    console.log(`  ${String(n).padStart(5)} cells  ${r.ms.toFixed(1).padStart(8)} ms   (${r.summary})`);
  }
  console.log(
    `  time(400)/time(100)   = ${(times.get(400)! / times.get(100)!).toFixed(1)}  (4 is linear, 16 quadratic)`,
  );
  console.log(`  time(4000)/time(1000) = ${(times.get(4000)! / times.get(1000)!).toFixed(1)}`);
}
const acceptance = timeDiff(2000, true);
console.log(`2,000 cells, 5% edited: ${acceptance.ms.toFixed(1)} ms (${acceptance.summary})`);
