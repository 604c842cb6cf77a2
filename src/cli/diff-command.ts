import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isAppError } from '../errors.ts';
import { diffFiles, readFileVersion, renderHtml, renderTerminal } from '../grading/index.ts';
import { complain, jsonText, visible } from './terminal-text.ts';

export function addDiffCommand(program: Command) {
  program
    .command('diff')
    .description(
      'show what changed between two versions of a notebook, Markdown, R Markdown, Org or text file',
    )
    .argument('<left>', 'the old version (e.g. the template)')
    .argument('<right>', "the new version (e.g. the learner's)")
    .option('--json', 'print the diff model as JSON')
    .option('--html <file>', 'also write a side-by-side HTML page')
    .option('--exit-code', 'exit 1 when the files differ, as git diff --exit-code does')
    .option('--metadata', 'include cell metadata changes (ignored by default)')
    .option('--execution-counts', 'include execution count changes (ignored by default)')
    .option(
      '--volatile <how>',
      'ignore or compare memory addresses, timings and progress bars in outputs',
      'ignore',
    )
    .option('--color <when>', 'auto, always or never', 'auto')
    .action(
      async (
        leftFile: string,
        rightFile: string,
        o: {
          json?: boolean;
          html?: string;
          exitCode?: boolean;
          metadata?: boolean;
          executionCounts?: boolean;
          volatile: string;
          color: string;
        },
      ) => {
        if (!['auto', 'always', 'never'].includes(o.color))
          throw new Error(`--color must be auto, always or never, got "${o.color}"`);
        if (o.volatile !== 'ignore' && o.volatile !== 'compare')
          throw new Error(`--volatile must be ignore or compare, got "${o.volatile}"`);
        const volatile = o.volatile;
        try {
          const { diff, left, right } = diffFiles(
            await readFileVersion(leftFile),
            await readFileVersion(rightFile),
            { metadata: Boolean(o.metadata), executionCounts: Boolean(o.executionCounts), volatile },
          );
          const names: [string, string] = [leftFile, rightFile];
          if (o.html)
            await writeFile(
              o.html,
              renderHtml(diff, { ...(left ? { left } : {}), ...(right ? { right } : {}), names }),
            );
          const color = o.color === 'always' || (o.color === 'auto' && Boolean(process.stdout.isTTY));
          process.stdout.write(
            o.json
              ? `${jsonText(diff)}\n`
              : renderTerminal(diff, {
                  color,
                  names,
                  visible,
                  ...(left ? { left } : {}),
                  ...(right ? { right } : {}),
                }),
          );
          process.exitCode = o.exitCode && !diff.identical ? 1 : 0;
        } catch (err) {
          // As diff(1): 0 same, 1 different, 2 trouble.
          const e = err as Error;
          complain(`labgate: ${e.message}`, ...(isAppError(err) && err.hint ? [err.hint] : []));
          process.exitCode = 2;
        }
      },
    );
}
