import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, readInWorkspace, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';

const exec = promisify(execFile);
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let page: Page;
let workspaceId = '';
let forgeUrl = '';
let forkPath = '';

const rootToken = () => readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'root-token'), 'utf8').trim();
const forgeApi = async <T>(route: string) =>
  (await (
    await fetch(`${forgeUrl}/api/v4${route}`, { headers: { 'private-token': rootToken() } })
  ).json()) as T;

beforeAll(async () => {
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('labImage'),
    DOCKER_SOCKET: podmanSocket,
    WORKSPACE_ENTRY: 'lab',
    WORKSPACE_MEMORY_MB: '1024',
  });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (workspaceId) await removeWorkspaces([workspaceId]);
});

const cell = (i: number) => page.locator('.jp-Notebook .jp-Cell').nth(i);

/** Replaces a code cell's text as a learner typing would, without saving. */
async function typeInCell(i: number, text: string) {
  await cell(i).locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** Clicks a git button and returns the result dialog's outcome and text, closing it. */
async function clickGit(action: 'commit' | 'pull' | 'status') {
  await page.locator(`[data-git-action=${action}] button`).click();
  if (action === 'commit') {
    await page.locator('.jp-Dialog input').waitFor();
    await page.keyboard.press('Enter');
  }
  const result = page.locator(`[data-git-result=${action}]`);
  await result.waitFor({ timeout: 60_000 });
  const outcome = {
    outcome: await result.getAttribute('data-git-outcome'),
    text: await result.textContent(),
  };
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await result.waitFor({ state: 'detached' });
  return outcome;
}

const notebookOnDisk = async () =>
  JSON.parse(await readInWorkspace(workspaceId, 'exercice.ipynb')) as {
    cells: Array<{ source: string | string[] }>;
  };
const sourceOf = (c: { source: string | string[] }) =>
  Array.isArray(c.source) ? c.source.join('') : c.source;

describe('the git buttons in a real JupyterLab, in a real container', () => {
  it('commits and pushes the learner’s edit to their fork, authored as them', async () => {
    page = await browser.newPage();
    await page.goto(`${demo.url}/simulator/launch?role=learner&locale=en&userId=ada&name=Ada%20Lovelace`);
    // The learner lands in the exercise's notebook, already open.
    await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab\/tree\/exercice\.ipynb/, { timeout: 180_000 });
    workspaceId = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
    await page.locator('[data-git-action=commit]').waitFor({ timeout: 60_000 });
    await cell(3).locator('.cm-content').waitFor();
    await typeInCell(3, 'def moyenne(valeurs):\n    return sum(valeurs) / len(valeurs)\n\nmoyenne(mesures)');

    const commit = await clickGit('commit');
    expect(commit.outcome).toBe('success');

    const open = await page.evaluate(async (id) => {
      const r = await fetch(`/user/${id}/git-api/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: 'exercice.ipynb' }),
      });
      return (await r.json()) as { url: string };
    }, workspaceId);
    // Open in GitLab goes through labgate's /forge/open?to=<forge page> (signed in as the learner).
    const url = new URL(open.url);
    forgeUrl = `http://127.0.0.1:${readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'port'), 'utf8').trim()}`;
    forkPath = (url.searchParams.get('to') ?? url.pathname).split('/-/')[0]!.slice(1);
    const [last] = await forgeApi<Array<{ author_name: string; title: string }>>(
      `/projects/${encodeURIComponent(forkPath)}/repository/commits?ref_name=main`,
    );
    expect(last).toMatchObject({ author_name: 'Ada Lovelace', title: 'Work saved from JupyterLab' });
    const raw = await fetch(
      `${forgeUrl}/api/v4/projects/${encodeURIComponent(forkPath)}/repository/files/exercice.ipynb/raw?ref=main`,
      { headers: { 'private-token': rootToken() } },
    );
    expect(await raw.text()).toContain('return sum(valeurs) / len(valeurs)');
  }, 300_000);

  it('brings the teacher’s fix into the open notebook, keeping the learner’s unsaved edit in another cell', async () => {
    // The teacher fixes the statement in the template and pushes.
    const work = mkdtempSync(path.join(tmpdir(), 'teacher-'));
    try {
      const remote = new URL(`${forgeUrl}/teachers/demo-exercise.git`);
      remote.username = 'root';
      remote.password = rootToken();
      await exec('git', ['clone', '-q', remote.href, work]);
      const file = path.join(work, 'exercice.ipynb');
      const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ source: string[] | string }> };
      nb.cells[0]!.source = [
        '# Exercice 1 — premiers pas (corrigé)\n',
        '\n',
        'Calculez la moyenne d’une liste.',
      ];
      writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
      const who = ['-c', 'user.name=Teacher', '-c', 'user.email=teacher@x.invalid'];
      await exec('git', ['-C', work, ...who, 'commit', '-q', '-am', 'Fix the statement']);
      await exec('git', ['-C', work, 'push', '-q', 'origin', 'HEAD:main']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }

    await typeInCell(1, 'mesures = [12.1, 11.8, 12.4, 12.0, 13.5]');
    const pull = await clickGit('pull');
    expect(pull.outcome).toBe('success');

    // In the open notebook: the teacher's fix and the learner's edit, and the earlier answer.
    await expect.poll(async () => cell(0).textContent()).toContain('(corrigé)');
    expect(await cell(1).textContent()).toContain('13.5');
    expect(await cell(3).textContent()).toContain('return sum(valeurs)');
    // On disk: the same, in a notebook Jupyter reads.
    const sources = (await notebookOnDisk()).cells.map(sourceOf);
    expect(sources[0]).toContain('(corrigé)');
    expect(sources[1]).toContain('13.5');
    expect(sources[3]).toContain('return sum(valeurs)');
  }, 300_000);
});
