import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { isAppError } from '../errors.ts';
import type { ManifestRow } from '../flows/index.ts';
import { manifestCsv, manifestName } from '../web/collect-manifest.ts';
import { createCollectFolder } from './collect-folder.ts';
import { progressBar } from './progress-bar.ts';
import { complain, say } from './terminal-text.ts';

interface CollectOptions {
  course: string;
  assignment: string;
  out?: string;
  force?: boolean;
  concurrency?: string;
}

export function addCollectCommand(program: Command) {
  program
    .command('collect')
    .description(
      "write each learner's submitted commit as nbgrader's submitted/<learner>/<assignment>/ folders, with a manifest CSV",
    )
    .requiredOption('--course <id>', 'course id (see `labgate courses list`)')
    .requiredOption('--assignment <slug>', 'the assignment (see `labgate assignments list`)')
    .option('--out <dir>', 'where to write them (default: ./collected-<slug>); must not exist or be empty')
    .option('--force', 'replace the --out folder when it holds an earlier collection')
    .option('--concurrency <n>', 'learners read from the forge at once (default: 4)')
    .action(async (o: CollectOptions) => {
      try {
        await collect(o);
      } catch (err) {
        // As `labgate diff`: 2 when nothing could be collected (a wrong name, nothing recorded yet).
        if (!isAppError(err) || !err.code.startsWith('COLLECT_')) throw err;
        complain(`labgate: ${err.message}`, ...(err.hint ? [err.hint] : []));
        process.exitCode = 2;
      }
    });
}

async function collect(o: CollectOptions) {
  const concurrency = o.concurrency === undefined ? 4 : Number(o.concurrency);
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32))
    throw new Error('--concurrency wants a whole number from 1 to 32');
  const { openCollector } = await import('../app/collect.ts');
  const c = await openCollector(loadConfig('cli'));
  try {
    const plan = await c.collector.prepare(o.course, o.assignment);
    const slug = plan.assignment.slug;
    const out = await createCollectFolder(o.out ?? path.join('.', `collected-${slug}`), {
      slug,
      force: Boolean(o.force),
    });
    const rows: ManifestRow[] = [];
    try {
      const bar = progressBar('collecting');
      const learners = c.collector.collect(plan, {
        concurrency,
        onProgress: (p) => bar.update(p.done, p.total, p.failed ? `(${p.failed} failed)` : ''),
      });
      for await (const l of learners) {
        await out.writeLearner(l);
        rows.push(l.row);
      }
      bar.end();
      await out.writeTop(manifestName(slug), manifestCsv(rows));
      await out.finish();
    } catch (err) {
      await out.discard();
      throw err;
    }
    summary(rows, out.target, slug);
  } finally {
    await c.close();
  }
}

function summary(rows: ManifestRow[], target: string, slug: string) {
  const count = (f: (r: ManifestRow) => boolean) => rows.filter(f).length;
  const submitted = count((r) => r.status === 'submitted');
  const failed = count((r) => r.status.startsWith('failed'));
  const skipped = rows.reduce((n, r) => n + r.skipped.length, 0);
  const files = rows.reduce((n, r) => n + r.files, 0);
  say(
    `collected ${submitted} of ${rows.length} learners (${files} files) into ${target}: ` +
      `${count((r) => r.status === 'nothing submitted')} nothing submitted, ${failed} failed, ` +
      `${count((r) => r.late === 'yes')} late, ${skipped} entries skipped; manifest ${path.join(target, manifestName(slug))}`,
  );
  for (const r of rows.filter((x) => x.status.startsWith('failed'))) complain(`${r.folder}: ${r.status}`);
  if (failed > 0) process.exitCode = 1;
}
