/**
 * Autograding throughput: 200 submissions of a 20-cell notebook graded in fresh sandboxes (a
 * confined container each, at most one per core at once), against running the same notebooks with
 * nbclient on the host outside any sandbox, same concurrency, same process. Needs root, Podman, the
 * test image and Debian's python3-nbclient on the host.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gradeSubmission, parseGradingSpec } from '../src/grading/index.ts';
import { connectEngine, createDockerJobs } from '../src/workspaces/index.ts';

const count = Number(process.env.BENCH_SUBMISSIONS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? cpus().length);
const image = execFileSync('bash', ['scripts/build-notebook-image.sh'], { encoding: 'utf8' }).trim();
const jobs = createDockerJobs(connectEngine(process.env.DOCKER_SOCKET ?? '/run/podman/podman.sock'));

const cell = (id: string, source: string) => ({
  id,
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
});
/** 20 cells: setup, five questions each with a bit of work around it. */
function notebook(answer: (q: number) => string) {
  const cells = [cell('setup', 'import math, statistics\ndata = list(range(1, 101))')];
  for (let q = 1; q <= 5; q++) {
    cells.push(cell(`pre${q}`, `part${q} = [x * ${q} for x in data]`));
    cells.push(cell(`q${q}`, answer(q)));
    cells.push(
      cell(
        `show${q}`,
        `print(f${q}(part${q})[:3] if isinstance(f${q}(part${q}), list) else f${q}(part${q}))`,
      ),
    );
    if (q < 5) cells.push(cell(`note${q}`, `m${q} = statistics.mean(part${q})`));
  }
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells,
  });
}
const right = (q: number) => `def f${q}(xs):\n    return sum(xs) / len(xs) * ${q}`;
const stub = (q: number) => `def f${q}(xs):\n    return 0`;
const spec = parseGradingSpec(`version: 1
defaults: { timeout: { cell_s: 20, total_s: 120 } }
files:
  - path: ex.ipynb
    questions:
${[1, 2, 3, 4, 5]
  .map(
    (q) =>
      `      - id: q${q}\n        locate: { cell_id: q${q} }\n        checks:\n          - { type: value, expr: "f${q}(part${q})", expect: ${50.5 * q * q} }\n          - { type: value, expr: "f${q}([${q}])", expect: ${q * q}, hidden: true }`,
  )
  .join('\n')}
`);
if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
const template = new Map([['ex.ipynb', Buffer.from(notebook(stub))]]);
const submissions = Array.from(
  { length: count },
  (_, i) => new Map([['ex.ipynb', Buffer.from(notebook((q) => ((i + q) % 3 === 0 ? stub(q) : right(q))))]]),
);

async function pool<T>(items: T[], work: (item: T) => Promise<number>) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t = performance.now();
        await work(item);
        times.push(performance.now() - t);
      }
    }),
  );
  return { wallMs: performance.now() - started, times: times.sort((a, b) => a - b) };
}

const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-grade-'));
const execute = `import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=20, kernel_name='python3', allow_errors=True).execute()`;
let scored = 0;
try {
  const graded = await pool(submissions, async (files) => {
    const r = await gradeSubmission(spec.spec, template, files, { jobs, image, uid: 1000 });
    scored += r.score;
    return r.durationMs;
  });
  const reference = await pool(
    submissions.slice(0, Math.max(concurrency * 5, Math.ceil(count / 4))),
    async (files) => {
      const file = path.join(dir, `${Math.random().toString(36).slice(2)}.ipynb`);
      writeFileSync(file, files.get('ex.ipynb')!);
      await promisify(execFile)('/usr/bin/python3', ['-c', execute, file], {
        env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
      });
      return 0;
    },
  );
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
  const perMin = (n: number, ms: number) => (n / ms) * 60_000;
  const g = perMin(count, graded.wallMs);
  const r = perMin(reference.times.length, reference.wallMs);
  console.log(
    `grading ${count} submissions of a 20-cell notebook (5 questions, 10 checks), ${concurrency} at once on ${cpus().length} cores:`,
  );
  console.log(
    `  sandboxed (fresh container each)  ${g.toFixed(0)} submissions/min, p50 ${(pct(graded.times, 0.5) / 1000).toFixed(2)} s, p95 ${(pct(graded.times, 0.95) / 1000).toFixed(2)} s`,
  );
  console.log(
    `  nbclient on the host, no sandbox   ${r.toFixed(0)} notebooks/min, p50 ${(pct(reference.times, 0.5) / 1000).toFixed(2)} s (${reference.times.length} runs)`,
  );
  console.log(
    `  ratio sandboxed / unsandboxed time per submission: ${(r / g).toFixed(2)}   (mean score ${(scored / count).toFixed(2)} of 10)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
