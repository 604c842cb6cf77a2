import type { FeedbackQuestion, FeedbackView, LearnerFeedback } from '../../flows/index.ts';
import { anchorOf, reviewDiffCss, reviewDiffScript } from '../../grading/index.ts';
import type { Lang } from '../i18n.ts';
import { deskShell } from './desk-shell.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';
import { commitLine, diffSection, filePicker } from './review-sections.ts';
import { reviewWords, utc, type ReviewWords } from './review-words.ts';

type Comment = LearnerFeedback['comments'][number];

const text = (body: string) => html`<p class="said">${body}</p>`;

function commentBlock(c: Comment, t: ReviewWords): SafeHtml {
  return html`<div class="comment" data-line="${c.line ?? ''}">
    <span class="where">${c.line === undefined ? t.cellWide : t.line(c.line)}</span> ${text(c.body)}
  </div>`;
}

/** A question's outcome as its learner sees it: visible checks listed, hidden ones only counted. */
function questionBlock(q: FeedbackQuestion, t: ReviewWords): SafeHtml {
  return html`<div class="panel question" data-question="${q.id}">
    <h3>
      ${t.question} <code>${q.id}</code> ${q.title ?? ''} — <strong>${t.score(q.final, q.max)}</strong>
      <span class="muted">${t.status[q.status] ?? q.status}</span>
    </h3>
    ${
      q.checks.length
        ? html`<ul class="checks">
            ${q.checks.map(
              (c) =>
                html`<li class="${c.passed ? 'passed' : 'failed'}">
                  ${c.passed ? t.passed : t.failed}${c.message ? ` — ${c.message}` : ''}
                </li>`,
            )}
          </ul>`
        : ''
    }
    ${q.hiddenChecks ? html`<p class="muted" data-testid="hidden-count">${t.hiddenChecks(q.hiddenChecks)}</p>` : ''}
    ${q.hint ? html`<p class="muted">${q.hint}</p>` : ''}
    ${
      q.rubric.length
        ? html`<ul class="rubric">
            ${q.rubric.map((r) => html`<li>${r.text} (+${r.points})</li>`)}
          </ul>`
        : ''
    }
    ${q.comment ? html`<div class="comment">${text(q.comment)}</div>` : ''}
  </div>`;
}

/** Every question's score at a glance, each linking to the file it is in. */
function summary(f: LearnerFeedback, t: ReviewWords, link: (file: string) => string): SafeHtml {
  if (!f.questions.length) return html``;
  return html`<table class="grades" data-testid="questions">
    <tr>
      <th>${t.question}</th>
      <th>${t.file}</th>
      <th>${t.final}</th>
      <th></th>
    </tr>
    ${f.questions.map(
      (q) =>
        html`<tr data-question="${q.id}">
          <td><code>${q.id}</code> ${q.title ?? ''}</td>
          <td><a href="${link(q.file)}">${q.file}</a></td>
          <td>${t.score(q.final, q.max)}</td>
          <td class="muted">${t.status[q.status] ?? q.status}</td>
        </tr>`,
    )}
  </table>`;
}

/** Before release: a plain page saying so. */
export function feedbackPendingPage(lang: Lang, title: string): string {
  const t = reviewWords[lang];
  return page({
    title: t.feedbackTitle(title),
    lang,
    body: html`<h1>${t.feedbackTitle(title)}</h1>
      <p data-testid="not-released">${t.notReleased}</p>
      <p class="muted">${t.notReleasedHint}</p>
      <p><a href="/home?stay=1&amp;lang=${lang}">${t.home}</a></p>`,
  });
}

/**
 * The learner's feedback once released: their scores, their teachers' comments (general, per question,
 * on cells and lines), and their submission against the template with those comments beside the cells.
 */
export function feedbackPage(o: {
  lang: Lang;
  nonce: string;
  courseId: string;
  view: Extract<FeedbackView, { released: true }>;
}): string {
  const t = reviewWords[o.lang];
  const v = o.view;
  const f = v.feedback;
  const base = `/feedback/${encodeURIComponent(o.courseId)}/${encodeURIComponent(v.assignment.slug)}`;
  const link = (file: string) => `${base}?${new URLSearchParams({ file, lang: o.lang })}`;
  const here = f.questions.filter((q) => q.file === v.file);
  const byAnchor = new Map<string, SafeHtml[]>();
  const add = (a: string, h: SafeHtml) => byAnchor.set(a, [...(byAnchor.get(a) ?? []), h]);
  for (const q of here) {
    const a = v.anchors.get(q.id);
    if (a) add(a, questionBlock(q, t));
  }
  const anchors = new Set(v.diff?.ok ? v.diff.diff.blocks.map(anchorOf) : []);
  const comments = f.comments.filter((c) => c.file === v.file);
  for (const c of comments) if (anchors.has(c.cell)) add(c.cell, commentBlock(c, t));
  const annotations = new Map([...byAnchor].map(([a, parts]) => [a, html`${parts}`.value]));
  const loose = comments.filter((c) => !anchors.has(c.cell));
  const counts = new Map<string, number>();
  for (const c of f.comments) counts.set(c.file, (counts.get(c.file) ?? 0) + 1);
  const elsewhere = f.questions.filter((q) => q.file !== v.file || !v.anchors.has(q.id));
  const body = html`<nav class="desk">
      <a class="button" href="/home?stay=1&amp;lang=${o.lang}">${t.home}</a>
    </nav>
    <h1>${t.feedbackTitle(f.assignment.title)}</h1>
    ${f.releasedAt ? html`<p class="muted">${t.released(utc(f.releasedAt))}</p>` : ''}
    ${f.commit ? commitLine({ ...f.commit, deadline: undefined, latePush: undefined }, t) : ''}
    <p data-testid="score">
      ${t.yourScore}: <strong data-testid="final-score">${t.score(f.score.final, f.score.max)}</strong>
    </p>
    ${summary(f, t, link)}
    ${
      f.general
        ? html`<section class="general">
            <h2>${t.fromTeachers}</h2>
            ${text(f.general)}
          </section>`
        : ''
    }
    ${elsewhere.map((q) => questionBlock(q, t))}
    ${filePicker({ files: v.files, file: v.file, link, counts, t })} ${loose.map((c) => commentBlock(c, t))}
    ${diffSection({ diff: v.diff, names: [t.names.template, t.names.learner], annotations, lang: o.lang })}`;
  return deskShell({
    title: t.feedbackTitle(f.assignment.title),
    lang: o.lang,
    nonce: o.nonce,
    css: reviewDiffCss,
    body,
    scripts: [reviewDiffScript],
  });
}
