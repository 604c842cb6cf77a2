import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');
const corpus = path.resolve(import.meta.dirname, '../../fixtures/nbdime-corpus/nbdime/tests/files');
const work = mkdtempSync(path.join(tmpdir(), 'labgate-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function labgateDiff(args: string[], timeout = 0) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'diff', ...args], {
      maxBuffer: 64 * 1024 * 1024,
      timeout,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const file = (name: string, content: string | Buffer) => {
  const p = path.join(work, name);
  writeFileSync(p, content);
  return p;
};

const notebook = (cells: Array<Record<string, unknown>>) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

describe('labgate diff', () => {
  it('shows the changed cell, and exits 1 with --exit-code only when the files differ', async () => {
    const a = path.join(corpus, 'multi_cell_nb.ipynb');
    const b = path.join(corpus, 'multi_cell_nb--cellchange.ipynb');
    const out = await labgateDiff([a, b]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('@@ modified code cell #1');
    expect(out.stdout).toContain('+     r2 = x**2 + y**2');
    expect(out.stdout).toContain('1 modified, 2 added, 2 removed, 0 moved, 2 unchanged');
    expect((await labgateDiff(['--exit-code', a, b])).code).toBe(1);
    expect((await labgateDiff(['--exit-code', a, a])).code).toBe(0);
  });

  it('prints the diff model as JSON, ignoring execution counts and metadata unless asked', async () => {
    const a = path.join(corpus, 'single_cell_nb.ipynb');
    const b = path.join(corpus, 'single_cell_nb--changed_ec.ipynb');
    const quiet = JSON.parse((await labgateDiff(['--json', a, b])).stdout) as { identical: boolean };
    expect(quiet.identical).toBe(true);
    const loud = JSON.parse((await labgateDiff(['--json', '--execution-counts', a, b])).stdout) as {
      identical: boolean;
      blocks: Array<{ op: string; executionCount?: unknown }>;
    };
    expect(loud.identical).toBe(false);
    expect(loud.blocks.find((x) => x.op === 'modified')?.executionCount).toBeDefined();
  });

  it('says what is wrong with an unreadable file, and exits 2 (trouble), never hangs', async () => {
    const broken = file('broken.ipynb', '{"cells": [');
    const good = path.join(corpus, 'single_cell_nb.ipynb');
    const out = await labgateDiff([good, broken]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('broken.ipynb: is not a notebook: it is not valid JSON');
    const missing = await labgateDiff([good, path.join(work, 'nope.ipynb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.ipynb: no such file');
  });

  it('summarises a binary file named .md instead of printing it', async () => {
    const a = file('a.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    const b = file('b.md', '# text\n');
    const out = await labgateDiff(['--exit-code', a, b]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/binary files differ \(7 bytes, sha256 [0-9a-f]{12}… → 7 bytes/);
  });

  it('compares 50 MB outputs by content hash instead of line by line', async () => {
    const big = (fill: string) =>
      notebook([
        {
          cell_type: 'code',
          id: 'log',
          source: 'run()',
          metadata: {},
          execution_count: 1,
          outputs: [{ output_type: 'stream', name: 'stdout', text: `${fill}\n`.repeat(25 * 1024 * 1024) }],
        },
      ]);
    const a = file('big-a.ipynb', big('a'));
    const b = file('big-b.ipynb', big('b'));
    const out = await labgateDiff(['--json', a, b]);
    expect(out.code).toBe(0);
    const diff = JSON.parse(out.stdout) as {
      blocks: Array<{ outputs?: Array<{ hashes?: unknown; text?: unknown }> }>;
    };
    expect(diff.blocks[0]!.outputs![0]!.hashes).toBeDefined();
    expect(diff.blocks[0]!.outputs![0]!.text).toBeUndefined();
  });

  it('ignores outputs that differ only in memory addresses or timings, unless --volatile compare', async () => {
    const cell = (text: string) => ({
      cell_type: 'code',
      id: 'c',
      metadata: {},
      source: 'Foo()',
      execution_count: 1,
      outputs: [{ output_type: 'stream', name: 'stdout', text }],
    });
    const a = file('vol-a.ipynb', notebook([cell('<Foo object at 0x10a2b3c40>\nWall time: 3 s\n')]));
    const b = file('vol-b.ipynb', notebook([cell('<Foo object at 0x7f3b2c1d>\nWall time: 5 ms\n')]));
    expect((await labgateDiff(['--exit-code', a, b])).code).toBe(0);
    expect((await labgateDiff(['--exit-code', '--volatile', 'compare', a, b])).code).toBe(1);
    const wrong = await labgateDiff(['--volatile', 'maybe', a, b]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('--volatile must be ignore or compare');
  });

  it('writes a side-by-side HTML page', async () => {
    const html = path.join(work, 'diff.html');
    await labgateDiff([
      '--html',
      html,
      path.join(corpus, 'multi_cell_nb.ipynb'),
      path.join(corpus, 'multi_cell_nb--cellchange.ipynb'),
    ]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Content-Security-Policy');
    expect(page).toContain('data-op="modified"');
  });

  it('diffs 150,000 changed lines in the terminal and as HTML without overflowing the stack', async () => {
    const lines = (f: (i: number) => string) => Array.from({ length: 150_000 }, (_, i) => f(i)).join('');
    const a = file(
      'long-a.txt',
      lines((i) => `line ${i}\n`),
    );
    const b = file(
      'long-b.txt',
      lines((i) => `LINE ${i} changed\n`),
    );
    const c = file(
      'long-c.txt',
      lines((i) => (i % 2 ? `line ${i}\n` : `other ${i}\n`)),
    );
    const html = path.join(work, 'long.html');
    for (const right of [b, c]) {
      const out = await labgateDiff(['--html', html, a, right]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(right === b ? '+ LINE 149999 changed' : '+ other 149998');
      expect(out.stdout).toMatch(/\d+ modified, \d+ added, \d+ removed, 0 moved, 0 unchanged\n$/);
      expect(readFileSync(html, 'utf8')).toContain('</html>');
    }
  });

  it('refuses a device, a FIFO or a folder at once, naming it (exit 2), instead of hanging', async () => {
    const fifo = path.join(work, 'pipe.ipynb');
    execFileSync('mkfifo', [fifo]);
    const folder = path.join(work, 'folder.md');
    mkdirSync(folder);
    const good = file('good.md', '# ok\n');
    for (const [target, what] of [
      ['/dev/zero', 'a device'],
      [fifo, 'a FIFO'],
      [folder, 'a folder'],
    ] as const) {
      const started = Date.now();
      const out = await labgateDiff([good, target], 15_000);
      expect(out.code, target).toBe(2);
      expect(out.stderr).toContain(`${target}: is ${what}, not a regular file`);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('refuses a file over the size limit, naming it (exit 2)', async () => {
    const huge = path.join(work, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 512 * 1024 * 1024); // sparse: no disk used
    const out = await labgateDiff([huge, file('small.txt', 'x\n')], 15_000);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${huge}: is 512 MB, over the 128 MB labgate diff reads`);
  });
});
