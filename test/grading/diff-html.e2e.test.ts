import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFiles, renderHtml } from '../../src/grading/index.ts';
import { launchBrowser } from '../support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned=\'svg\'"><script>window.pwned="svg-script"</script><circle r="4"/></svg>';
const hostile = [
  {
    cell_type: 'markdown',
    id: 'md',
    metadata: {},
    source:
      'Answer <script>window.pwned="md"</script> [link](javascript:window.pwned="link") <img src=x onerror="window.pwned=\'img\'">',
  },
  {
    cell_type: 'code',
    id: 'out',
    metadata: {},
    execution_count: 1,
    source: 'show()',
    outputs: [
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          'text/html':
            '<b>bold</b><script>window.pwned="html"</script><iframe src="javascript:parent.pwned=1"></iframe><div onclick="x()">click</div>',
        },
      },
      { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': svg } },
      { output_type: 'display_data', metadata: {}, data: { 'application/javascript': 'window.pwned="js"' } },
    ],
  },
];
const template = [
  { cell_type: 'markdown', id: 'md', metadata: {}, source: 'Answer here.' },
  { cell_type: 'code', id: 'out', metadata: {}, execution_count: null, source: 'show()', outputs: [] },
];
const nb = (cells: unknown[]) =>
  Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));

async function open(html: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(html, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  const pwned = await page.evaluate('window.pwned');
  return { page, pwned, errors };
}

describe('the side-by-side HTML diff in a real browser', () => {
  const { diff, left, right } = diffFiles(
    { name: 'template.ipynb', bytes: nb(template) },
    { name: 'learner.ipynb', bytes: nb(hostile) },
  );
  const html = renderHtml(diff, { left: left!, right: right!, names: ['template.ipynb', 'learner.ipynb'] });

  it('would notice a script that runs (the probe itself works)', async () => {
    const { page, pwned } = await open('<script>window.pwned = "probe"</script>');
    expect(pwned).toBe('probe');
    await page.close();
  });

  it('shows the learner’s content but runs none of its scripts', async () => {
    const { page, pwned } = await open(html);
    expect(pwned).toBeUndefined();
    expect(await page.locator('.out.html b').textContent()).toBe('bold');
    expect(await page.locator('section[data-op="modified"]').count()).toBe(2);
    expect(await page.locator('img[src^="data:image/svg+xml"]').count()).toBe(1);
    await page.close();
  });

  it('is safe by sanitizing alone: without its Content-Security-Policy, still nothing runs', async () => {
    const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutCsp).not.toContain('Content-Security-Policy');
    const { page, pwned } = await open(withoutCsp);
    await page
      .locator('a')
      .first()
      .click({ trial: true })
      .catch(() => {});
    expect(pwned).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('[onclick], [onerror], [onload], iframe').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.close();
  });
});
