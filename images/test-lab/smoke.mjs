/* global process, console, setTimeout, fetch, URL, document */
// End-to-end check of the lab test image, run the way labgate runs a workspace: a container with the
// learner's repository mounted, JupyterLab opened in Debian's chromium through playwright-core.
//   node images/test-lab/smoke.mjs [image]      (default: the image scripts/build-lab-image.sh prints)
// Checks: JupyterLab loads with no console error but the known harmless 404s, the notebook opens, its
// toolbar has the four git buttons, a cell runs, each button POSTs to <base>/git-api/<op> (404 here: the
// API is labgate's, not Jupyter's) and says so readably; then, with the API answered by page.route,
// the success messages, save-before-commit, revert-after-pull, the popup of "Open in GitLab", French.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const token = 'smoke-token';
const baseUrl = '/user/abc/';
const notebookName = 'exercise.ipynb';
// 404s expected here: the favicon, and labgate's own API (api/me and api/events are answered by the image).
const harmless404 = [/\/favicon\.ico/, /\/git-api\//];

const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function check(condition, message) {
  if (!condition) throw new Error(`FAILED: ${message}`);
  log(`ok: ${message}`);
}

function notebook(cells) {
  return `${JSON.stringify(
    {
      cells,
      metadata: {
        kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
        language_info: { name: 'python' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;
}

const exerciseCells = [
  { cell_type: 'markdown', id: 'intro', metadata: {}, source: ['# Exercise 1\n', 'Compute the answer.'] },
  {
    cell_type: 'code',
    id: 'answer',
    execution_count: null,
    metadata: {},
    outputs: [],
    source: ['answer = 6 * 7\n', 'print(answer)'],
  },
];

function createWorkspace() {
  const dir = mkdtempSync('/var/tmp/labgate-lab-smoke-');
  writeFileSync(path.join(dir, notebookName), notebook(exerciseCells));
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=Teacher', '-c', 'user.email=teacher@example.org', 'commit', '-qm', 'Exercise');
  // The container runs as learner (uid 1000), who owns the workspace, as on labgate's storage.
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', '1000:1000', dir]);
  return dir;
}

function startContainer(image, workspace) {
  const id = execFileSync(
    'podman',
    [
      'run',
      '-d',
      '-p',
      '127.0.0.1::8888',
      '-e',
      `JUPYTER_TOKEN=${token}`,
      '-v',
      `${workspace}:/home/learner/work`,
      image,
      'python3',
      '-m',
      'jupyter_server',
      '--ServerApp.ip=0.0.0.0',
      '--ServerApp.port=8888',
      `--ServerApp.base_url=${baseUrl}`,
      '--ServerApp.root_dir=/home/learner/work',
      '--ServerApp.open_browser=False',
      '--ServerApp.allow_remote_access=True',
    ],
    { encoding: 'utf8' },
  ).trim();
  const port = execFileSync('podman', ['port', id, '8888/tcp'], { encoding: 'utf8' }).trim().split(':').pop();
  return { id, origin: `http://127.0.0.1:${port}` };
}

async function waitForServer(origin) {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const response = await fetch(`${origin}${baseUrl}api/status?token=${token}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('FAILED: the Jupyter server did not answer within 30 s');
}

function watchConsole(page, errors) {
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = `${message.text()} ${message.location().url ?? ''}`;
    if (/\b404\b/.test(where) && harmless404.some((pattern) => pattern.test(where))) return;
    errors.push(where);
  });
}

async function openNotebook(browser, origin, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(`${origin}${baseUrl}lab/tree/${notebookName}?token=${token}`);
  await page.waitForSelector('.jp-NotebookPanel-toolbar [data-git-action="commit"] button', {
    timeout: 60_000,
  });
  await waitForKernelIdle(page);
  return { context, page, errors };
}

// The execution indicator already says "idle" while the toolbar still reads "No Kernel" (before the
// session exists); a cell run then is silently dropped. Wait for a named kernel that is idle.
async function waitForKernelIdle(page) {
  await page.waitForFunction(
    () => {
      const indicator = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
      const kernelName =
        document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName')?.textContent ?? '';
      return (
        indicator?.getAttribute('data-status') === 'idle' && kernelName !== '' && kernelName !== 'No Kernel'
      );
    },
    undefined,
    { timeout: 60_000 },
  );
}

async function closeDialog(page) {
  await page.click('.jp-Dialog .jp-mod-accept');
  await page.waitForSelector('.jp-Dialog', { state: 'detached' });
}

/** Clicks a git button and returns the request it sent and the result body the dialog shows. */
async function clickGitButton(page, operation, { acceptPrompt = false } = {}) {
  // ServerConnection appends a cache-busting query (?<timestamp>): compare paths only.
  const requestSeen = page.waitForRequest(
    (request) => new URL(request.url()).pathname === `${baseUrl}git-api/${operation}`,
  );
  await page.click(`[data-git-action="${operation}"] button`);
  if (acceptPrompt) {
    await page.waitForSelector('.jp-Dialog input');
    await page.keyboard.press('Enter');
  }
  const request = await requestSeen;
  const result = await page.waitForSelector(`.jp-Dialog [data-git-result="${operation}"]`);
  return { request, result };
}

async function checkGitButtonsAgainstJupyter(page) {
  for (const operation of ['status', 'commit', 'pull', 'open']) {
    const { request, result } = await clickGitButton(page, operation, {
      acceptPrompt: operation === 'commit',
    });
    check(request.method() === 'POST', `${operation}: POST ${new URL(request.url()).pathname}`);
    check(
      Boolean(request.headers()['x-xsrftoken']),
      `${operation}: the request carries Jupyter's XSRF header`,
    );
    const outcome = await result.getAttribute('data-git-outcome');
    const text = await result.innerText();
    check(
      outcome === 'error' && text.includes('HTTP 404'),
      `${operation}: the 404 is shown readably: "${text}"`,
    );
    const disabled = await page.$$eval('[data-git-action] button', (buttons) =>
      buttons.map((b) => b.disabled),
    );
    check(
      disabled.length === 5 && disabled.every(Boolean),
      `${operation}: all five buttons are disabled while it runs`,
    );
    await closeDialog(page);
    // React re-renders the buttons a tick after the operation ends.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-git-action] jp-button')].every((button) => !button.disabled),
    );
    check(true, `${operation}: buttons enabled again after the error`);
  }
}

