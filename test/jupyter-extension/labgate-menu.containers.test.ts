import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, readInWorkspace, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { launchIntoLab, teacherFixesTheStatement, type LabPage } from './lab-page.ts';

const screens = path.resolve(import.meta.dirname, '../../.scratch/screens');
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
const workspaces: string[] = [];

const forgeFile = (name: string) => readFileSync(path.join(demo.dataDir, 'gitlab-lite', name), 'utf8').trim();
const teacherPushes = (title: string) =>
  teacherFixesTheStatement(`http://127.0.0.1:${forgeFile('port')}`, forgeFile('root-token'), title);

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
  await removeWorkspaces(workspaces);
});

async function launch(o: Parameters<typeof launchIntoLab>[2]) {
  const lab = await launchIntoLab(browser, demo.url, o);
  workspaces.push(lab.workspaceId);
  await lab.openNotebook();
  return lab;
}

/** Holds for `ms`: checked every 250 ms, as a learner glancing at the tab would see it. */
async function staysFalse(check: () => Promise<boolean>, ms: number) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250)))
    expect(await check()).toBe(false);
}

describe('JupyterLab for a learner whose LMS speaks English (in a French browser)', () => {
  let lab: LabPage;

  it('opens the notebook clean: its kernel starting does not mark it unsaved', async () => {
    lab = await launch({ userId: 'grace', name: 'Grace Hopper', locale: 'en', browserLocale: 'fr-FR' });
    // Before this fix the tab turned dirty about 3 s after the kernel went idle.
    await staysFalse(() => lab.notebookDirty(), 6_000);
    // The file keeps the teacher's metadata: nothing was written behind the learner's back.
    const onDisk = JSON.parse(await readInWorkspace(lab.workspaceId, 'exercice.ipynb')) as {
      metadata: { kernelspec: { display_name: string } };
    };
    expect(onDisk.metadata.kernelspec.display_name).toBe('Python 3');
    await expect.poll(() => lab.page.locator('[data-git-action=status]').innerText()).toBe('Status');
  }, 400_000);

  it('has a labgate menu with the git commands, Reset my environment… and Sign out', async () => {
    expect(await lab.openMenu('labgate')).toEqual([
      'Status',
      'Commit & push',
      'Pull',
      'Open in GitLab',
      'Check my answer',
      'Reset my environment…',
      'Sign out',
    ]);
    mkdirSync(screens, { recursive: true });
    await lab.page.screenshot({ path: path.join(screens, 'jupyterlab-menu.png') });
    await lab.page.keyboard.press('Escape');
    // The command palette has them too.
    await lab.page.keyboard.press('Control+Shift+C');
    await lab.page.keyboard.insertText('Reset my');
    await expect
      .poll(() => lab.page.locator('.lm-CommandPalette-item').allInnerTexts())
      .toEqual([expect.stringContaining('Reset my environment…')]);
    await lab.page.keyboard.press('Escape');
  }, 60_000);

  it('counts an open notebook with unsaved changes in Status', async () => {
    // For the next test; before Status, which refreshes labgate's copy of the template (at most every 5 s).
    await teacherPushes('Exercice 1 (corrigé)');
    await lab.typeInCell(3, 'def moyenne(valeurs):\n    return sum(valeurs) / len(valeurs)');
    expect(await lab.notebookDirty()).toBe(true);
    const status = await lab.git('status');
    expect(status.text).toContain('1 open notebook has unsaved changes: it is saved with Commit & push.');
    expect(status.text).toContain('exercice.ipynb');
    expect(status.text).not.toContain('No changes since your last save');
  }, 120_000);

  it('after a Pull, Status and Commit & push agree on what is not in GitLab yet', async () => {
    expect((await lab.git('pull')).outcome).toBe('success');
    const status = await lab.git('status');
    const waiting = /(\d+) saves? (?:is|are) not in GitLab yet/.exec(status.text);
    expect(waiting, status.text).not.toBeNull();
    expect(status.text).toContain('Last save: “Updates from your teacher”');

    const commit = await lab.git('commit');
    expect(commit.outcome).toBe('success');
    expect(commit.text).not.toContain('Nothing new to save');
    expect(commit.text).toContain(`the ${waiting![1]} saves that were not in GitLab yet are now there`);
    expect((await lab.git('status')).text).toContain('GitLab has all your saved work.');
  }, 300_000);

  it('asks before resetting, saying the files are kept, then goes to labgate’s reset page', async () => {
    await lab.openMenu('labgate');
    await lab.page.locator('#labgate-menu .lm-Menu-item', { hasText: 'Reset my environment…' }).click();
    const confirm = lab.page.locator('[data-labgate-confirm=reset]');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('Your files are kept');
    await lab.page.locator('.jp-Dialog .jp-mod-reject').click();
    await confirm.waitFor({ state: 'detached' });
    expect(lab.page.url()).toContain(`/user/${lab.workspaceId}/lab`);

    await lab.openMenu('labgate');
    await lab.page.locator('#labgate-menu .lm-Menu-item', { hasText: 'Reset my environment…' }).click();
    await lab.page.locator('.jp-Dialog .jp-mod-accept').click();
    await lab.page.waitForURL(`${demo.url}/home/reset`);
  }, 60_000);

  it('signs out through labgate’s page, on labgate’s origin', async () => {
    await lab.openNotebook();
    await lab.openMenu('labgate');
    await lab.page.locator('#labgate-menu .lm-Menu-item', { hasText: 'Sign out' }).click();
    await lab.page.waitForURL(`${demo.url}/sign-out`);
  }, 120_000);
});

describe('JupyterLab for a learner whose LMS speaks French (in an English browser)', () => {
  it('says everything in French, down to the commits labgate makes for them', async () => {
    const lab = await launch({ userId: 'ines', name: 'Inès Dupont', locale: 'fr', browserLocale: 'en-US' });
    await expect.poll(() => lab.page.locator('[data-git-action=status]').innerText()).toBe('État');
    expect(await lab.openMenu('labgate')).toEqual([
      'État',
      'Enregistrer (commit & push)',
      'Récupérer (pull)',
      'Ouvrir dans GitLab',
      'Vérifier mes réponses',
      'Réinitialiser mon environnement…',
      'Se déconnecter',
    ]);
    await lab.page.locator('#labgate-menu .lm-Menu-item', { hasText: 'Réinitialiser' }).click();
    expect(await lab.page.locator('[data-labgate-confirm=reset]').innerText()).toContain(
      'Vos fichiers sont conservés',
    );
    await lab.page.locator('.jp-Dialog .jp-mod-reject').click();

    // Before Status, which refreshes labgate's copy of the template (at most every 5 s).
    await teacherPushes('Exercice 1 (v3)');
    await lab.typeInCell(3, 'reponse = 42');
    expect((await lab.git('status')).text).toContain(
      '1 notebook ouvert a des modifications non enregistrées',
    );
    expect((await lab.git('pull')).text).toContain('La mise à jour de votre enseignant·e a été fusionnée');
    expect((await lab.git('status')).text).toContain(
      'Dernier enregistrement : « Mises à jour de l’enseignant·e »',
    );
  }, 400_000);
});
