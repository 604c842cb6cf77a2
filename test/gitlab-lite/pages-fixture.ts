import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { digest } from '../../gitlab-lite/auth.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

/** A PNG drawn here (a small bar chart), so that a notebook's image output is a real image. */
export function barChartPng(values: number[], w = 240, h = 120): string {
  const raw = Buffer.alloc((w * 3 + 1) * h, 255);
  const bar = Math.floor(w / values.length);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const v = values[Math.floor(x / bar)] ?? 0;
      const inBar = x % bar > 3 && h - y <= v * (h - 10);
      const px = y * (w * 3 + 1) + 1 + x * 3;
      if (inBar) [raw[px], raw[px + 1], raw[px + 2]] = [31, 117, 203];
      if (y === h - 1) [raw[px], raw[px + 1], raw[px + 2]] = [60, 60, 60];
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

type Cell = Record<string, unknown>;
export const md = (id: string, source: string): Cell => ({ cell_type: 'markdown', id, metadata: {}, source });
export const code = (id: string, source: string, outputs: Cell[] = [], n: number | null = 1): Cell => ({
  cell_type: 'code',
  id,
  metadata: {},
  source,
  execution_count: n,
  outputs,
});
export const notebook = (cells: Cell[]) =>
  `${JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      cells,
    },
    null,
    1,
  )}\n`;

const chart = barChartPng([0.35, 0.6, 0.85, 0.5, 0.7, 0.95]);
const intro = md(
  'intro',
  '# Analyse des températures\n\nOn étudie les **relevés** de la station de *Rennes*.\n',
);
export const firstVersion = notebook([
  intro,
  code('load', 'import statistics\nrelevés = [11.2, 12.8, 14.1]\nprint(statistics.mean(relevés))', [
    { output_type: 'stream', name: 'stdout', text: '12.7\n' },
  ]),
]);
export const secondVersion = notebook([
  intro,
  code('load', 'import statistics\nrelevés = [11.2, 12.8, 14.1, 15.6]\nprint(statistics.mean(relevés))', [
    { output_type: 'stream', name: 'stdout', text: '13.425\n' },
  ]),
  md('plot-title', '## Le graphique\n\nUne barre par mois.'),
  code(
    'plot',
    'import matplotlib.pyplot as plt\nplt.bar(range(6), mois)',
    [
      {
        output_type: 'display_data',
        data: { 'image/png': chart, 'text/plain': '<Figure size 640x480 with 1 Axes>' },
        metadata: {},
      },
      {
        output_type: 'execute_result',
        execution_count: 2,
        metadata: {},
        data: {
          'text/html':
            '<table class="dataframe"><tr><th>mois</th><th>°C</th></tr><tr><td>janvier</td><td>6.1</td></tr></table><script>document.title="pwned"</script>',
          'text/plain': 'mois  °C',
        },
      },
    ],
    2,
  ),
  code(
    'oops',
    '1 / 0',
    [
      {
        output_type: 'error',
        ename: 'ZeroDivisionError',
        evalue: 'division by zero',
        traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m: division by zero'],
      },
    ],
    3,
  ),
]);

/** Everything a learner could put in a notebook to run script in whoever reads it. */
const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert('svg-onload')"><script>alert('svg-script')</script><circle r="5"/></svg>`;
export const hostileNotebook = notebook([
  md(
    'h-md',
    `# Hostile\n\n<script>alert('md-script')</script>\n\n[click me](javascript:alert('md-link')) <a href="javascript:alert('a-link')">a</a>\n\n<img src=x onerror="alert('md-img')"> <iframe srcdoc="<script>alert('iframe')</script>"></iframe>\n\n<form action="/users/sign_out"><button>go</button></form>`,
  ),
  code('h-code', '</code></pre><script>alert("source")</script>', [
    {
      output_type: 'display_data',
      metadata: {},
      data: { 'text/html': `<img src=x onerror="alert('html-img')"><b>bold</b>${svg}` },
    },
    { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': svg } },
    {
      output_type: 'display_data',
      metadata: {},
      data: { 'text/markdown': `[md out](javascript:alert('md-out'))` },
    },
    { output_type: 'stream', name: 'stdout', text: '<script>alert("stream")</script>' },
  ]),
]);

/** A web session for `userId`, as after "Sign in with labgate" (the sign-in itself is tested elsewhere). */
export function webSession(t: TestGitlab, userId: number) {
  const id = randomBytes(24).toString('base64url');
  const db = new Database(path.join(t.dataDir, 'gitlab-lite.db'));
  db.prepare('INSERT INTO web_sessions (id_digest, user_id, created_at) VALUES (?, ?, ?)').run(
    digest(id),
    userId,
    new Date().toISOString(),
  );
  db.close();
  return id;
}

/** Commits `files` (path → content) on `branch` of a clone, dated `date` (ISO), and pushes. */
export async function commitFiles(
  work: string,
  files: Record<string, string | Buffer>,
  message: string,
  o: { date: string; branch?: string; author?: string },
) {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), content);
  }
  await runGit(['add', '-A'], work);
  const who = o.author ?? 'Alice Martin';
  const env = {
    GIT_AUTHOR_DATE: o.date,
    GIT_COMMITTER_DATE: o.date,
    GIT_AUTHOR_NAME: who,
    GIT_COMMITTER_NAME: who,
  };
  const done = await runGit(['commit', '--quiet', '--allow-empty', '-m', message], work, env);
  if (done.code !== 0) throw new Error(done.out);
  const pushed = await runGit(['push', '--quiet', 'origin', `HEAD:${o.branch ?? 'main'}`], work);
  if (pushed.code !== 0) throw new Error(pushed.out);
}