function answerGitApi(page, handlers) {
  return page.route(`**${baseUrl}git-api/*`, async (route) => {
    const operation = new URL(route.request().url()).pathname.split('/').pop();
    const body = await handlers[operation](JSON.parse(route.request().postData() ?? '{}'));
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
}

async function checkSuccessPaths(page, workspace) {
  const notebookPath = path.join(workspace, notebookName);
  await answerGitApi(page, {
    status: () => ({
      branch: 'main',
      ahead: 1,
      behind: 0,
      teacherUpdates: 2,
      changed: [{ path: notebookName, state: 'modified' }],
      lastCommit: { sha: '0123456789abcdef', message: 'Exercise', date: '2026-01-15T10:00:00Z' },
    }),
    commit: () => ({
      committed: true,
      sha: 'abc1234def',
      pushed: true,
      files: [notebookName],
      pulledFirst: false,
    }),
    pull: () => {
      // What labgate's merge does on the mounted workspace: the teacher's cell lands in the file.
      const teacherCell = {
        cell_type: 'markdown',
        id: 'note',
        metadata: {},
        source: ["Teacher's note: use integers."],
      };
      const current = JSON.parse(readFileSync(notebookPath, 'utf8'));
      writeFileSync(notebookPath, notebook([teacherCell, ...current.cells]));
      return {
        changed: [notebookName],
        renamed: [],
        restored: [],
        keptAside: [],
        teacherCommits: 1,
        upToDate: false,
      };
    },
    open: (body) => ({ url: `http://127.0.0.1:9/gitlab/${body.path}` }),
  });

  const status = await clickGitButton(page, 'status');
  const statusText = await status.result.innerText();
  check(/Branch: main/.test(statusText) && /2 updates/.test(statusText), `status summary: "${statusText}"`);
  await closeDialog(page);

  // Unsaved edit: Commit & push must save it before asking labgate to commit.
  await page.click('.jp-CodeCell .cm-content');
  await page.waitForSelector('.jp-CodeCell.jp-mod-active .cm-editor.cm-focused');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n# my own comment');
  const requests = [];
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  const commit = await clickGitButton(page, 'commit', { acceptPrompt: true });
  const commitText = await commit.result.innerText();
  check(
    commitText.includes('Your work is saved in GitLab (commit abc1234).'),
    `commit summary: "${commitText}"`,
  );
  check(
    JSON.parse(commit.request.postData()).message === 'Work saved from JupyterLab',
    'commit: Enter accepts the default message',
  );
  const saveIndex = requests.findIndex((line) =>
    line.startsWith(`PUT ${baseUrl}api/contents/${notebookName}`),
  );
  const commitIndex = requests.indexOf(`POST ${baseUrl}git-api/commit`);
  check(
    saveIndex >= 0 && saveIndex < commitIndex,
    'commit: the notebook was saved before the commit request',
  );
  check(readFileSync(notebookPath, 'utf8').includes('# my own comment'), 'commit: the edit is on disk');
  await closeDialog(page);

  const pull = await clickGitButton(page, 'pull');
  const pullText = await pull.result.innerText();
  check(
    /merged with your work/.test(pullText) && pullText.includes(notebookName),
    `pull summary: "${pullText}"`,
  );
  await closeDialog(page);
  const panelText = await page.innerText('.jp-NotebookPanel .jp-Notebook');
  check(
    panelText.includes("Teacher's note") && panelText.includes('# my own comment'),
    "pull: the open notebook was reloaded and shows the teacher's cell and the learner's edit",
  );

  await page
    .context()
    .route('http://127.0.0.1:9/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>GitLab stand-in</title>' }),
    );
  const popup = page.context().waitForEvent('page');
  await page.click('[data-git-action="open"] button');
  const opened = await popup;
  await opened.waitForLoadState();
  check(opened.url().endsWith(`/gitlab/${notebookName}`), `open: a new tab went to ${opened.url()}`);
  await page.waitForSelector('text=GitLab opened in a new tab.');
  check(true, 'open: the learner is told GitLab opened in a new tab');
}

