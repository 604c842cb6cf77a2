import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';

const exec = promisify(execFile);

/** A learner in JupyterLab through labgate's demo, driven as they would: clicks, menus, dialogs. */
export interface LabPage {
  page: Page;
  workspaceId: string;
  /** Opens the demo notebook and waits for its kernel. */
  openNotebook(): Promise<void>;
  typeInCell(i: number, text: string): Promise<void>;
  /** Runs a git command from the toolbar; returns the result dialog's text, closing it. */
  git(action: 'status' | 'commit' | 'pull'): Promise<{ outcome: string | null; text: string }>;
  /** Opens the labgate menu in the main menu bar; returns its items' labels. */
  openMenu(title: string): Promise<string[]>;
  /** Whether the notebook's tab says it has unsaved changes. */
  notebookDirty(): Promise<boolean>;
}

export async function launchIntoLab(
  browser: Browser,
  demoUrl: string,
  o: { userId: string; name: string; locale: 'fr' | 'en'; browserLocale: string },
): Promise<LabPage> {
  // Wide enough for the toolbar's labelled buttons beside the file browser, which opens with the exercise.
  const context = await browser.newContext({
    locale: o.browserLocale,
    viewport: { width: 1680, height: 900 },
  });
  const page = await context.newPage();
  const query = new URLSearchParams({ role: 'learner', locale: o.locale, userId: o.userId, name: o.name });
  await page.goto(`${demoUrl}/simulator/launch?${query}`);
  await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 240_000 });
  const workspaceId = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
  const cell = (i: number) => page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').nth(i);
  const notebookTab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: 'exercice.ipynb' });
  return {
    page,
    workspaceId,
    async openNotebook() {
      await page.goto(`${demoUrl}/user/${workspaceId}/lab/tree/exercice.ipynb`);
      await page.locator('[data-git-action=commit]').waitFor({ timeout: 60_000 });
      await cell(3).locator('.cm-content').waitFor();
      await page
        .locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
        .first()
        .waitFor({ timeout: 60_000 });
    },
    async typeInCell(i, text) {
      await cell(i).locator('.cm-content').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(text);
    },
    async git(action) {
      await page.locator(`[data-git-action=${action}] button`).click();
      if (action === 'commit') {
        await page.locator('.jp-Dialog input').waitFor();
        await page.keyboard.press('Enter');
      }
      const result = page.locator(`[data-git-result=${action}]`);
      await result.waitFor({ timeout: 90_000 });
      const said = { outcome: await result.getAttribute('data-git-outcome'), text: await result.innerText() };
      await page.locator('.jp-Dialog .jp-mod-accept').click();
      await result.waitFor({ state: 'detached' });
      return said;
    },
    async openMenu(title) {
      await page.locator('.lm-MenuBar-item', { hasText: new RegExp(`^${title}$`) }).click();
      const menu = page.locator('#labgate-menu');
      await menu.waitFor();
      return (await menu.locator('.lm-Menu-itemLabel').allInnerTexts()).filter((label) => label !== '');
    },
    async notebookDirty() {
      return (await notebookTab.getAttribute('class'))?.split(' ').includes('jp-mod-dirty') ?? false;
    },
  };
}

/** The teacher fixes the demo exercise's statement in the template and pushes it. */
export async function teacherFixesTheStatement(forgeUrl: string, rootToken: string, title: string) {
  const work = mkdtempSync(path.join(tmpdir(), 'teacher-'));
  try {
    const remote = new URL(`${forgeUrl}/teachers/demo-exercise.git`);
    remote.username = 'root';
    remote.password = rootToken;
    await exec('git', ['clone', '-q', remote.href, work]);
    const file = path.join(work, 'exercice.ipynb');
    const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ source: string[] | string }> };
    nb.cells[0]!.source = [`# ${title}\n`, '\n', 'Calculez la moyenne d’une liste.'];
    writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
    const who = ['-c', 'user.name=Teacher', '-c', 'user.email=teacher@x.invalid'];
    await exec('git', ['-C', work, ...who, 'commit', '-q', '-am', 'Fix the statement']);
    await exec('git', ['-C', work, 'push', '-q', 'origin', 'HEAD:main']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
