import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../grading.ts';
import { feedbackMarkdown, inertMarkdown, type FeedbackInput } from './feedback-markdown.ts';
import { finalGrade } from './final-grade.ts';
import type { ReviewComment, ReviewScore } from './review-store.ts';

const result: GradeResult = {
  score: 3,
  maxScore: 7,
  durationMs: 1,
  questions: [
    {
      id: 'squares',
      file: 'ex.ipynb',
      score: 2,
      maxScore: 3,
      status: 'partial',
      hint: 'Start the range at 1.',
      checks: [
        { type: 'value', passed: true, points: 2, hidden: false, message: 'squares(4) is right' },
        { type: 'value', passed: false, points: 1, hidden: true, message: 'SECRET-HIDDEN-MESSAGE' },
      ],
    },
    {
      id: 'essay',
      file: 'ex.ipynb',
      score: 0,
      maxScore: 2,
      status: 'manual',
      checks: [
        { type: 'manual', passed: false, points: 0, hidden: false, message: 'To be graded by your teacher' },
      ],
    },
    {
      id: 'mean',
      file: 'ex.ipynb',
      score: 1,
      maxScore: 2,
      status: 'failed',
      checks: [
        { type: 'value', passed: false, points: 1, hidden: false, message: 'mean([]) raised no error' },
        { type: 'test', passed: true, points: 1, hidden: true, message: 'OTHER-HIDDEN-PASS' },
      ],
    },
  ],
};

const score = (questionId: string, o: Partial<ReviewScore>): ReviewScore => ({
  questionId,
  score: undefined,
  rubric: [],
  comment: undefined,
  version: 1,
  gradedBy: 'tom',
  gradedAt: 1,
  ...o,
});

const comment = (o: Partial<ReviewComment>): ReviewComment => ({
  id: 'c',
  file: 'ex.ipynb',
  cell: '',
  line: undefined,
  body: '',
  version: 1,
  authorId: 'tom',
  createdAt: 1,
  updatedAt: 1,
  ...o,
});

