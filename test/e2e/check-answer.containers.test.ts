import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let page: Page;
let workspaceId = '';
const interval = 15;

beforeAll(async () => {
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('labImage'),
    DOCKER_SOCKET: podmanSocket,
    WORKSPACE_ENTRY: 'lab',
    WORKSPACE_MEMORY_MB: '1024',
    GRADING_CHECK_INTERVAL_SECONDS: String(interval),
  });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (workspaceId) await removeWorkspaces([workspaceId]);
});

const answerCell = () => page.locator('.jp-Notebook .jp-Cell').nth(3);
async function typeAnswer(text: string) {
  await answerCell().locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** Presses Check my answer; the dialog's text and outcome, closed afterwards. */
async function check() {
  await page.locator('[data-git-action=check] button').click();
  const result = page.locator('[data-git-result=check]');
  await result.waitFor({ timeout: 120_000 });
  const seen = {
    outcome: await result.getAttribute('data-git-outcome'),
    text: (await result.textContent()) ?? '',
    added: await result.locator('[data-diff-op=add]').allTextContents(),
  };
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await result.waitFor({ state: 'detached' });
  return seen;
}

describe('Check my answer in a real JupyterLab, graded in a sandbox', () => {
  it('shows per-question results, the hint and the expected block’s diff; past the limit, says when to retry', async () => {
    page = await browser.newPage({ viewport: { width: 1680, height: 900 } }); // five labelled buttons: no toolbar overflow
    await page.goto(`${demo.url}/simulator/launch?role=learner&locale=en&userId=eve&name=Eve`);
    await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 180_000 });
    workspaceId = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
    await page.goto(`${demo.url}/user/${workspaceId}/lab/tree/exercice.ipynb`);
    await page.locator('[data-git-action=check]').waitFor({ timeout: 60_000 });
    await answerCell().locator('.cm-content').waitFor();

    // A wrong answer, not even saved: Check my answer saves it first.
    await typeAnswer('def moyenne(valeurs):\n    return sum(valeurs)\n\nmoyenne(mesures)');
    const wrong = await check();
    expect(wrong.outcome).toBe('success');
    expect(wrong.text).toContain('0 of 1 question right');
    expect(wrong.text).toMatch(/moyenne\(\[1, 2, 3, 4\]\) returned 10/);
    expect(wrong.text).toContain('Hint: La moyenne est la somme');
    expect(wrong.added.join('\n')).toContain('return sum(valeurs) / len(valeurs)');
    expect(wrong.text).not.toContain('moyenne([5])'); // the hidden check never runs for learners

    const tooSoon = await check();
    expect(tooSoon.outcome).toBe('error');
    expect(tooSoon.text).toMatch(/check again in \d+ s/);

    await typeAnswer('def moyenne(valeurs):\n    return sum(valeurs) / len(valeurs)\n\nmoyenne(mesures)');
    await page.waitForTimeout(interval * 1000);
    const right = await check();
    expect(right.text).toContain('1 of 1 question right');
    expect(right.added).toEqual([]);
  }, 400_000);
});
