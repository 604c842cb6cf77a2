import {
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handOver } from './hand-over.ts';

const to = { name: 'labgate', uid: 4321, gid: 4321, groupName: 'labgate', groups: [4321] };
const top = mkdtempSync(path.join(tmpdir(), 'labgate-hand-over-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe.runIf(process.getuid?.() === 0)('handing over what root runs made', () => {
  it('re-owns DATA_DIR and labgate’s own files only, following no link and entering no one else’s folder', () => {
    const data = path.join(top, 'data');
    const forge = path.join(data, 'gitlab-lite');
    mkdirSync(path.join(forge, 'repositories'), { recursive: true });
    const outside = path.join(top, 'shadow');
    writeFileSync(outside, 'root only');
    const file = (f: string) => (writeFileSync(f, 'x'), f);
    const files = {
      db: file(path.join(data, 'labgate.db')),
      token: file(path.join(forge, 'root-token')),
      object: file(path.join(forge, 'repositories', 'pack')),
      config: file(path.join(data, 'labgate.json')), // the operator's, not labgate's
      elsewhereDb: file(path.join(top, 'elsewhere.db')),
    };
    symlinkSync(outside, path.join(forge, 'link'));
    linkSync(outside, path.join(forge, 'hard'));
    const learner = path.join(forge, 'learner');
    mkdirSync(learner);
    file(path.join(learner, 'inside'));
    chownSync(learner, 1000, 1000);

    handOver({
      dataDir: data,
      files: [files.db, `${files.db}-wal`, files.token, files.elsewhereDb],
      to,
    });

    const owner = (f: string) => lstatSync(f).uid;
    expect([data, forge, files.db, files.token, files.object, files.elsewhereDb].map(owner)).toEqual(
      Array(6).fill(4321),
    );
    expect(owner(path.join(forge, 'link'))).toBe(4321); // the link itself, never what it names
    expect(statSync(outside).uid).toBe(0);
    expect([files.config, path.join(learner, 'inside')].map(owner)).toEqual([0, 0]);
    expect(owner(learner)).toBe(1000);
  });
});
