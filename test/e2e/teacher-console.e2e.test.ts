import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { cloneUrl, runGit } from '../support/gitlab-lite.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cell = (id: string, source: string) => ({
  cell_type: 'code',
  id,
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});
const exercise = (q1: string, q2: string) =>
  `${JSON.stringify({ cells: [cell('intro', '# Exercise 2'), cell('q1', q1), cell('q2', q2)], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let work: string;
const contexts: BrowserContext[] = [];
const workspaceIds = new Set<string>();

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('notebookImage'),
    DOCKER_SOCKET: podmanSocket,
    ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
  });
  browser = await launchBrowser();
  work = mkdtempSync(path.join(tmpdir(), 'labgate-teacher-e2e-'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await database?.close();
  await removeWorkspaces(workspaceIds);
  rmSync(work, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  contexts.push(context);
  return context.newPage();
}

/** A learner's launch from the simulator; they land on their workspace's start page, their fork made. */
async function launchLearner(page: Page, url: string) {
  await page.goto(url);
  await page.waitForURL(/\/(launch|user)\/[0-9a-f]{20}/, { timeout: 120_000 });
  const id = /\/(?:launch|user)\/([0-9a-f]{20})/.exec(page.url())?.[1];
  if (id) workspaceIds.add(id);
}

describe('the teacher’s console in a real browser: publish, link, watch, update, deadline, collect', () => {
  let teacher: Page;
  let courseUrl = '';
  let rosterUrl = '';
  let forge = { url: '', token: '' };
  const forks: Record<string, string> = {};
  const shas: Record<string, string> = {};

  const cellOf = async (who: string, column: string) =>
    (
      await teacher
        .locator(`tr:has(td[data-column=lmsId]:text-is("${who}")) td[data-column=${column}]`)
        .textContent()
    )?.trim() ?? '';
  const stateOf = (who: string) =>
    teacher
      .locator(`tr:has(td[data-column=lmsId]:text-is("${who}")) td[data-column=templateState]`)
      .getAttribute('data-state');
  async function push(who: string, files: Record<string, string>) {
    const dir = mkdtempSync(path.join(work, `${who}-`));
    const project = forks[who] ?? who;
    const clone = await runGit(['clone', '-q', cloneUrl(forge.url, project, forge.token), dir], work);
    if (clone.code !== 0) throw new Error(clone.out);
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
    await runGit(['commit', '-qam', `${who} works`], dir);
    const pushed = await runGit(['push', '-q', 'origin', 'HEAD:main'], dir);
    if (pushed.code !== 0) throw new Error(pushed.out);
    return (await runGit(['rev-parse', 'HEAD'], dir)).out.trim();
  }
  async function waitForTask() {
    await expect
      .poll(
        async () => {
          await teacher.reload();
          return teacher.getByTestId('task').getAttribute('data-finished');
        },
        { timeout: 180_000, interval: 1000 },
      )
      .toBe('yes');
  }

  it('a teacher publishes an exercise from the course page, with a new template they upload', async () => {
    teacher = await newPage();
    await teacher.goto(`${demo.url}/simulator/launch?version=1.3&role=teacher&locale=en`);
    await teacher.waitForURL(`${demo.url}/home`);
    await teacher.getByTestId('course-page').click();
    courseUrl = teacher.url().split('?')[0]!;
    await teacher.locator('#publish a.button').click();
    await teacher.fill('#title', 'Exercise two');
    await teacher.fill('#slug', 'ex2');
    await teacher.fill('#newTemplate', 'ex2-template');
    await teacher.locator('button[formaction*="/publish/template"]').click();
    await teacher.getByTestId('template-box').waitFor();
    expect(await teacher.getByTestId('template-box').getAttribute('data-empty')).toBe('yes');
    const clone = /git clone (\S+)/.exec((await teacher.getByTestId('git-commands').textContent())!)![1]!;
    forks['template'] = new URL(clone).pathname.replace(/^\/|\.git$/g, '');
    expect(forks['template']).toMatch(/\/templates\/ex2-template$/);
    await teacher.locator('input[name=files]').setInputFiles({
      name: 'ex2.ipynb',
      mimeType: 'application/x-ipynb+json',
      buffer: Buffer.from(exercise('x = 1', 'y = 2')),
    });
    await teacher.locator('button[formaction*="/publish/upload"]').click();
    await expect.poll(() => teacher.getByTestId('template-box').getAttribute('data-empty')).toBe('no');
    await teacher.locator('#publish-form button.primary').click();
    await teacher.getByTestId('published').waitFor();
    expect(await teacher.locator('tr[data-assignment=ex2]').count()).toBe(1);
    rosterUrl = `${courseUrl}/assignments/ex2/roster`;
  }, 120_000);

  it('links it from the LMS by deep linking, and three learners launch (one through the link)', async () => {
    const lms = await newPage();
    await lms.goto(`${demo.url}/simulator`);
    await lms.getByTestId('deep-link').click();
    await lms.locator('tr[data-assignment=ex2] [data-testid=link-exercise]').click();
    await lms.getByTestId('linked').waitFor();
    const linkId = new URL(lms.url()).searchParams.get('linked')!;
    const ana = await newPage();
    await ana.goto(`${demo.url}/simulator`);
    const link = ana.locator(`li[data-link="${linkId}"]`);
    await link.getByTestId('link-user-id').fill('ana');
    await Promise.all([
      ana.waitForURL(/\/(launch|user)\/[0-9a-f]{20}/, { timeout: 120_000 }),
      link.getByTestId('launch-link').click(),
    ]);
    const id = /\/(?:launch|user)\/([0-9a-f]{20})/.exec(ana.url())?.[1];
    if (id) workspaceIds.add(id);
    for (const who of ['ben', 'cyd'])
      await launchLearner(
        await newPage(),
        `${demo.url}/simulator/launch?version=1.3&role=learner&locale=en&assignment=ex2&userId=${who}&name=${who}`,
      );
    await teacher.goto(`${rosterUrl}?lang=en`);
    await expect
      .poll(
        async () => {
          await teacher.reload();
          return teacher.locator('td[data-column=provisioning]:text-is("done")').count();
        },
        { timeout: 120_000, interval: 1000 },
      )
      .toBe(3);
    for (const who of ['ana', 'ben', 'cyd']) forks[who] = await cellOf(who, 'forkPath');
    expect(forks['ana']).toMatch(/ex2/);
    const href = await teacher.locator('td[data-column=forkPath] a').first().getAttribute('href');
    forge = {
      url: new URL(href!).origin,
      token: readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'root-token'), 'utf8').trim(),
    };
  }, 300_000);

  it('shows pushes, and who the teacher’s template fix would conflict for', async () => {
    shas['ana'] = await push('ana', { 'ex2.ipynb': exercise('x = 1', 'y = 2  # ana: 42') });
    shas['ben'] = await push('ben', { 'ex2.ipynb': exercise('x = 1  # ben', 'y = 2') });
    await push('template', { 'ex2.ipynb': exercise('x = 10', 'y = 2') });
    await teacher.goto(`${rosterUrl}?lang=en`);
    await teacher.getByRole('button', { name: 'Check forks against the template now' }).click();
    await waitForTask();
    expect(await stateOf('ana')).toBe('behind');
    expect(await stateOf('ben')).toBe('conflict');
    expect(await cellOf('ben', 'conflicts')).toBe('ex2.ipynb');
    expect(await stateOf('cyd')).toBe('behind');
    expect(await cellOf('ana', 'ahead')).toBe('1');
    expect(await cellOf('cyd', 'ahead')).toBe('0');
    expect(await cellOf('ana', 'lastPushAt')).toMatch(/^\d{4}-/);
    expect(await cellOf('cyd', 'lastPushAt')).toBe('');
  }, 300_000);

  it('brings the clean forks up to date and leaves the conflicting one to its learner', async () => {
    await teacher.getByRole('button', { name: 'Bring forks up to date' }).click();
    await waitForTask();
    expect(await cellOf('ana', 'updateResult')).toBe('merged');
    expect(await cellOf('cyd', 'updateResult')).toBe('merged');
    expect(await cellOf('ben', 'updateResult')).toBe('conflict: ex2.ipynb');
    expect(await stateOf('ana')).toBe('up-to-date');
    expect(await stateOf('ben')).toBe('conflict');
  }, 300_000);

  it('records the submitted commits at the deadline, and a late push with its delay', async () => {
    const due = new Date(Date.now() + 12_000);
    await teacher
      .locator('form[action*="/deadline"] input[name=deadline]')
      .fill(due.toISOString().slice(0, 19));
    await teacher.locator('form[action*="/deadline"] button').click();
    await teacher.waitForURL(/done=deadline/);
    await teacher.waitForTimeout(Math.max(0, due.getTime() - Date.now()) + 1500);
    shas['ben-late'] = await push('ben', { 'ex2.ipynb': exercise('x = 1  # ben, late', 'y = 2') });
    await teacher.getByRole('button', { name: 'Record submissions now' }).click();
    await teacher.waitForURL(/done=record/);
    await expect
      .poll(
        async () => {
          await teacher.reload();
          return cellOf('ben', 'lateByMs');
        },
        { timeout: 60_000 },
      )
      .toMatch(/min|h/);
    expect(await cellOf('ana', 'submittedCommit')).toBe(shas['ana']);
    expect(await cellOf('ben', 'submittedCommit')).toBe(shas['ben']);
    expect(await cellOf('cyd', 'submittedCommit')).toBe('');
    await teacher.goto(`${courseUrl}?lang=en`);
    const count = (what: string) =>
      teacher.locator(`tr[data-assignment=ex2] td[data-count=${what}]`).textContent();
    expect(await count('pushed')).toBe('2');
    expect(await count('submitted')).toBe('2');
    expect(await count('conflict')).toBe('1');
    await teacher.goto(`${rosterUrl}?lang=en`);
  }, 120_000);

  it('opens the course group and a learner’s fork in the forge, signed in as the teacher', async () => {
    const home = await teacher.context().newPage();
    await home.goto(`${demo.url}/home?stay=1&lang=en`);
    const [group] = await Promise.all([
      home.context().waitForEvent('page'),
      home.getByTestId('open-in-gitlab').click(),
    ]);
    await group!.getByTestId('group-name').waitFor();
    expect(await group!.locator('[data-testid=group-projects] a').allTextContents()).toEqual(
      expect.arrayContaining([forks['ana'], forks['ben'], forks['cyd']]),
    );
    const [fork] = await Promise.all([
      teacher.context().waitForEvent('page'),
      teacher.locator(`tr:has(td[data-column=lmsId]:text-is("ana")) td[data-column=forkPath] a`).click(),
    ]);
    await fork!.getByTestId('project-name').waitFor();
    expect(fork!.url()).toContain(forks['ana']);
  }, 120_000);

  it('shows each learner their receipt from their home page', async () => {
    const ana = await newPage();
    await ana.goto(
      `${demo.url}/simulator/launch?version=1.3&role=learner&locale=en&assignment=ex2&userId=ana&name=ana`,
    );
    await ana.goto(`${demo.url}/home?stay=1&lang=en`);
    await ana.getByTestId('receipts').getByRole('link', { name: 'Receipt' }).click();
    expect(await ana.getByTestId('receipt-commit').textContent()).toBe(shas['ana']);
    expect(await ana.getByTestId('receipt-status').textContent()).toContain('on time');
  }, 120_000);

  it('collects the submitted commits into nbgrader’s folders, and the CSV matches the page', async () => {
    const out = path.join(work, 'collected');
    const courseId = decodeURIComponent(courseUrl.split('/courses/')[1]!);
    await exec(
      process.execPath,
      [
        path.join(root, 'bin/labgate.js'),
        'collect',
        '--course',
        courseId,
        '--assignment',
        'ex2',
        '--out',
        out,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: demo.dataDir,
          ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
        },
      },
    );
    const manifest = readFileSync(path.join(out, 'manifest-ex2.csv'), 'utf8');
    const folders = manifest
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(',')[0]!);
    const submitted = folders.filter((f) => existsSync(path.join(out, 'submitted', f, 'ex2', 'ex2.ipynb')));
    expect(submitted).toHaveLength(2);
    expect(manifest).toContain(shas['ana']);
    // The upkeep checks forks again after pushes: compare once it is idle.
    await expect
      .poll(
        () =>
          teacher.evaluate(async (url) => {
            const { task } = (await (await fetch(url)).json()) as { task: { finishedAt?: number } | null };
            return !task || Boolean(task.finishedAt);
          }, `${courseUrl}/assignments/ex2/progress.json`),
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    await teacher.reload();
    const csv = await teacher.evaluate(async (url) => (await fetch(url)).text(), `${rosterUrl}.csv`);
    const [header, ...lines] = csv.trim().split('\r\n');
    const columns = header!.split(',');
    expect(lines).toHaveLength(await teacher.locator('[data-testid=roster] tbody tr').count());
    for (const who of ['ana', 'ben', 'cyd']) {
      const values = lines.map((l) => l.split(',')).find((v) => v[columns.indexOf('lmsId')] === who)!;
      for (const c of [
        'lmsId',
        'gitlabUsername',
        'forkPath',
        'ahead',
        'behind',
        'submittedCommit',
        'lateByMs',
        'lastPushAt',
      ])
        expect(values[columns.indexOf(c)], `${who} ${c}`).toBe(await cellOf(who, c));
      expect(values[columns.indexOf('templateState')]).toBe(await stateOf(who));
    }
  }, 120_000);
});
