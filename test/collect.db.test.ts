import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectFolder } from '../src/cli/collect-folder.ts';
import { createRosterStore, createSubmissionStore } from '../src/courses/index.ts';
import { createCollector, type ManifestRow } from '../src/flows/index.ts';
import { createGitlabForge } from '../src/forge/index.ts';
import { manifestCsv } from '../src/web/collect-manifest.ts';
import { deadline, startCollectRig, type CollectRig } from './support/collect-rig.ts';
import { rootToken } from './support/gitlab-lite.ts';
import { getWithSession } from './support/test-app.ts';

const bin = path.resolve(import.meta.dirname, '../bin/labgate.js');
let rig: CollectRig;
let scratch: string;

beforeAll(async () => {
  rig = await startCollectRig();
  scratch = mkdtempSync(path.join(tmpdir(), 'labgate-collect-'));
}, 120_000);
afterAll(async () => {
  await rig?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function labgate(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...process.env, ...rig.env, DATABASE_URL: rig.dbUrl, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const collect = (out: string, ...more: string[]) =>
  labgate(['collect', '--course', rig.courseId, '--assignment', 'ex1', '--out', out, ...more]);

/** Every regular file under `dir`, by relative path; any other kind of entry fails the test. */
function filesUnder(dir: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isDirectory()) for (const [k, v] of filesUnder(full, `${prefix}${name}/`)) out.set(k, v);
    else if (stat.isFile()) out.set(`${prefix}${name}`, readFileSync(full));
    else throw new Error(`${full} is neither a file nor a folder`);
  }
  return out;
}

/** The manifest's rows by learner folder, cells as written (a header row first). */
function manifestOf(text: string) {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const columns = header!.split(',');
  const cells = (line: string) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .slice(0, columns.length)
      .map((m) => m[1]!.replace(/^"(.*)"$/s, '$1').replaceAll('""', '"'));
  const rows = lines.map((l) => Object.fromEntries(cells(l).map((c, i) => [columns[i], c])));
  return { columns, byFolder: new Map(rows.map((r) => [r.learner!, r])) };
}

describe('labgate collect', () => {
  it('writes each submitted commit as submitted/<learner>/<slug>/ with a manifest, and nothing else', async () => {
    const parent = path.join(scratch, 'first');
    mkdirSync(parent);
    const out = path.join(parent, 'hw');
    const res = await collect(out);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/collecting .* 4\/4/);
    expect(res.stdout).toMatch(
      /collected 2 of 4 learners .*2 nothing submitted, 0 failed, 1 late, 4 entries skipped/,
    );
    expect(readdirSync(parent)).toEqual(['hw']); // no partial folder left, nothing beside it

    const { ada, eve, bob, cyd } = rig.learners;
    const files = filesUnder(out);
    expect([...files.keys()].sort()).toEqual(
      [
        'manifest-ex1.csv',
        `submitted/${ada!.username}/ex1/README.md`,
        `submitted/${ada!.username}/ex1/data/notes é.md`,
        `submitted/${ada!.username}/ex1/ex.ipynb`,
        `submitted/${eve!.username}/ex1/README.md`,
        `submitted/${eve!.username}/ex1/ok.txt`,
        `submitted/${eve!.username}/ex1/sub/ok2.txt`,
      ].sort(),
    );
    expect(files.get(`submitted/${ada!.username}/ex1/ex.ipynb`)!.toString()).toBe(rig.notebook);
    expect(files.get(`submitted/${eve!.username}/ex1/ok.txt`)!.toString()).toBe('fine\n');
    const mode = lstatSync(path.join(out, `submitted/${ada!.username}/ex1/ex.ipynb`)).mode & 0o777;
    expect(mode & 0o111).toBe(0);

    const manifest = manifestOf(files.get('manifest-ex1.csv')!.toString('utf8'));
    expect(manifest.columns).toEqual([
      'learner', 'name', 'lms_id', 'gitlab_username', 'commit', 'pushed_at', 'deadline', 'late',
      'late_delay', 'late_commit', 'tag', 'status', 'files', 'skipped',
    ]); // prettier-ignore
    const due = new Date(deadline).toISOString();
    expect(manifest.byFolder.get(ada!.username)).toMatchObject({
      name: 'Ada Lovelace',
      lms_id: 'lms-ada',
      gitlab_username: ada!.username,
      commit: rig.shas.ada,
      pushed_at: new Date(deadline - 3_600_000).toISOString(),
      deadline: due,
      late: 'no',
      tag: 'submitted/2026-12-01T18.00.00Z',
      status: 'submitted',
      files: '3',
      skipped: '',
    });
    expect(manifest.byFolder.get(bob!.username)).toMatchObject({
      status: 'nothing submitted',
      late: 'yes',
      late_delay: '3 h 20 min',
      late_commit: rig.shas.bob,
      commit: '',
    });
    expect(manifest.byFolder.get(cyd!.username)).toMatchObject({ status: 'nothing submitted', late: 'no' });
    const evil = manifest.byFolder.get(eve!.username)!;
    expect(evil.name).toBe("'=cmd|evil"); // no formula for the spreadsheet
    expect(evil.status).toBe('submitted');
    expect(evil.skipped!.split('; ').sort()).toEqual(
      [
        'evil\\x1b[31m.txt (control character in name)',
        'link (symlink)',
        'new\\x0aline.txt (control character in name)',
        'up (symlink)',
      ].sort(),
    );
  });

  it('refuses a folder that exists and is not empty, replaces an earlier collection with --force', async () => {
    const out = path.join(scratch, 'again');
    expect((await collect(out)).code).toBe(0);
    const before = readFileSync(path.join(out, 'manifest-ex1.csv'));
    writeFileSync(path.join(out, 'teacher-notes.txt'), 'mine');
    const refused = await collect(out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${out} already exists and is not empty: nothing was written.`);
    expect(readFileSync(path.join(out, 'teacher-notes.txt'), 'utf8')).toBe('mine');

    const forced = await collect(out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['manifest-ex1.csv', 'submitted']);
    expect(readFileSync(path.join(out, 'manifest-ex1.csv'))).toEqual(before);
    expect(readdirSync(scratch).filter((n) => n.startsWith('.'))).toEqual([]);

    const other = path.join(scratch, 'not-a-collection');
    mkdirSync(other);
    writeFileSync(path.join(other, 'thesis.tex'), 'precious');
    const kept = await collect(other, '--force');
    expect(kept.code).toBe(2);
    expect(kept.stderr).toContain('is not an earlier collection');
    expect(readdirSync(other)).toEqual(['thesis.tex']);
  });

  it('exits 2 with a clear line for an unknown course or assignment, or when nothing was recorded', async () => {
    const out = path.join(scratch, 'never');
    const cases: Array<[string[], string]> = [
      [['--course', 'nope', '--assignment', 'ex1'], 'There is no course nope.'],
      [
        ['--course', rig.courseId, '--assignment', 'nope'],
        `There is no assignment nope in course ${rig.courseId}.`,
      ],
      [
        ['--course', rig.courseId, '--assignment', 'ex2'],
        'Assignment ex2 has no deadline: nothing was recorded',
      ],
      [
        ['--course', rig.courseId, '--assignment', 'ex3'],
        'The deadline has not passed: nothing was recorded; see `labgate assignments deadline`.',
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => labgate(['collect', ...args, '--out', out])));
    results.forEach((res, i) => {
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(cases[i]![1]);
    });
    expect(readdirSync(scratch)).not.toContain('never');
  });

  it('writes a hostile archive safely (no .., no absolute path, no link followed, all listed), marks a failure', async () => {
    const hostile = await craftedTar();
    const forge = createGitlabForge({ url: rig.gitlab.lite.url, token: rootToken });
    const collector = createCollector({
      forge: {
        archive: (id, sha, max) =>
          sha === rig.shas.eve
            ? Promise.resolve(hostile)
            : sha === rig.shas.ada
              ? Promise.reject(new RangeError('the submission is larger than 10 bytes'))
              : forge.archive(id, sha, max),
      },
      courses: rig.t.app.services.courses,
      assignments: rig.t.app.services.assignments,
      submissions: createSubmissionStore(rig.t.db),
      roster: createRosterStore(rig.t.db),
      maxLearnerBytes: 1 << 20,
    });
    const parent = path.join(scratch, 'hostile');
    mkdirSync(parent);
    const plan = await collector.prepare(rig.courseId, 'ex1');
    const out = await createCollectFolder(path.join(parent, 'out'), { slug: 'ex1', force: false });
    const rows: ManifestRow[] = [];
    for await (const l of collector.collect(plan, { concurrency: 2 })) {
      await out.writeLearner(l);
      rows.push(l.row);
    }
    await out.writeTop('manifest-ex1.csv', manifestCsv(rows));
    await out.finish();

    expect(readdirSync(parent)).toEqual(['out']);
    const eve = `submitted/${rig.learners.eve!.username}/ex1/`;
    const written = [...filesUnder(path.join(parent, 'out')).keys()].filter((k) => k.startsWith(eve));
    expect(written.map((k) => k.slice(eve.length)).sort()).toEqual(['etc/cron.d/x', 'lnk/pwned', 'ok.txt']);
    const row = rows.find((r) => r.folder === rig.learners.eve!.username)!;
    expect(row.files).toBe(3);
    const ada = rows.find((r) => r.folder === rig.learners.ada!.username)!;
    expect(ada.status).toBe('failed: the submission is larger than 10 bytes');
    expect(readdirSync(path.join(parent, 'out/submitted')).sort()).toEqual([rig.learners.eve!.username]);
    expect(row.skipped.sort()).toEqual(
      [
        '../escape.txt (path with . or ..)',
        '../outside.txt (path with . or ..)',
        'a/../../../x (path with . or ..)',
        '.git/hooks/pre-commit (.git folder)',
        'evil\\x1b]0;title\\x07.txt (control character in name)',
        'lnk (symlink)',
        'hard (link)',
        'fifo (fifo)',
      ].sort(),
    );
  });
});

describe('the roster’s Download submissions', () => {
  const url = () => `/courses/${rig.courseId}/assignments/ex1/submissions.tar.gz`;

  it('is a link on the roster page, and gives staff the same files and manifest as the command', async () => {
    const page = await getWithSession(
      rig.t,
      `/courses/${rig.courseId}/assignments/ex1/roster?lang=en`,
      rig.teacher,
    );
    expect(page.body).toContain(`href="${url()}"`);
    expect(page.body).toContain('Download submissions (.tar.gz)');

    const res = await getWithSession(rig.t, url(), rig.teacher);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="submissions-ex1.tar.gz"');
    const entries = await untar(gunzipSync(res.rawPayload));
    const out = path.join(scratch, 'to-compare');
    expect((await collect(out)).code).toBe(0);
    const onDisk = filesUnder(out);
    expect([...entries.files.keys()].sort()).toEqual([...onDisk.keys()].sort());
    for (const [name, bytes] of onDisk) expect(entries.files.get(name), name).toEqual(bytes);
    expect(entries.others.every((e) => e.type === 'directory')).toBe(true);
  });

  it('is refused to learners and to people who are not signed in', async () => {
    const learner = await getWithSession(rig.t, url(), rig.sessions.ada);
    expect(learner.statusCode).toBe(403);
    expect(learner.body).toContain('WEB_STAFF_ONLY');
    expect((await getWithSession(rig.t, url(), undefined)).statusCode).toBe(401);
    const none = await getWithSession(
      rig.t,
      `/courses/${rig.courseId}/assignments/ex3/submissions.tar.gz`,
      rig.teacher,
    );
    expect(none.statusCode).toBe(409);
    expect(none.body).toContain('COLLECT_NOTHING_RECORDED');
  });
});

/** A tar as no git would make it: traversal, a symlink then a file through it, links, a fifo. */
async function craftedTar(): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => p.on('end', () => r()));
  const top = 'ex1-eve-main-0123/';
  const file = (name: string, text: string) => p.entry({ name, size: Buffer.byteLength(text) }, text);
  file(`${top}ok.txt`, 'ok\n');
  file(`${top}../escape.txt`, 'out\n');
  file('../../outside.txt', 'out\n');
  file(`${top}a/../../../x`, 'out\n');
  file('/etc/cron.d/x', 'relative once the top folder is dropped\n');
  file(`${top}.git/hooks/pre-commit`, '#!/bin/sh\n');
  file(`${top}evil\u001b]0;title\u0007.txt`, 'x\n');
  p.entry({ name: `${top}lnk`, type: 'symlink', linkname: '/tmp' });
  file(`${top}lnk/pwned`, 'not through the link\n');
  p.entry({ name: `${top}hard`, type: 'link', linkname: '/etc/passwd' });
  p.entry({ name: `${top}fifo`, type: 'fifo' });
  p.finalize();
  await ended;
  return Buffer.concat(chunks);
}

async function untar(tar: Buffer) {
  const files = new Map<string, Buffer>();
  const others: Array<{ name: string; type: string }> = [];
  const x = extract();
  x.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
      else others.push({ name: header.name, type: header.type });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    x.on('finish', () => resolve());
    x.on('error', reject);
  });
  Readable.from([tar]).pipe(x);
  await done;
  return { files, others };
}
