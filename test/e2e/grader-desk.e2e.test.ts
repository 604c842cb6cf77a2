import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { cloneUrl, runGit } from '../support/gitlab-lite.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

// The acceptance, as people do it on `npm start`: a class graded from the grades page, a
// grader reviewing and scoring in a real browser, feedback released, and every grade in the LMS.
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let work: string;
const workspaceIds = new Set<string>();

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('notebookImage'),
    DOCKER_SOCKET: podmanSocket,
    ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
  });
  browser = await launchBrowser();
  work = mkdtempSync(path.join(tmpdir(), 'labgate-desk-e2e-'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await database?.close();
  await removeWorkspaces(workspaceIds);
  rmSync(work, { recursive: true, force: true });
});

const newPage = async () => (await browser.newContext({ viewport: { width: 1500, height: 1000 } })).newPage();

/** A simulator launch; a learner lands in their workspace, their fork made. */
async function launch(page: Page, query: string, until: RegExp) {
  await page.goto(`${demo.url}/simulator/launch?${query}`);
  await page.waitForURL(until, { timeout: 120_000 });
  const id = /\/(?:launch|user)\/([0-9a-f]{20})/.exec(page.url())?.[1];
  if (id) workspaceIds.add(id);
}
const learnerUrl = /\/(launch|user)\/[0-9a-f]{20}/;

/** The demo exercise with the learner's `moyenne` (its other cells as the template has them). */
function answered(template: string, body: string) {
  const nb = JSON.parse(template) as { cells: Array<{ id: string; source: string | string[] }> };
  const answer = nb.cells.find((c) => c.id === 'answer')!;
  answer.source = `def moyenne(valeurs):\n    ${body}\n\nmoyenne(mesures)`;
  return `${JSON.stringify(nb, null, 1)}\n`;
}

interface Gradebook {
  entries: Array<{ lti: string; name?: string; userId: string; score: number | null; writes: number }>;
  refusals: Array<{ endpoint: string; status: number; error: string }>;
}
const gradebook = async () =>
  (await (await fetch(`${demo.url}/simulator/gradebook.json`)).json()) as Gradebook;

