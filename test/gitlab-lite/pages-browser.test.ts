import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startPagesForge, type PagesForge } from './pages-fixture.ts';

// The forge's pages in Debian's chromium, as a learner reads them: links followed by clicking, a hostile
// notebook that must stay text, and screenshots for a person to check.
const screens = path.resolve(import.meta.dirname, '../../.scratch/screens');
let f: PagesForge;
let browser: Browser;

beforeAll(async () => {
  [f, browser] = await Promise.all([startPagesForge(), launchBrowser()]);
  mkdirSync(screens, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await f?.t.close();
});

/** A tab signed in as `who`, recording every dialog, console message and page error. */
async function tab(who: 'alice' | 'bob', locale = 'en-GB') {
  const context: BrowserContext = await browser.newContext({
    locale,
    viewport: { width: 1280, height: 900 },
  });
  await context.addCookies([{ name: '_gitlab_session', value: f.users[who]!.session, url: f.t.lite.url }]);
  const page = await context.newPage();
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => seen.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => seen.push(`error: ${e.message}`));
  return { page, seen, close: () => context.close() };
}

/** Texts of the elements `selector` finds, read without running anything in the page's own world. */
async function texts(page: Page, selector: string) {
  const all = page.locator(selector);
  const out: string[] = [];
  for (let i = 0; i < (await all.count()); i++) out.push((await all.nth(i).textContent()) ?? '');
  return out;
}

/** Elements that could run anything, or an attribute that would (read in the page: this file has no DOM types). */
const liveMarkup = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('*')].flatMap((el) => [
    ...(/^(SCRIPT|IFRAME|OBJECT|EMBED|FORM)$/.test(el.tagName) ? [el.tagName] : []),
    ...el.getAttributeNames()
      .filter((a) => a.startsWith('on') || /^\\s*javascript:/i.test(el.getAttribute(a) ?? ''))
      .map((a) => el.tagName + '[' + a + ']'),
  ])`) as Promise<string[]>;

describe('the forge’s pages in a real browser', () => {
  it('follows the links from the project to a notebook, which reads rendered with its image', async () => {
    const { page, seen, close } = await tab('alice');
    await page.goto(`${f.t.lite.url}/course/alice-ex1`);
    await page.getByTestId('readme').waitFor();
    await page.screenshot({ path: path.join(screens, 'forge-project.png'), fullPage: true });
    await page.getByRole('link', { name: 'notebooks', exact: true }).click();
    await page.getByRole('link', { name: 'analyse.ipynb' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: 'Analyse des températures' }).isVisible(),
    ).resolves.toBe(true);
    expect(new URL(page.url()).pathname).toBe('/course/alice-ex1/-/blob/main/notebooks/analyse.ipynb');
    // Signed in still: the session came along from a sandboxed page's link.
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('@alice');
    const width = await page.evaluate(`document.querySelector('img[alt="image output"]').naturalWidth`);
    expect(width).toBe(240); // decoded: the policy lets inline images load
    await expect(page.locator('.nb-outputs table.dataframe').isVisible()).resolves.toBe(true);
    await expect(page.getByText('ZeroDivisionError: division by zero').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(screens, 'forge-notebook.png'), fullPage: true });
    expect(seen).toEqual([]);
    await close();
  });

  it('runs nothing from a hostile notebook, its commit, its file names or a raw HTML file', async () => {
    const { page, seen, close } = await tab('alice');
    await page.setContent('<a href="javascript:void 0" onclick="x">a</a>'); // the detector detects
    expect(await liveMarkup(page)).toEqual(['A[href]', 'A[onclick]']);
    const base = `${f.t.lite.url}/course/alice-ex1`;
    await page.goto(`${base}/-/commits/main`);
    await page
      .getByRole('link', { name: /hostile/ })
      .first()
      .click();
    await page.getByTestId('commit-title').waitFor();
    const visited = [page.url()];
    for (const url of [
      `${base}/-/blob/main/notebooks/hostile.ipynb`,
      `${base}/-/tree/main/notes`,
      `${base}/-/raw/main/notes/page.html`,
      `${base}/-/blob/main/notes/page.html`,
    ]) {
      await page.goto(url);
      visited.push(url);
      if (!url.includes('/-/raw/')) expect(await liveMarkup(page), url).toEqual([]);
    }
    await page.goto(`${base}/-/tree/main/notes`);
    await page.getByRole('link', { name: /onerror/ }).click(); // the file with a hostile name
    await expect(page.getByRole('heading', { level: 1, name: 'name' }).isVisible()).resolves.toBe(true);
    await page.waitForTimeout(300); // time for an onerror, an onload or a timer to fire, had any got through
    // No dialog, no console line (a script refused by the policy would say so there): the sanitizer held.
    expect(seen, visited.join('\n')).toEqual([]);
    await close();
  });

  it('shows the history and a commit’s notebook diff, folding unchanged cells without any script', async () => {
    const { page, seen, close } = await tab('alice', 'fr-FR');
    await page.goto(`${f.t.lite.url}/course/alice-ex1`);
    await page.getByTestId('tab-history').click();
    const titles = await texts(page, 'ol.commits .title');
    expect(titles).toEqual([
      '<script>alert("message")</script> hostile',
      'Plot the monthly temperatures',
      'Start the exercise',
    ]);
    await expect(page.getByText('2 déc. 2026, 14:30').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(screens, 'forge-history.png'), fullPage: true });
    await page.getByRole('link', { name: 'Plot the monthly temperatures' }).click();
    await expect(page.getByText('3 fichiers modifiés').isVisible()).resolves.toBe(true);
    const notebook = page.locator('details.file[data-path="notebooks/analyse.ipynb"]');
    const intro = notebook.locator('section[data-anchor="intro"]');
    await expect(intro.isVisible()).resolves.toBe(false);
    await notebook.locator('details.fold > summary').click();
    await expect(intro.isVisible()).resolves.toBe(true);
    await expect(
      notebook.locator('section[data-anchor="plot"] img[alt="image output"]').isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: path.join(screens, 'forge-commit.png'), fullPage: true });
    expect(seen).toEqual([]);
    await close();
  });

  it('lists only the learner’s own projects, and shows another learner’s project as not found', async () => {
    const { page, close } = await tab('bob');
    await page.goto(`${f.t.lite.url}/`);
    await page.getByTestId('projects-link').click();
    const listed = await texts(page, 'ul.projects .title');
    expect(listed.sort()).toEqual(['course / bob-ex1', 'course / public-notes']);
    const res = await page.goto(`${f.t.lite.url}/course/alice-ex1/-/blob/main/notebooks/analyse.ipynb`);
    expect(res!.status()).toBe(404);
    await page.getByTestId('not-found').waitFor();
    await page.getByRole('link', { name: 'Français' }).click();
    expect(await page.getByTestId('not-found').textContent()).toBe('404 : page introuvable');
    await close();
  });
});
