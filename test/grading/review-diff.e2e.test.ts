import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml, renderReviewDiff, reviewDiffCss, reviewDiffScript } from '../../src/grading/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { code, diffCells, display, md, submission, template } from './review-fixtures.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const hostile = [
  md('h1', 'Answer <script>window.pwned="md"</script> <img src=x onerror="window.pwned=\'img\'">'),
  code('h2', '</td><script>window.pwned="src"</script>', [
    display({ 'text/html': '<script>window.pwned="html"</script><img src=x onerror="window.pwned=1">' }),
    display({ 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned=2"/>' }),
  ]),
];
const { diff, left, right } = diffCells(template, [...submission, ...hostile]);
// A page as the review page will be: no CSP here, so only sanitizing stands between learner and grader.
const page = (fragment: string) => `<!doctype html><html><head><meta charset="utf-8">
<style>${reviewDiffCss}</style></head><body><textarea id="comment"></textarea>${fragment}
<div style="height:3000px"></div><script>${reviewDiffScript}</script></body></html>`;

async function open(html: string): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1200, height: 700 } });
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.setContent(html, { waitUntil: 'load' });
  expect(errors).toEqual([]);
  return p;
}
const current = (p: Page) => p.locator('section.cell.current').getAttribute('data-anchor');

describe('the review fragment in a real browser', () => {
  const html = page(renderReviewDiff(diff, { left, right }, { names: ['Template', 'Submission'] }));

  it('runs none of the learner’s scripts', async () => {
    const p = await open(html);
    await p.waitForTimeout(200);
    expect(await p.evaluate('window.pwned')).toBeUndefined();
    await p.close();
  });

  it('hides unchanged runs until asked, then shows them', async () => {
    const p = await open(html);
    await expect(p.locator('section[data-anchor="obj"]').isVisible()).resolves.toBe(false);
    await p.getByRole('button', { name: '4 unchanged cells' }).click();
    await expect(p.locator('section[data-anchor="obj"]').isVisible()).resolves.toBe(true);
    await expect(p.getByRole('button', { name: '4 unchanged cells' }).isVisible()).resolves.toBe(false);
    await expect(p.locator('section[data-anchor="tail"]').isVisible()).resolves.toBe(false);
    await p.getByRole('button', { name: 'Show unchanged cells' }).click();
    await expect(p.locator('section[data-anchor="tail"]').isVisible()).resolves.toBe(true);
    await p.close();
  });

  it('jumps from change to change with n / p, j / k and the button, but not while typing', async () => {
    const p = await open(html);
    const changed = diff.blocks.filter((b) => b.op !== 'unchanged').map((b) => b.key);
    await p.keyboard.press('n');
    expect(await current(p)).toBe(changed[0]);
    await p.keyboard.press('j');
    expect(await current(p)).toBe(changed[1]);
    await p.getByRole('button', { name: 'Next change' }).click();
    expect(await current(p)).toBe(changed[2]);
    await p.keyboard.press('p');
    expect(await current(p)).toBe(changed[1]);
    await p.keyboard.press('k');
    expect(await current(p)).toBe(changed[0]);
    const top = await p.locator('section.cell.current').evaluate((e) => e.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(120);
    await p.locator('#comment').click();
    await p.keyboard.type('nnn');
    expect(await current(p)).toBe(changed[0]);
    expect(await p.locator('#comment').inputValue()).toBe('nnn');
    await p.close();
  });

  it('reveals a folded block by its anchor', async () => {
    const p = await open(html);
    await p.evaluate('window.labgateReviewDiff.reveal("c5")');
    await expect(p.locator('section[data-anchor="c5"]').isVisible()).resolves.toBe(true);
    expect(await current(p)).toBe('c5');
    await p.close();
  });

  it('keeps a blank line as tall as any other, and shows the missing final newline', async () => {
    const p = await open(html);
    const rows = p.locator('section[data-anchor="q1"] table.src tr');
    const heights = await rows.evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
    expect(heights).toHaveLength(3);
    expect(heights[1]).toBeGreaterThan(10);
    expect(Math.abs(heights[1]! - heights[0]!)).toBeLessThan(1);
    const marker = p.locator('section[data-anchor="q1"] td[data-side="right"][data-line="3"] .noeol');
    await expect(marker.isVisible()).resolves.toBe(true);
    await p.close();
  });

  it('keeps blank lines in the CLI’s HTML page too', async () => {
    const p = await open(renderHtml(diff, { left, right, names: ['Template', 'Submission'] }));
    const heights = await p
      .locator('section[data-op="modified"]')
      .first()
      .locator('table.src tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
    expect(heights).toHaveLength(3);
    expect(Math.abs(heights[1]! - heights[0]!)).toBeLessThan(1);
    await p.close();
  });
});
