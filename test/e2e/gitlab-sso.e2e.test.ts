import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startDemoProcess } from '../support/labgate-process.ts';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;

beforeAll(async () => {
  demo = await startDemoProcess();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** From the LMS simulator to labgate's home, waiting until the learner's fork is ready. */
async function launchAndWaitForFork(page: Page, query: string) {
  await page.goto(`${demo.url}/simulator/launch?${query}`);
  // The launch goes on into the workspace when workspaces run; the home page stays the home page.
  await page.waitForURL(/\/(home|launch\/|user\/)/);
  await page.goto(`${demo.url}/home`);
  const link = page.getByTestId('open-in-gitlab');
  for (let i = 0; i < 60 && !(await link.count()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  return link;
}

async function forgeUserWithIdentity(forgeUrl: string, externUid: string) {
  const token = readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'root-token'), 'utf8').trim();
  const res = await fetch(
    `${forgeUrl}/api/v4/users?extern_uid=${encodeURIComponent(externUid)}&provider=openid_connect`,
    { headers: { 'private-token': token } },
  );
  return ((await res.json()) as Array<{ username: string }>)[0];
}

describe('Sign in with labgate: from the course to GitLab without typing anything', () => {
  let firstProject = '';

  it('lands the learner signed in as themselves on their project in the forge', async () => {
    const page = await browser.newPage();
    const link = await launchAndWaitForFork(page, 'role=learner&locale=en&userId=ada&name=Ada%20Lovelace');
    const labgateId = (await page.getByTestId('user-id').textContent())!.trim();
    firstProject = (await link.getAttribute('data-web-url'))!;
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    // Forge → its sign-in → labgate's provider (the labgate session answers) → back, signed in.
    await tab!.getByTestId('project-name').waitFor();
    expect(tab!.url()).toBe(firstProject);
    const signedInAs = (await tab!.getByTestId('signed-in-as').textContent())!.replace(/^@/, '');
    const owner = await forgeUserWithIdentity(new URL(firstProject).origin, labgateId);
    expect(owner?.username).toBe(signedInAs);
    await page.close();
  }, 120_000);

  it('shows another learner GitLab’s 404 on the first learner’s project, and their own project', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const link = await launchAndWaitForFork(page, 'role=learner&locale=en&userId=eve&name=Eve%20Mallory');
    const own = (await link.getAttribute('data-web-url'))!;
    const tab = await context.newPage();
    await tab.goto(firstProject);
    await tab.getByTestId('not-found').waitFor();
    expect(await tab.getByTestId('signed-in-as').textContent()).toMatch(/^@eve/);
    await tab.goto(own);
    await tab.getByTestId('project-name').waitFor();
    await context.close();
  }, 120_000);
});
