import { describe, expect, it } from 'vitest';
import { anchorOf, renderHtml, renderReviewDiff } from '../../src/grading/index.ts';
import { sections, tags, textOf } from './html-scan.ts';
import { code, diffCells, md, png1, png2, submission, template } from './review-fixtures.ts';

const { diff, left, right } = diffCells(template, submission);
const render = (o: Partial<Parameters<typeof renderReviewDiff>[2]> = {}) =>
  renderReviewDiff(diff, { left, right }, { names: ['Template', 'Submission'], ...o });
const html = render();
const byAnchor = (h: string, anchor: string) => sections(h).find((s) => s.attrs['data-anchor'] === anchor)!;
/** The (side, line number, text) of each source line in a section. */
const lines = (h: string) =>
  [...h.matchAll(/<td class="code"[^>]*data-side="(\w+)" data-line="(\d+)">(.*?)<\/td>/g)].map((m) => ({
    side: m[1],
    n: Number(m[2]),
    text: textOf(m[3]!),
  }));

describe('the review fragment', () => {
  it('has one section per block with its anchor and op, and no page around it', () => {
    expect(html).not.toMatch(/<(html|head|body)\b/);
    expect(sections(html).map((s) => [s.attrs['data-anchor'], s.attrs['data-op']])).toEqual(
      diff.blocks.map((b) => [anchorOf(b), b.op]),
    );
    expect(sections(html).every((s) => /^cell\b/.test(s.attrs.class!))).toBe(true);
  });

  it('anchors a block by its id, else by its right index, else by its left index', () => {
    expect(anchorOf({ op: 'modified', kind: 'code', key: 'q1', left: 1, right: 2 })).toBe('q1');
    expect(anchorOf({ op: 'added', kind: 'code', right: 4 })).toBe('#4');
    expect(anchorOf({ op: 'removed', kind: 'code', left: 3 })).toBe('-3');
    const idless = diffCells(
      [code(undefined, 'a = 1'), code(undefined, 'gone()')],
      [code(undefined, 'a = 1')],
    );
    const h = renderReviewDiff(idless.diff, idless, { names: ['a', 'b'], foldUnchanged: false });
    expect(sections(h).map((s) => s.attrs['data-anchor'])).toEqual(['#0', '-1']);
  });

  it('numbers every line on both sides, blank lines included, and marks the changed words', () => {
    const q1 = byAnchor(html, 'q1').html;
    expect(lines(q1)).toEqual([
      { side: 'left', n: 1, text: 'def f(x):' },
      { side: 'right', n: 1, text: 'def f(x):' },
      { side: 'left', n: 2, text: '' },
      { side: 'right', n: 2, text: '' },
      { side: 'left', n: 3, text: '    return x' },
      { side: 'right', n: 3, text: '    return x * 2no newline at end' },
    ]);
    expect([...q1.matchAll(/<td class="ln">(\d+)<\/td>/g)].map((m) => m[1])).toEqual([
      '1',
      '1',
      '2',
      '2',
      '3',
      '3',
    ]);
    expect([...q1.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1])).toEqual([' * 2']);
  });

  it('shows a line that differs only by its final newline as one line, marked on the side without it', () => {
    const d = diffCells([code('a', 'x = 1\ny = 2')], [code('a', 'x = 1\ny = 2\n')]);
    const h = renderReviewDiff(d.diff, d, { names: ['a', 'b'] });
    const cell = byAnchor(h, 'a').html;
    expect(cell).not.toMatch(/<tr class="(del|ins|chg)"/);
    expect(lines(cell).filter((l) => l.n === 2)).toEqual([
      { side: 'left', n: 2, text: 'y = 2no newline at end' },
      { side: 'right', n: 2, text: 'y = 2' },
    ]);
    expect(cell.match(/class="noeol"/g)).toHaveLength(1);
  });

  it('does the same in the CLI’s HTML page', () => {
    const d = diffCells([code('a', 'x = 1\n\ny = 2')], [code('a', 'x = 1\n\ny = 2\n')]);
    const page = renderHtml(d.diff, { ...d, names: ['a', 'b'] });
    expect(page).not.toMatch(/<tr class="(del|ins|chg)"/);
    expect(page).toContain('<td class="ln">2</td><td class="code" data-side="left" data-line="2"></td>');
    expect(page).toContain('y = 2<span class="noeol">no newline at end</span>');
    expect(page).toContain('td.code:empty::after{content:"\\200b"}');
  });

  it('folds runs of unchanged cells behind "N unchanged cells", and can leave them open', () => {
    const folds = [
      ...html.matchAll(/<div class="fold" data-count="(\d+)"><button type="button" class="unfold">([^<]*)</g),
    ];
    expect(folds.map((m) => [m[1], m[2]])).toEqual([
      ['1', '1 unchanged cell'],
      ['4', '4 unchanged cells'],
      ['1', '1 unchanged cell'],
    ]);
    expect(html).toContain(
      '<div class="fold-body" hidden><section class="cell op-unchanged kind-code" data-anchor="obj"',
    );
    expect(html).toMatch(/class="next-change"/);
    const open = render({ foldUnchanged: false });
    expect(open).not.toContain('class="fold"');
    expect(sections(open)).toHaveLength(diff.blocks.length);
  });

  it('says where a moved cell came from, and shows cell kinds and execution counts', () => {
    expect(textOf(byAnchor(html, 'mv').html)).toContain('moved from cell 8');
    expect(byAnchor(html, 'mv').attrs['data-op']).toBe('moved');
    const q1 = byAnchor(html, 'q1').html;
    expect(q1).toContain('<span class="kind">code</span>');
    expect([...q1.matchAll(/<span class="prompt">\[([^\]]*)\]<\/span>/g)].map((m) => m[1])).toEqual([
      '&nbsp;',
      '5',
    ]);
    expect(textOf(byAnchor(html, 'obj').html)).toContain('[3][7]');
    expect(byAnchor(html, 'intro').html).toContain('<span class="kind">Markdown</span>');
    expect(byAnchor(html, 'gone').attrs['data-op']).toBe('removed');
    expect(byAnchor(html, 'new').attrs['data-op']).toBe('added');
  });

  it('renders Markdown, and shows images and marks each output unchanged, changed, added or removed', () => {
    expect(byAnchor(html, 'intro').html).toContain('<h1>Lab 1</h1>');
    expect(byAnchor(html, 'notes').html).toContain('<em>notes</em>');
    const plot = byAnchor(html, 'plot').html;
    const outputs = [...plot.matchAll(/data-output-op="(\w+)" data-output-kind="([^"]+)"/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(outputs).toEqual([
      ['removed', 'stream:stdout'],
      ['modified', 'data:image/png,text/plain'],
      ['added', 'stream:stdout'],
    ]);
    expect(textOf(plot)).toMatch(/output removed.*output changed.*output added/s);
    const images = tags(plot)
      .filter((t) => t.name === 'img')
      .map((t) => t.attrs.src);
    expect(images).toEqual([`data:image/png;base64,${png1}`, `data:image/png;base64,${png2}`]);
  });

  it('counts an output that differs only by an object address as unchanged, and says why', () => {
    const obj = byAnchor(html, 'obj');
    expect(obj.attrs['data-op']).toBe('unchanged');
    expect(obj.html).toContain('data-output-op="unchanged"');
    expect(textOf(obj.html)).toContain('differs only in memory addresses');
    expect(textOf(obj.html)).toContain('<__main__.Foo object at 0x7f3b2c1d>');
  });

  it('shows a text output change as a line diff', () => {
    const d = diffCells(
      [code('a', 'run()', [{ output_type: 'stream', name: 'stdout', text: 'total 41\nok\n' }])],
      [code('a', 'run()', [{ output_type: 'stream', name: 'stdout', text: 'total 42\nok\n' }])],
    );
    const cell = byAnchor(renderReviewDiff(d.diff, d, { names: ['a', 'b'] }), 'a').html;
    expect(cell).toContain('data-output-op="modified"');
    expect(cell).toMatch(
      /<div class="out-diff"><table class="src"><tr class="chg">.*<mark>41<\/mark>.*<mark>42<\/mark>/,
    );
    expect(cell.match(/data-line=/g)).toHaveLength(2); // the source line only: outputs are not anchors
  });

  it('puts each annotation beside its block, and never folds an annotated block away', () => {
    const annotations = new Map([
      ['q1', '<p class="result">2 / 2</p>'],
      ['c5', '<p class="comment">Why 5?</p>'],
    ]);
    const h = render({ annotations });
    expect(h).toMatch(/^<div class="review-diff has-annotations"/);
    expect(byAnchor(h, 'q1').html).toMatch(
      /<\/div><aside class="annotation"><p class="result">2 \/ 2<\/p><\/aside><\/section>$/,
    );
    expect(byAnchor(h, 'c5').html).toContain(
      '<aside class="annotation"><p class="comment">Why 5?</p></aside>',
    );
    // obj, notes | c5 (annotated, shown) | c6 — and tail, folded alone.
    expect([...h.matchAll(/<div class="fold" data-count="(\d+)"/g)].map((m) => m[1])).toEqual([
      '1',
      '2',
      '1',
      '1',
    ]);
    expect(h.match(/<aside/g)).toHaveLength(2);
  });

  it('speaks French when asked', () => {
    const fr = render({ locale: 'fr' });
    expect(fr).toContain('lang="fr"');
    expect(textOf(byAnchor(fr, 'mv').html)).toContain('déplacée depuis la cellule 8');
    expect(fr).toContain('4 cellules inchangées');
    expect(fr).toContain('Modification suivante');
    expect(textOf(byAnchor(fr, 'q1').html)).toContain('pas de saut de ligne à la fin');
  });

  it('escapes the column titles and says when a cell is empty', () => {
    const d = diffCells([md('m', 'x')], [md('m', 'x'), code('e', '')]);
    const h = renderReviewDiff(d.diff, d, { names: ['<b>T</b>', 'S & co'] });
    expect(h).toContain('<div>&lt;b&gt;T&lt;/b&gt;</div><div>S &amp; co</div>');
    expect(byAnchor(h, 'e').html).toContain('<p class="empty">empty</p>');
  });
});