const hostile = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold** ![i](http://x/i.png)';
const reviews = [
  score('squares', { score: 3, comment: `Well done.\n# Not a heading\n${hostile}` }),
  score('essay', { rubric: [{ item: 1, points: 1.5 }] }),
  score('', { comment: 'Good work overall <script>alert(1)</script>' }),
];
const comments = [
  comment({ id: 'a', cell: '#3', line: 2, body: 'Off by one here', createdAt: 2 }),
  comment({ id: 'b', cell: 'q2-cell', body: '1. not a list\n> not a quote', createdAt: 3 }),
  comment({ id: 'g', file: '', body: 'See you next week', createdAt: 4 }),
];

const input = (lang: 'fr' | 'en'): FeedbackInput => ({
  lang,
  assignmentTitle: 'Squares & <means>',
  grade: finalGrade(result, reviews),
  result,
  reviews,
  comments,
  questions: new Map([
    ['squares', { title: 'Squares', rubric: [] }],
    ['essay', { title: undefined, rubric: ['Clear variable names', 'Explains *why*'] }],
  ]),
  cellNumbers: new Map([['ex.ipynb\0q2-cell', 6]]),
});

const rendered = (md: string) => new MarkdownIt({ html: true, linkify: true }).render(md);

describe('FEEDBACK.md', () => {
  const en = feedbackMarkdown(input('en'));

  it('gives the total, each question’s final score, and the automatic one a grader overrode', () => {
    expect(en).toContain('# Feedback: Squares \\& \\<means\\>');
    expect(en).toContain('**Total: 5.5 / 7**');
    expect(en).toContain('## Question Squares — 3 / 3');
    expect(en).toContain('Automatic score: 2 / 3, changed by your teacher to 3.');
    expect(en).toContain('## Question essay — 1.5 / 2');
    expect(en).toContain('Automatic score: 0 / 2, plus 1.5 for the rubric items below.');
    expect(en).toContain('- [x] Explains \\*why\\* (+1.5)');
    expect(en).not.toContain('Clear variable names');
  });

  it('lists visible checks with their messages and never a hidden one', () => {
    expect(en).toContain('- ✓ passed: squares(4) is right');
    expect(en).toContain('- ✗ not passed: mean(\\[\\]) raised no error');
    expect(en).not.toContain('SECRET-HIDDEN-MESSAGE');
    expect(en).not.toContain('OTHER-HIDDEN-PASS');
    expect(en.match(/Some hidden checks are not shown here\./g)).toHaveLength(2);
    expect(en).not.toContain('To be graded by your teacher');
    expect(en).toContain('*Hint:* Start the range at 1.');
  });

  it('places comments on cells and lines, and the general comments last', () => {
    expect(en).toContain('- ex.ipynb, cell 4, line 2:');
    expect(en).toContain('  > Off by one here');
    expect(en).toContain('- ex.ipynb, cell 6:');
    expect(en.indexOf('cell 4')).toBeLessThan(en.indexOf('cell 6'));
    const general = en.indexOf('## General comment');
    expect(en.indexOf('Good work overall')).toBeGreaterThan(general);
    expect(en.indexOf('See you next week')).toBeGreaterThan(general);
  });

  it('makes graders’ text inert: no HTML, link, image, heading, list or emphasis renders from it', () => {
    const html = rendered(en);
    expect(html).not.toMatch(/<img|<script|<a |<strong>bold|<h1>Not a heading|<ol>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('[click](javascript:alert(1))');
    expect(html).toContain('# Not a heading');
    expect(html).toContain('1. not a list');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // labgate's own structure still renders.
    expect(html).toContain('<h2>Question Squares — 3 / 3</h2>');
    expect(html).toContain('<blockquote>');
  });

  it('escapes the punctuation Markdown acts on, keeps the rest readable, drops control characters', () => {
    expect(inertMarkdown('a*b_c`d\\e<f>&g|h~i$j:k@l')).toBe(
      'a\\*b\\_c\\`d\\\\e\\<f\\>\\&g\\|h\\~i\\$j\\:k\\@l',
    );
    expect(inertMarkdown('Divide by n, not n + 1 (see mean).')).toBe('Divide by n, not n + 1 (see mean).');
    expect(inertMarkdown('1. first')).toBe('\\1. first');
    expect(inertMarkdown('- item')).toBe('\\- item');
    expect(inertMarkdown('see www.evil.test')).toBe('see www\\.evil.test');
    expect(inertMarkdown('x\u202ey\u0007z')).toBe('xyz');
  });

  it('speaks French, decimals with a comma', () => {
    const fr = feedbackMarkdown(input('fr'));
    expect(fr).toContain('# Retour sur : Squares');
    expect(fr).toContain('**Total : 5,5 / 7**');
    expect(fr).toContain('Note automatique : 2 / 3, changée par votre enseignant·e en 3.');
    expect(fr).toContain('- ex.ipynb, cellule 4, ligne 2 :');
    expect(fr).toContain('## Commentaire général');
    expect(fr).toContain('Certaines vérifications cachées ne sont pas montrées ici.');
    expect(fr).not.toContain('SECRET-HIDDEN-MESSAGE');
  });

  it('numbers rubric items when the spec could not be read, and names an unknown cell inertly', () => {
    const md = feedbackMarkdown({
      ...input('en'),
      questions: undefined,
      cellNumbers: undefined,
      comments: [comment({ cell: '<b>x</b>', body: 'hm' }), comment({ cell: '-0', body: 'why remove it?' })],
    });
    expect(md).toContain('- ex.ipynb, the template’s cell 1 (removed):');
    expect(md).toContain('- [x] item 2 (+1.5)');
    expect(md).toContain('ex.ipynb, cell «\\<b\\>x\\</b\\>»:');
    expect(rendered(md)).not.toContain('<b>');
  });
});
