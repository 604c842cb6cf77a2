import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
  // The demo runs on the suite's database kind: its own SQLite file, or the PostgreSQL test database.
  demo = await startDemoProcess(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {});
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await database?.close();
});

describe('labgate demo in a real browser', () => {
  it('a learner launched from the simulator (LTI 1.1, FUN) lands on a page naming them and the course', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/simulator`);
    await page.getByTestId('launch').click();
    await page.waitForURL(`${demo.url}/home`);
    await expect.poll(() => page.getByTestId('user-name').textContent()).toBe('Alice Martin');
    expect(await page.getByTestId('course-title').textContent()).toBe('Recherche reproductible (démo)');
    expect(await page.getByTestId('lms').textContent()).toBe('FUN');
    expect(await page.getByTestId('role').textContent()).toBe('apprenant·e');
    // The embedded forge makes the learner's fork of the demo exercise; the page refreshes until it is ready.
    const copy = page.getByTestId('provisioning');
    await expect.poll(() => copy.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await copy.textContent()).toContain('labgate/rr101/exercise-1-alice-martin');
    await page.screenshot({ path: 'test-results/demo-learner-home.png' });
    await page.close();
  });

  it('a teacher launched from a Moodle simulator in English is named as a teacher', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/simulator`);
    await page.check('input[name=flavour][value=moodle]');
    await page.check('input[name=role][value=teacher]');
    await page.check('input[name=locale][value=en]');
    await page.getByTestId('launch').click();
    await page.waitForURL(`${demo.url}/home`);
    expect(await page.getByTestId('user-name').textContent()).toBe('Bernard Dupont');
    expect(await page.getByTestId('role').textContent()).toBe('teacher');
    expect(await page.getByTestId('lms').textContent()).toBe('Moodle (démo)');
    await page.getByRole('link', { name: 'Back to the course' }).click();
    await page.waitForURL(/\/simulator\?returned=1$/);
    await page.close();
  });

  it('a learner launched with LTI 1.3 (OIDC login, signed id_token) lands on the same kind of page', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/simulator`);
    await page.check('input[name=version][value="1.3"]');
    await page.getByTestId('launch').click();
    await page.waitForURL(`${demo.url}/home`);
    expect(await page.getByTestId('user-name').textContent()).toBe('Alice Martin');
    expect(await page.getByTestId('course-title').textContent()).toBe('Recherche reproductible (démo)');
    expect(await page.getByTestId('lms').textContent()).toBe('FUN');
    await page.close();
  });

  it('a Moodle teacher launched with LTI 1.3 is a teacher', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/simulator/launch?version=1.3&flavour=moodle&role=teacher&locale=en`);
    await page.waitForURL(`${demo.url}/home`);
    expect(await page.getByTestId('user-name').textContent()).toBe('Bernard Dupont');
    expect(await page.getByTestId('role').textContent()).toBe('teacher');
    expect(await page.getByTestId('lms').textContent()).toBe('Moodle (démo)');
    await page.close();
  });

  it('signing out ends the session', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/simulator/launch?role=learner&locale=en`);
    await page.waitForURL(/\/(home|launch\/|user\/)/); // into the workspace, when workspaces run
    await page.goto(`${demo.url}/home`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(new RegExp(`^${demo.url}/sign-out\\?lang=en`)); // by way of the forge's sign-out
    await page.getByTestId('signed-out').waitFor();
    const res = await page.goto(`${demo.url}/home`);
    expect(res?.status()).toBe(401);
    await page.close();
  });
});
