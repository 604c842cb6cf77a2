import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

// Issue 15, points 7 and 8 on labgate's own pages: the learner's LMS language in plain words, the
// LMS named as people name it, no 404 for the page icon, buttons on one line.
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const workspaceIds = new Set<string>();

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('notebookImage'),
    DOCKER_SOCKET: podmanSocket,
    ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await database?.close();
  await removeWorkspaces(workspaceIds);
});

/** A French learner from the demo Moodle, in a browser that prefers English; their home page, stayed on. */
async function frenchLearnerHome(): Promise<{ page: Page; missing: string[] }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const missing: string[] = [];
  page.on('response', (r) => void (r.status() === 404 && missing.push(r.url())));
  await page.goto(
    `${demo.url}/simulator/launch?version=1.3&flavour=moodle&role=learner&locale=fr&userId=zoe`,
  );
  await page.waitForURL(/\/(launch|user)\/[0-9a-f]{20}/, { timeout: 120_000 });
  const id = /\/(?:launch|user)\/([0-9a-f]{20})/.exec(page.url())?.[1];
  if (id) workspaceIds.add(id);
  await page.goto(`${demo.url}/home`);
  await page.getByTestId('whoami').waitFor();
  return { page, missing };
}

describe('what a learner reads on labgate’s pages', () => {
  it('follows the LMS’s language in good French, names the LMS plainly, and asks for no missing icon', async () => {
    const { page, missing } = await frenchLearnerHome();
    const whoami = (await page.getByTestId('whoami').textContent())!.replace(/\s+/g, ' ');
    expect(whoami).toContain('en tant qu’apprenant·e');
    expect(await page.getByTestId('lms').textContent()).toBe('Moodle (démo)');
    expect(missing).toEqual([]);
    const icon = await page.request.get(`${demo.url}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
    // "Ouvrir dans GitLab" stays on one line, even in a narrow window.
    await page.setViewportSize({ width: 420, height: 800 });
    const button = page.getByTestId('open-in-gitlab');
    expect(await button.textContent()).toContain('Ouvrir dans GitLab');
    const box = (await button.boundingBox())!;
    // One line: its padding and a line are about 2 em; a second line would add about 1.2 em.
    type Styled = { getComputedStyle(e: unknown): { fontSize: string } };
    const em = await button.evaluate((el) =>
      parseFloat((globalThis as unknown as Styled).getComputedStyle(el).fontSize),
    );
    expect(box.height).toBeLessThan(em * 2.6);
  }, 180_000);

  it('refuses someone else’s workspace with a page in the learner’s language, not the browser’s', async () => {
    const { page } = await frenchLearnerHome();
    // Workspaces have their own origins here: labgate's own refusal page is where the browser ends.
    const answer = await page.goto(`${demo.url}/user/${'0'.repeat(20)}/lab`);
    expect(answer!.status()).toBe(403);
    expect(await page.getByTestId('error-message').textContent()).toBe(
      'Cet espace de travail n’est pas le vôtre, ou il n’existe pas.',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
  }, 180_000);
});
