/**
 * The generated notebook pair of the review-page benches: a template of `n` code and Markdown cells
 * (text, HTML and image outputs) and a submission with ~10% of its cells edited, 10 moved, added and removed.
 */

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

export type Cell = { cell_type: string; id: string; source: string; [field: string]: unknown };

function image(random: () => number, bytes: number): string {
  return Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256))).toString('base64');
}

function outputsOf(i: number, random: () => number): unknown[] {
  const stream = { output_type: 'stream', name: 'stdout', text: `step ${i}: ${i * 3}\nok\n` };
  if (i % 10 === 1)
    return [
      stream,
      {
        output_type: 'display_data',
        metadata: {},
        data: { 'image/png': image(random, 15_000), 'text/plain': `<Figure size 640x480 with 1 Axes>` },
      },
    ];
  if (i % 10 === 4)
    return [
      {
        output_type: 'execute_result',
        execution_count: i,
        metadata: {},
        data: {
          'text/html': `<table><tr><th>x</th><th>y</th></tr>${Array.from({ length: 8 }, (_, k) => `<tr><td>${k}</td><td>${k * i}</td></tr>`).join('')}</table>`,
          'text/plain': `   x  y\n0  0  0\n1  1  ${i}`,
        },
      },
    ];
  return [stream];
}

/** Cell `i` is code unless i % 3 == 0; code cell `i` defines `step_i(x) = x * i + i % 7 - i % 11`. */
export const isCodeCell = (i: number) => i % 3 !== 0;

export function templateCells(n: number): Cell[] {
  const random = rng(1);
  return Array.from({ length: n }, (_, i) =>
    isCodeCell(i)
      ? {
          cell_type: 'code',
          id: `cell-${i}`,
          metadata: {},
          source: `def step_${i}(x):\n    y = x * ${i} + ${i % 7}\n\n    return y - ${i % 11}\n\nstep_${i}(${i})`,
          execution_count: i,
          outputs: outputsOf(i, random),
        }
      : {
          cell_type: 'markdown',
          id: `cell-${i}`,
          metadata: {},
          source: `## Question ${i}\n\nExplain what **step ${i}** computes and why it matters for [measurement](https://example.org/${i}) ${i % 13}.\n\n- one\n- two`,
        },
  );
}

/** ~10% of cells edited (source, outputs or both), 10 added, 10 removed, 10 moved. */
export function submissionCells(cells: Cell[]): Cell[] {
  const random = rng(2);
  const out = cells.map((c) => ({ ...c }));
  for (const c of out) {
    if (random() >= 0.1) continue;
    c.source = c.source
      .replace('return y', 'return 2 * y')
      .replace('why it matters', 'why it really matters');
    if (c.cell_type === 'code') c.outputs = [{ output_type: 'stream', name: 'stdout', text: 'changed\n' }];
  }
  for (let k = 0; k < 10; k++) out.splice(Math.floor(random() * out.length), 1);
  for (let k = 0; k < 10; k++) {
    const [moved] = out.splice(Math.floor(random() * out.length), 1);
    out.splice(Math.floor(random() * out.length), 0, moved!);
  }
  for (let k = 0; k < 10; k++)
    out.splice(Math.floor(random() * out.length), 0, {
      cell_type: 'code',
      id: `new-${k}`,
      metadata: {},
      source: `print("added ${k}")`,
      execution_count: null,
      outputs: [],
    });
  return out;
}

export const notebookBytes = (cells: Cell[]) =>
  Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));

/** Median and p95 (nearest rank) of some timings. */
export function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
}