/**
 * A forge with two learners, each with a private project in a course group (Alice's holds a notebook
 * in two versions, a hostile notebook, Markdown, text, a binary and a history of 42 commits elsewhere),
 * a public project, and a web session for each learner.
 */
export async function startPagesForge() {
  const t = await startTestGitlab();
  const group = await t.api.Groups.create('Course', 'course');
  const users: Record<string, { id: number; session: string }> = {};
  for (const name of ['alice', 'bob']) {
    const u = await t.api.Users.create({
      name,
      username: name,
      email: `${name}@x.invalid`,
      password: 'Passw0rd-long-1',
    });
    users[name] = { id: u.id as number, session: webSession(t, u.id as number) };
  }
  const project = async (name: string, member: string, visibility = 'private') => {
    const p = await t.api.Projects.create({
      name,
      namespaceId: group.id as number,
      visibility: visibility as 'private',
    });
    await t.api.ProjectMembers.add(p.id as number, 30, { userId: users[member]!.id });
    const work = path.join(t.work, name);
    await runGit(['clone', '--quiet', cloneUrl(t.lite.url, `course/${name}`, rootToken), work], t.work);
    return work;
  };
  const alice = await project('alice-ex1', 'alice');
  await commitFiles(
    alice,
    {
      'README.md':
        '# Exercice 1\n\nOuvrez [le carnet](notebooks/analyse.ipynb), les [données](data/) ou [rien](../../../etc/passwd).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      'notebooks/analyse.ipynb': firstVersion,
      'data/mesures.csv': 'mois,temp\njanvier,6.1\nfévrier,7.0\nmars,10.2\n',
    },
    'Start the exercise',
    { date: '2026-12-01T09:00:00+01:00' },
  );
  await commitFiles(
    alice,
    {
      'notebooks/analyse.ipynb': secondVersion,
      'data/mesures.csv': 'mois,temp\njanvier,6.1\nfévrier,7.4\nmars,10.2\navril,12.9\n',
      'data/raw.bin': Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]),
    },
    'Plot the monthly temperatures\n\nAdded a bar chart and one more month.',
    { date: '2026-12-02T14:30:00+01:00' },
  );
  await commitFiles(
    alice,
    {
      'notebooks/hostile.ipynb': hostileNotebook,
      "notes/\"><img src=x onerror=alert('name')>.md": '# name\n',
      'notes/page.html': '<script>alert("raw")</script>',
    },
    '<script>alert("message")</script> hostile',
    { date: '2026-12-03T10:00:00+01:00' },
  );
  await commitFiles(alice, { 'notes/feedback.md': '# Retour\n\nTrès bien.\n' }, 'Feedback', {
    date: '2026-12-04T10:00:00+01:00',
    branch: 'feedback/v1',
  });
  const long = await project('alice-long', 'alice');
  for (let i = 1; i <= 42; i++)
    await runGit(['commit', '--quiet', '--allow-empty', '-m', `Step ${i}`], long, {
      GIT_AUTHOR_DATE: `2026-11-01T08:${String(i).padStart(2, '0')}:00+00:00`,
      GIT_COMMITTER_DATE: `2026-11-01T08:${String(i).padStart(2, '0')}:00+00:00`,
    });
  await runGit(['push', '--quiet', 'origin', 'HEAD:main'], long);
  const bob = await project('bob-ex1', 'bob');
  await commitFiles(bob, { 'secret.md': '# Bob’s answers\n' }, 'Bob starts', {
    date: '2026-12-01T09:00:00Z',
  });
  const pub = await project('public-notes', 'bob', 'public');
  await commitFiles(pub, { 'README.md': '# Public notes\n' }, 'Notes', { date: '2026-12-01T09:00:00Z' });
  return { t, users };
}

export type PagesForge = Awaited<ReturnType<typeof startPagesForge>>;