async function checkMenuAndPalette(page) {
  await page.click('.lm-MenuBar-item:has-text("labgate")');
  const items = await page.$$eval('#labgate-menu .lm-Menu-itemLabel', (nodes) =>
    nodes.map((node) => node.textContent).filter(Boolean),
  );
  check(
    items.join(',') ===
      'Status,Commit & push,Pull,Open in GitLab,Check my answer,Reset my environment…,Sign out',
    `labgate menu: ${items.join(', ')}`,
  );
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.type('Commit & push');
  const paletteItem = await page.waitForSelector('.lm-CommandPalette-item:has-text("Commit & push")');
  check(Boolean(paletteItem), 'command palette offers Commit & push');
  await page.keyboard.press('Escape');
}

async function checkNetworkFailure(page) {
  await page.unroute(`**${baseUrl}git-api/*`);
  await page.route(`**${baseUrl}git-api/*`, (route) => route.abort('connectionrefused'));
  const { result } = await clickGitButton(page, 'status');
  const text = await result.innerText();
  check(text.includes('labgate could not be reached'), `network failure said plainly: "${text}"`);
  await closeDialog(page);
}

async function checkFrench(browser, origin) {
  const { context, page } = await openNotebook(browser, origin, 'fr-FR');
  const label = await page.innerText('[data-git-action="status"]');
  check(label.trim() === 'État', `French interface: the Status button reads "${label.trim()}"`);
  const { result } = await clickGitButton(page, 'status');
  const text = await result.innerText();
  check(text.includes('réponse inattendue (HTTP 404)'), `French error: "${text}"`);
  await context.close();
}

async function main() {
  const image =
    process.argv[2] ??
    execFileSync('bash', [path.join(repoRoot, 'scripts/build-lab-image.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  log(`image ${image}`);
  const workspace = createWorkspace();
  const container = startContainer(image, workspace);
  let browser;
  try {
    await waitForServer(container.origin);
    log(`Jupyter server up at ${container.origin}${baseUrl}`);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const { page, errors } = await openNotebook(browser, container.origin, 'en-US');
    check(true, 'JupyterLab loaded and opened the notebook; kernel idle');
    const buttons = await page.$$eval('.jp-NotebookPanel-toolbar [data-git-action]', (nodes) =>
      nodes.map((node) => `${node.dataset.gitAction}:${node.innerText.trim()}`),
    );
    check(
      buttons.join(',') ===
        'status:Status,commit:Commit & push,pull:Pull,open:Open in GitLab,check:Check my answer',
      `toolbar buttons ${buttons.join(', ')}`,
    );
    const menus = await page.$$eval('.lm-MenuBar-itemLabel', (nodes) =>
      nodes.map((node) => node.textContent),
    );
    check(menus.includes('labgate'), `main menu has labgate (${menus.join(', ')})`);
    await checkMenuAndPalette(page);

    // Shift+Enter before the code cell's editor has focus would run the active (markdown) cell instead.
    await page.click('.jp-CodeCell .cm-content');
    await page.waitForSelector('.jp-CodeCell.jp-mod-active .cm-editor.cm-focused');
    await page.keyboard.press('Shift+Enter');
    await page.waitForSelector('.jp-OutputArea-output >> text=42', { timeout: 30_000 });
    check(true, 'a code cell ran and printed 42');

    await checkGitButtonsAgainstJupyter(page);
    await checkSuccessPaths(page, workspace);
    check(
      errors.length === 0,
      `no console errors besides harmless 404s${errors.length ? `: ${errors.join(' | ')}` : ''}`,
    );
    await checkNetworkFailure(page);
    await checkFrench(browser, container.origin);
    await page.screenshot({ path: path.join('/var/tmp', 'labgate-lab-smoke.png') });
    log('PASS (screenshot: /var/tmp/labgate-lab-smoke.png)');
  } finally {
    await browser?.close();
    execFileSync('podman', ['rm', '-f', container.id], { stdio: 'ignore' });
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
