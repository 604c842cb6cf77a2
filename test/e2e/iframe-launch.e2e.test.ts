import { createServer, type Server } from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { freePort, startDemoProcess } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let lms: Server;
let lmsUrl: string;

// The "LMS" page lives on 127.0.0.1 and embeds labgate from localhost: another site, so labgate's
// cookie is a third-party cookie there, as in a FUN or Moodle iframe.
beforeAll(async () => {
  database = await openTestDatabase();
  demo = await startDemoProcess(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {});
  const port = await freePort();
  lms = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><h1>Course page</h1>
      <iframe name="tool" width="900" height="600" src="${demo.url}/simulator/launch?role=learner&locale=en"></iframe>`);
  });
  await new Promise<void>((resolve) => lms.listen(port, '127.0.0.1', resolve));
  lmsUrl = `http://127.0.0.1:${port}/course`;
});

afterAll(async () => {
  lms?.close();
  await demo?.stop();
  await database?.close();
});

async function launchInIframe(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(lmsUrl);
  const frame = page.frameLocator('iframe[name=tool]');
  await expect
    .poll(async () => page.frame({ name: 'tool' })?.url() ?? '', { timeout: 20_000 })
    .toMatch(/\/home$|\/launch\/continue/);
  return { page, frame };
}

// Chromium 156 here blocks third-party cookies in any profile, so the cookie-kept iframe case cannot be
// reproduced; the same-site launch is covered by demo-launch.e2e.test.ts.
describe('a launch inside an LMS iframe', () => {
  it('continues in a new tab, signed in, when the browser blocks third-party cookies', async () => {
    const browser = await launchBrowser(['--test-third-party-cookie-phaseout']);
    try {
      const context = await browser.newContext();
      const { frame } = await launchInIframe(context);
      await expect(frame.getByTestId('open-new-tab').textContent()).resolves.toBe('Open in a new tab');
      const [tab] = await Promise.all([
        context.waitForEvent('page'),
        frame.getByTestId('open-new-tab').click(),
      ]);
      await tab.waitForURL(`${demo.url}/home`);
      expect(await tab.getByTestId('user-name').textContent()).toBe('Alice Martin');
    } finally {
      await browser.close();
    }
  });
});
