import { describe, expect, it } from 'vitest';
import { renderHtml, renderReviewDiff } from '../../src/grading/index.ts';
import { liveParts, tags, textOf } from './html-scan.ts';
import { code, diffCells, display, md, png1, stream } from './review-fixtures.ts';

// Learner content is hostile: everything below tries to run code in a grader's browser.
const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)"><circle r="4"/></a></svg>';
const markdown = [
  'Answer <script>alert("md")</script>',
  '[link](javascript:alert(1)) [spaced](  JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)',
  '<img src=x onerror="alert(1)"> <img src="javascript:alert(1)"> ![img](javascript:alert(1))',
  '<a href="javascript:alert(1)">a</a> <iframe src="javascript:alert(1)"></iframe> <svg onload=alert(1)></svg>',
  '<style>body{display:none}</style> <form action="javascript:alert(1)"><button>go</button></form>',
  '<div onclick="alert(1)" style="position:fixed">x</div> <object data="x.swf"></object> <math><mi>x</mi></math>',
  `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`,
].join('\n\n');
const outputs = [
  display({
    'text/html': `<b>bold</b><script>alert("html")</script><iframe srcdoc="<script>alert(1)</script>"></iframe><div onclick="x()">click</div><a href="javascript:alert(1)">a</a><img src=x onerror=alert(1)>${svg}`,
  }),
  display({ 'image/svg+xml': svg }),
  display({ 'application/javascript': 'alert("js")' }),
  display({ 'text/markdown': '[x](javascript:alert(1)) <script>alert(1)</script>' }),
  display({ 'text/plain': '<script>alert("plain")</script>' }),
  display({ 'image/png': '" onerror="alert(1)' }),
  display({ 'image/png': png1 }),
  stream('<img src=x onerror=alert("stream")>\n'),
  { output_type: 'error', ename: '<script>', evalue: '<img src=x onerror=alert(1)>', traceback: [] },
];
const source = '"></td><script>alert("src")</script><img src=x onerror=alert(1)>\n<!-- -->]]>';
const hostileId = '"><script>alert("id")</script>';
const template = [md('m', 'Answer here.'), code('c', 'show()'), code(hostileId, 'x')];
const learner = [
  md('m', markdown),
  code('c', `show()\n${source}`, outputs, 4),
  code(hostileId, source),
  md(undefined, markdown),
  code(undefined, source, outputs),
];
const { diff, left, right } = diffCells(template, learner);
const names: [string, string] = ['<script>alert("name")</script>', 'javascript:alert(1)'];
const annotations = new Map([['c', '<p>ok</p>']]);

const pages = {
  'review, folded': renderReviewDiff(diff, { left, right }, { names }),
  'review, open, French, annotated': renderReviewDiff(
    diff,
    { left, right },
    { names, foldUnchanged: false, locale: 'fr', annotations },
  ),
  // The same pair reversed: hostile content on the left side too (removed cells and outputs).
  'review, reversed': renderReviewDiff(
    diffCells(learner, template).diff,
    { left: right, right: left },
    { names },
  ),
  'CLI page': renderHtml(diff, { left, right, names }),
};

describe('hostile notebook content in the review fragment and the HTML page', () => {
  for (const [what, html] of Object.entries(pages))
    it(`${what}: nothing can run (no script, handler, javascript: or non-image data: URL)`, () => {
      // The CLI page is a whole page: its own charset, CSP and styles are the only such tags.
      expect(liveParts(html)).toEqual(what === 'CLI page' ? ['<meta>', '<meta>', '<style>'] : []);
      expect(html).not.toMatch(/<script/i);
      if (what !== 'CLI page')
        // the hostile id survives as an attribute value, escaped
        expect(tags(html).some((t) => t.name === 'section' && t.attrs['data-anchor'] === hostileId)).toBe(
          true,
        );
    });

  it('still shows the learner what they wrote, as text', () => {
    const text = textOf(pages['review, folded']);
    expect(text).toContain('"></td><script>alert("src")</script><img src=x onerror=alert(1)>');
    expect(text).toContain('<script>alert("plain")</script>');
    expect(text).toContain('<img src=x onerror=alert("stream")>');
    expect(text).toContain('<script>: <img src=x onerror=alert(1)>');
    expect(text).toContain('<script>alert("name")</script>');
    expect(pages['review, folded']).toContain('<b>bold</b>');
  });

  it('shows SVG only as an image, never as inline markup', () => {
    const imgs = tags(pages['review, folded']).filter((t) => t.name === 'img');
    expect(imgs.some((t) => t.attrs.src!.startsWith('data:image/svg+xml;base64,'))).toBe(true);
    expect(imgs.some((t) => t.attrs.src === `data:image/png;base64,${png1}`)).toBe(true);
    expect(imgs.every((t) => t.attrs.src!.startsWith('data:image/'))).toBe(true);
  });
});
