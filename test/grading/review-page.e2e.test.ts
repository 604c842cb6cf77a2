import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { answers, notebookOf, startReviewRig, templateCells, type ReviewRig } from '../support/review-rig.ts';

let r: ReviewRig;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  r = await startReviewRig();
  const cells = templateCells.map((c) => ({ ...c, source: c.id === 'q1' ? answers['q1']! : c.source }));
  const pushed = await r.rig.push(r.ana.path, { 'ex.ipynb': notebookOf(cells) });
  await r.graded(r.ana, pushed.sha);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  await context.addCookies([{ name: 'labgate_session', value: r.tom, url: r.rig.base }]);
  page = await context.newPage();
  // The 409 of the conflict below is expected; anything else (a CSP refusal, a script error) is not.
  page.on(
    'console',
    (m) => void (m.type() === 'error' && !/status of 409/.test(m.text()) && problems.push(m.text())),
  );
  page.on('pageerror', (e) => void problems.push(e.message));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await r?.rig.close();
});

const panel = (question: string) => page.locator(`.panel[data-question="${question}"]`);
const scoreOf = async (question: string) =>
  (await r.rig.db
    .selectFrom('review_scores')
    .selectAll()
    .where('question_id', '=', question)
    .where('user_id', '=', r.ana.userId)
    .executeTakeFirst()) ?? undefined;

describe('the review page in a real browser', () => {
  it('runs its own scripts under its Content-Security-Policy', async () => {
    await page.goto(`${r.rig.base}${r.reviewUrl(r.ana.userId, '?lang=en')}`);
    await expect.poll(() => page.locator('button.add-comment').count()).toBeGreaterThan(3);
    expect(await page.locator('section[data-anchor="setup"]').isVisible()).toBe(false); // folded
    await page.locator('button.unfold').first().click();
    expect(await page.locator('section[data-anchor="setup"]').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('saves a score as it is typed, and a rubric item as it is ticked', async () => {
    await panel('squares').locator('input[name=score]').fill('2.5');
    await panel('squares').locator('input[name=score]').press('Tab');
    await expect.poll(() => panel('squares').getByTestId('save-state').textContent()).toBe('Saved ✓');
    expect(await scoreOf('squares')).toMatchObject({ score: 2.5, graded_by: expect.any(String), version: 1 });
    expect(await panel('squares').locator('.final-score').textContent()).toBe('2.5');
    await panel('mean').locator('input[data-item="1"]').check();
    await expect.poll(() => panel('mean').getByTestId('save-state').textContent()).toBe('Saved ✓');
    expect(JSON.parse((await scoreOf('mean'))!.rubric)).toEqual([{ item: 1, points: 0.5 }]);
    expect(await panel('mean').locator('.final-score').textContent()).toBe('1.5');
  });

  it('shows another grader’s save made meanwhile and lets the grader keep their own', async () => {
    const sue = await r.rig.app.server.inject({
      method: 'POST',
      url: r.reviewUrl(r.ana.userId, '/scores'),
      cookies: { labgate_session: r.sue },
      headers: { 'x-csrf-token': await r.csrfOf(r.sue), accept: 'application/json' },
      payload: { questionId: 'squares', score: 1, rubric: [], comment: 'Sue says 1', version: 1 },
    });
    expect(sue.statusCode).toBe(200);
    await panel('squares').locator('textarea[name=comment]').fill('Tom says 2.5');
    await panel('squares').locator('textarea[name=comment]').press('Escape');
    const conflict = panel('squares').locator('.conflict');
    await expect.poll(() => conflict.isVisible()).toBe(true);
    expect(await conflict.textContent()).toContain('Sue Assistant changed this meanwhile');
    expect(await conflict.textContent()).toContain('Sue says 1');
    expect(await panel('squares').locator('textarea[name=comment]').inputValue()).toBe('Tom says 2.5');
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => panel('squares').getByTestId('save-state').textContent()).toBe('Saved ✓');
    expect(await scoreOf('squares')).toMatchObject({ score: 2.5, comment: 'Tom says 2.5', version: 3 });
  });

  it('comments on a line when its number is clicked', async () => {
    const q1 = page.locator('section[data-anchor="q1"]');
    await q1
      .locator('td.code[data-side="right"][data-line="3"]')
      .locator('xpath=preceding-sibling::td[1]')
      .click();
    const comment = q1.locator('.comment').last();
    await expect.poll(() => comment.locator('.where').textContent()).toBe('Line 3');
    await comment.locator('textarea').fill('Good use of range.');
    await comment.locator('textarea').press('Escape');
    await expect.poll(() => comment.getByTestId('save-state').textContent()).toBe('Saved ✓');
    const rows = await r.rig.db.selectFrom('review_comments').selectAll().execute();
    expect(rows).toMatchObject([{ file: 'ex.ipynb', cell: 'q1', line: 3, body: 'Good use of range.' }]);
    expect(await q1.locator('td.code[data-side="right"][data-line="3"]').getAttribute('class')).toContain(
      'commented',
    );
  });

  it('goes to the next learner in roster order with ], and back with Alt+←', async () => {
    await page.getByTestId('learner').click();
    await Promise.all([page.waitForURL(new RegExp(`/review/${r.bea.userId}\\?`)), page.keyboard.press(']')]);
    expect(await page.getByTestId('learner').textContent()).toContain('Bea Costa');
    await page.locator('textarea#general-comment').focus();
    await page.keyboard.press(']'); // typed in a field: not a shortcut
    expect(await page.locator('textarea#general-comment').inputValue()).toBe(']');
    await page.locator('textarea#general-comment').press('Escape');
    await expect.poll(() => page.locator('.general').getByTestId('save-state').textContent()).toBe('Saved ✓');
    await Promise.all([
      page.waitForURL(new RegExp(`/review/${r.ana.userId}\\?`)),
      page.keyboard.press('Alt+ArrowLeft'),
    ]);
    expect(await page.getByTestId('learner').textContent()).toContain('Ana Lima');
    expect(problems).toEqual([]);
  });
});
