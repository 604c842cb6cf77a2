/**
 * Server time of a grader's review page: a 1,000-cell template/submission pair (code and Markdown cells,
 * text, HTML and image outputs, ~10% of cells edited, some moved, added and removed) diffed and rendered
 * with renderReviewDiff, with the ratio to renderHtml (the CLI's page) of the same diff; then the whole
 * page through its real route (bench/review-route.ts), against diff + render and a trivial route, same
 * process. Median and p95. Target: under 500 ms. Prints, asserts nothing.
 * BENCH_CELLS (1000) and BENCH_ROUNDS (15) make it smaller, as its smoke test does.
 */
import { diffFiles, renderHtml, renderReviewDiff } from '../src/grading/index.ts';
import { notebookBytes, stats, submissionCells, templateCells } from './review-notebooks.ts';
import { benchReviewRoute } from './review-route.ts';

function time<T>(f: () => T): [number, T] {
  const start = performance.now();
  const value = f();
  return [performance.now() - start, value];
}

const n = Number(process.env.BENCH_CELLS ?? 1000);
const runs = Number(process.env.BENCH_ROUNDS ?? 15);
const cells = templateCells(n);
const changed = submissionCells(cells);
const left = { name: 'template.ipynb', bytes: notebookBytes(cells) };
const right = { name: 'submission.ipynb', bytes: notebookBytes(changed) };
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
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const line = (name: string, times: number[]) => {
  const s = stats(times);
  console.log(`  ${name.padEnd(30)} median ${fmt(s.median)}   p95 ${fmt(s.p95)}`);
};
const met = (p95: number) => `${p95 < 500 ? 'met' : 'NOT met'} (p95 ${p95.toFixed(1)} ms)`;
console.log(
  `${n.toLocaleString('en')}-cell pair (${mb(left.bytes.length)} + ${mb(right.bytes.length)}): ${summary}`,
);
console.log(`${runs} runs after 2 warm-ups; fragment ${mb(size)}`);
line('read + diff (diffFiles)', t.diff);
line('renderReviewDiff', t.review);
line('review page (diff + render)', t.page);
line('renderHtml (reference)', t.reference);
const ratio = stats(t.review).median / stats(t.reference).median;
console.log(`  renderReviewDiff / renderHtml (medians) = ${ratio.toFixed(2)}`);
const page = stats(t.page);
console.log(`  target: diff + render under 500 ms — ${met(page.p95)}`);

const route = await benchReviewRoute({ template: cells, submission: changed }, runs);
const whole = stats(route.warm);
console.log(
  `whole page through GET …/review/:userId (app.server.inject; labgate, SQLite and gitlab-lite in process):`,
);
console.log(
  `  ${route.sections} cell sections, ${route.panels}/${route.questions} question panels beside their cells; page ${mb(route.bytes)}`,
);
console.log(`  ${'cold (archives not cached yet)'.padEnd(30)}        ${fmt(route.cold)}`);
line(`warm (${runs} runs)`, route.warm);
line('/healthz (trivial route)', route.trivial);
console.log(`  whole page / (diff + render) (medians) = ${(whole.median / page.median).toFixed(2)}`);
console.log(`  whole page / /healthz (medians) = ${(whole.median / stats(route.trivial).median).toFixed(0)}`);
console.log(`  target: whole page under 500 ms — ${met(whole.p95)}`);
