/**
 * Server time of a grader's review page: a 1,000-cell template/submission pair (code and Markdown cells,
 * text, HTML and image outputs, ~10% of cells edited, some moved, added and removed) diffed and rendered
 * with renderReviewDiff. Median and p95 over several runs, and the ratio to renderHtml (the CLI's page)
 * of the same diff, timed in the same process. Target: diff + render under 500 ms. Prints, asserts nothing.
 */
import { diffFiles, renderHtml, renderReviewDiff } from '../src/grading/index.ts';

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

type Cell = { cell_type: string; id: string; source: string; [field: string]: unknown };

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

function template(n: number): Cell[] {
  const random = rng(1);
  return Array.from({ length: n }, (_, i) => {
    const code = i % 3 !== 0;
    return code
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
        };
  });
}

/** ~10% of cells edited (source, outputs or both), 10 added, 10 removed, 10 moved. */
function submission(cells: Cell[]): Cell[] {
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

const nb = (cells: Cell[]) =>
  Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
}

function time<T>(f: () => T): [number, T] {
  const start = performance.now();
  const value = f();
  return [performance.now() - start, value];
}

const cells = template(1000);
const left = { name: 'template.ipynb', bytes: nb(cells) };
const right = { name: 'submission.ipynb', bytes: nb(submission(cells)) };
const runs = 15;
const t = { diff: [] as number[], review: [] as number[], page: [] as number[], reference: [] as number[] };
let size = 0;
let summary = '';
for (let run = -2; run < runs; run++) {
  const [diffMs, d] = time(() => diffFiles(left, right));
  const docs = { left: d.left!, right: d.right! };
  const [reviewMs, html] = time(() =>
    renderReviewDiff(d.diff, docs, { names: ['Template', 'Submission'], locale: 'en' }),
  );
  const [referenceMs] = time(() => renderHtml(d.diff, { ...docs, names: ['Template', 'Submission'] }));
  if (run < 0) continue; // warm-up
  t.diff.push(diffMs);
  t.review.push(reviewMs);
  t.page.push(diffMs + reviewMs);
  t.reference.push(referenceMs);
  size = html.length;
  const s = d.diff.summary;
  summary = `${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.moved} moved, ${s.unchanged} unchanged`;
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
console.log(
  `1,000-cell pair (${(left.bytes.length / 1e6).toFixed(1)} MB + ${(right.bytes.length / 1e6).toFixed(1)} MB): ${summary}`,
);
console.log(`${runs} runs after 2 warm-ups; fragment ${(size / 1e6).toFixed(1)} MB`);
for (const [name, times] of Object.entries({
  'read + diff (diffFiles)': t.diff,
  renderReviewDiff: t.review,
  'review page (diff + render)': t.page,
  'renderHtml (reference)': t.reference,
})) {
  const s = stats(times);
  console.log(`  ${name.padEnd(30)} median ${fmt(s.median)}   p95 ${fmt(s.p95)}`);
}
const ratio = stats(t.review).median / stats(t.reference).median;
console.log(`  renderReviewDiff / renderHtml (medians) = ${ratio.toFixed(2)}`);
const page = stats(t.page);
console.log(
  `  target: review page under 500 ms — ${page.p95 < 500 ? 'met' : 'NOT met'} (p95 ${page.p95.toFixed(1)} ms)`,
);
