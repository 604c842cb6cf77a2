import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFolder } from './read-folder.ts';

const root = mkdtempSync(path.join(tmpdir(), 'labgate-read-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('reading a submission folder', () => {
  it('takes regular files only: no link is followed, a FIFO does not hang it, .git is left out', async () => {
    const sub = path.join(root, 'sub');
    mkdirSync(path.join(sub, 'data'), { recursive: true });
    mkdirSync(path.join(sub, '.git'));
    writeFileSync(path.join(sub, 'ex.ipynb'), '{}');
    writeFileSync(path.join(sub, 'data', 'x.csv'), 'x\n1\n');
    writeFileSync(path.join(sub, '.git', 'config'), '[core]');
    writeFileSync(path.join(root, 'secret'), 'host secret');
    symlinkSync(path.join(root, 'secret'), path.join(sub, 'link.txt'));
    symlinkSync(root, path.join(sub, 'up'));
    execFileSync('mkfifo', [path.join(sub, 'pipe')]);
    const files = await readFolder(sub, 1 << 20);
    expect([...files.keys()].sort()).toEqual(['data/x.csv', 'ex.ipynb']);
    await expect(readFolder(sub, 3)).rejects.toThrow(/holds more than/);
  });
});