describe('the grader’s desk in a real browser: grade, review, score, comment, release, LMS', () => {
  let teacher: Page;
  let base = '';
  let forge = { url: '', token: '' };
  const forks: Record<string, string> = {};

  async function push(who: string, body: string) {
    const dir = mkdtempSync(path.join(work, `${who}-`));
    const clone = await runGit(['clone', '-q', cloneUrl(forge.url, forks[who]!, forge.token), dir], work);
    if (clone.code !== 0) throw new Error(clone.out);
    const file = path.join(dir, 'exercice.ipynb');
    writeFileSync(file, answered(readFileSync(file, 'utf8'), body));
    await runGit(['-c', 'user.name=L', '-c', 'user.email=l@x.invalid', 'commit', '-qam', 'mine'], dir);
    const pushed = await runGit(['push', '-q', 'origin', 'HEAD:main'], dir);
    if (pushed.code !== 0) throw new Error(pushed.out);
  }

  async function gradeClass(page: Page, grades: string) {
    await page.goto(`${grades}?lang=en`);
    await page.getByRole('button', { name: 'Grade submissions' }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('grading-run').getAttribute('data-finished');
        },
        { timeout: 240_000, interval: 1000 },
      )
      .toBe('yes');
  }

  const row = (name: string) => teacher.locator(`table[data-testid=grades] tr:has-text("${name}")`);

  it('three learners (LTI 1.3) work, and their teacher grades the class from the grades page', async () => {
    for (const [who, name] of [
      ['ana', 'Ana Lima'],
      ['bob', 'Bob Stone'],
      ['cyd', 'Cyd Moreau'],
    ])
      await launch(
        await newPage(),
        `version=1.3&role=learner&locale=en&userId=${who}&name=${encodeURIComponent(name!)}`,
        learnerUrl,
      );
    teacher = await newPage();
    await launch(teacher, 'version=1.3&role=teacher&locale=en', new RegExp(`${demo.url}/home`));
    await teacher.getByTestId('course-page').click();
    base = `${teacher.url().split('?')[0]}/assignments/exercise-1`;
    const roster = (await (await teacher.request.get(`${base}/roster.json`)).json()) as {
      learners: Array<{ lmsId: string; name: string; forkPath: string; forkUrl: string }>;
    };
    for (const l of roster.learners) forks[l.name.split(' ')[0]!.toLowerCase()] = l.forkPath;
    expect(Object.keys(forks).sort()).toEqual(['ana', 'bob', 'cyd']);
    forge = {
      url: new URL(roster.learners[0]!.forkUrl).origin,
      token: readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'root-token'), 'utf8').trim(),
    };
    await push('ana', 'return sum(valeurs) / len(valeurs)');
    await push('bob', 'return sum(valeurs) / (len(valeurs) + 1)');
    await gradeClass(teacher, `${base}/grades`);
    // Ana's answer passes every check; Bob's none; Cyd left the template as it was.
    expect(await row('Ana Lima').locator('td').nth(1).textContent()).toBe('3');
    expect(await row('Bob Stone').locator('td').nth(1).textContent()).toBe('0');
    expect(await row('Cyd Moreau').locator('td').nth(1).textContent()).toBe('0');
  }, 600_000);

  it('a grader opens Bob’s submission: the diff is right on the page, the checks beside his answer', async () => {
    await row('Bob Stone').getByRole('link', { name: 'Review' }).click();
    await teacher.getByTestId('learner').waitFor();
    expect(await teacher.getByTestId('learner').textContent()).toContain('Bob Stone');
    const answer = teacher.locator('section[data-anchor="answer"]');
    expect(await answer.getAttribute('data-op')).toBe('modified');
    // His line beside the template's two it replaced, marked changed; the lines kept stay plain.
    const mine = answer.locator('td.code[data-side="right"][data-line="2"]');
    expect(await mine.textContent()).toContain('return sum(valeurs) / (len(valeurs) + 1)');
    expect(await mine.locator('xpath=..').getAttribute('class')).toBe('chg');
    const kept = answer.locator('td.code[data-side="right"][data-line="1"]');
    expect(await kept.locator('xpath=..').getAttribute('class')).toBe('eq');
    expect(await answer.locator('td.code[data-side="left"][data-line="2"]').textContent()).toContain(
      '# À vous',
    );
    // Unchanged cells are folded; the autograder's verdicts sit beside the answer.
    expect(await teacher.locator('section[data-anchor="intro"]').isVisible()).toBe(false);
    expect(await teacher.locator('button.unfold').first().textContent()).toMatch(/unchanged cell/);
    const panel = teacher.locator('.panel[data-question="moyenne"]');
    expect(await panel.textContent()).toMatch(/moyenne\(\[1, 2, 3, 4\]\)/);
    // Against the expected answers instead: the teacher's solution on the left.
    await teacher
      .getByTestId('against')
      .getByRole('link', { name: /expected/i })
      .click();
    await teacher.locator('section[data-anchor="answer"]').waitFor();
    expect(
      await teacher.locator('section[data-anchor="answer"] td.code[data-side="left"]').allTextContents(),
    ).toContain('    return sum(valeurs) / len(valeurs)');
  }, 120_000);

  it('overrides Bob’s score and comments his answer’s line, saved as the grader goes', async () => {
    const panel = teacher.locator('.panel[data-question="moyenne"]');
    await panel.locator('input[name=score]').fill('1.5');
    await panel.locator('input[name=score]').press('Tab');
    await expect.poll(() => panel.getByTestId('save-state').textContent()).toBe('Saved ✓');
    const answer = teacher.locator('section[data-anchor="answer"]');
    await answer
      .locator('td.code[data-side="right"][data-line="2"]')
      .locator('xpath=preceding-sibling::td[1]')
      .click();
    const comment = answer.locator('.comment').last();
    await comment.locator('textarea').fill('Divide by the number of values, not one more.');
    await comment.locator('textarea').press('Escape');
    await expect.poll(() => comment.getByTestId('save-state').textContent()).toBe('Saved ✓');
    await teacher.reload();
    expect(await teacher.getByTestId('final-score').textContent()).toBe('1.5 / 3');
    expect(await teacher.locator('section[data-anchor="answer"] .comment textarea').inputValue()).toBe(
      'Divide by the number of values, not one more.',
    );
  }, 120_000);

  it('releases feedback through an LMS outage: FEEDBACK.md in each fork, each grade in the LMS once', async () => {
    const outage = await fetch(`${demo.url}/simulator/gradebook/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'seconds=6',
    });
    expect(outage.status).toBe(200);
    await teacher.goto(`${base}/grades?lang=en`);
    await teacher.getByRole('button', { name: 'Release feedback' }).click();
    expect(await teacher.getByTestId('release-state').getAttribute('data-released')).toBe('yes');
    await expect
      .poll(
        async () => {
          await teacher.reload();
          return teacher.getByTestId('deliveries').textContent();
        },
        { timeout: 120_000, interval: 1000 },
      )
      .toMatch(/FEEDBACK\.md committed for 3 of 3/);
    const feedback = String(
      await (
        await fetch(
          `${forge.url}/api/v4/projects/${encodeURIComponent(forks['bob']!)}/repository/files/FEEDBACK.md/raw?ref=main`,
          { headers: { 'private-token': forge.token } },
        )
      ).text(),
    );
    expect(feedback).toContain('1.5 / 3');
    expect(feedback).toMatch(
      /exercice\.ipynb, cell 4, line 2:\s+> Divide by the number of values, not one more\./,
    );
    expect(feedback).not.toMatch(/moyenne\(\\?\[5\\?\]\)/); // the hidden check
    // The LMS answered 500 for a while; the outbox retried until each grade landed, once.
    await expect
      .poll(async () => (await gradebook()).entries.filter((e) => e.lti === '1.3').length, {
        timeout: 120_000,
        interval: 2000,
      })
      .toBe(3);
    const book = await gradebook();
    expect(book.refusals.filter((r) => r.error === 'outage' && r.status === 500).length).toBeGreaterThan(0);
    const entries = book.entries.filter((e) => e.lti === '1.3');
    expect(entries.map((e) => [e.name, e.score, e.writes]).sort()).toEqual([
      ['Ana Lima', 1, 1],
      ['Bob Stone', 0.5, 1],
      ['Cyd Moreau', 0, 1],
    ]);
    await teacher.goto(`${base}/roster?lang=en`);
    expect(
      await teacher.locator('tr:has-text("Bob Stone") td[data-column=lmsGrade]').getAttribute('data-state'),
    ).toBe('sent');
  }, 300_000);

  it('Bob reads his feedback from his home: his score, the comment by his line, no hidden check', async () => {
    const bob = await newPage();
    await launch(bob, 'version=1.3&role=learner&locale=en&userId=bob&name=Bob%20Stone', learnerUrl);
    await bob.goto(`${demo.url}/home?stay=1&lang=en`);
    await bob.getByTestId('feedback-links').getByRole('link').click();
    expect(await bob.getByTestId('final-score').textContent()).toBe('1.5 / 3');
    expect(await bob.content()).toContain('Divide by the number of values, not one more.');
    expect(await bob.content()).not.toContain('moyenne([5])');
    expect(await bob.getByTestId('hidden-count').first().textContent()).toMatch(/1 hidden check/);
  }, 180_000);

  it('an LTI 1.1 learner’s grade reaches the LMS through Basic Outcomes', async () => {
    await launch(
      await newPage(),
      'version=1.1&role=learner&locale=en&userId=dan&name=Dan%20Okafor',
      learnerUrl,
    );
    const teacher11 = await newPage();
    await launch(teacher11, 'version=1.1&role=teacher&locale=en', new RegExp(`${demo.url}/home`));
    await teacher11.getByTestId('course-page').click();
    const base11 = `${teacher11.url().split('?')[0]}/assignments/exercise-1`;
    const roster = (await (await teacher11.request.get(`${base11}/roster.json`)).json()) as {
      learners: Array<{ name: string; forkPath: string }>;
    };
    forks['dan'] = roster.learners.find((l) => l.name === 'Dan Okafor')!.forkPath;
    await push('dan', 'return sum(valeurs) / len(valeurs)');
    await gradeClass(teacher11, `${base11}/grades`);
    await teacher11.getByRole('button', { name: 'Release feedback' }).click();
    await expect
      .poll(async () => (await gradebook()).entries.find((e) => e.lti === '1.1')?.score, {
        timeout: 120_000,
        interval: 1000,
      })
      .toBe(1);
    expect((await gradebook()).entries.filter((e) => e.lti === '1.1')).toEqual([
      expect.objectContaining({ name: 'Dan Okafor', score: 1, writes: 1 }),
    ]);
  }, 600_000);
});
