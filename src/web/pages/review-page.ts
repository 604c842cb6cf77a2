import type { ReviewQuestion, SubmissionReview } from '../../flows/index.ts';
import { anchorOf, reviewDiffCss, reviewDiffScript, type ReviewComment } from '../../grading/index.ts';
import type { Lang } from '../i18n.ts';
import { deskShell } from './desk-shell.ts';
import { html, type SafeHtml } from './html.ts';
import { deskSavesScript } from './review-client-saves.ts';
import { deskScript } from './review-client.ts';
import { commentItem, commentList, generalPanel, questionPanel } from './review-panels.ts';
import { commitLine, diffSection, filePicker } from './review-sections.ts';
import { reviewWords, type ReviewWords } from './review-words.ts';

export interface ReviewPageView {
  lang: Lang;
  review: SubmissionReview;
  csrfToken: string;
  nonce: string;
  /** The roster's sort and filter, carried from learner to learner. */
  keep: Record<string, string>;
}

const enc = encodeURIComponent;

function header(v: ReviewPageView, t: ReviewWords, url: (userId: string) => string): SafeHtml {
  const r = v.review;
  const n = r.neighbours;
  const roster = `/courses/${enc(r.course.id)}/assignments/${enc(r.assignment.slug)}/roster?${new URLSearchParams({ lang: v.lang, ...v.keep })}`;
  const s = r.sources;
  return html`<nav class="desk">
      <a class="button" href="${roster}">${t.roster}</a>
      ${n.previous ? html`<a class="button" rel="prev" data-testid="previous" href="${url(n.previous.userId)}">◀ ${n.previous.name || t.previous}</a>` : ''}
      <span class="muted">${t.position(n.position, n.total)}</span>
      ${n.next ? html`<a class="button" rel="next" data-testid="next" href="${url(n.next.userId)}">${n.next.name || t.next} ▶</a>` : ''}
      <span class="muted">${t.keys}</span>
    </nav>
    <h1 data-testid="learner">
      ${r.learner.name} <span class="muted">${t.lmsId}: <code>${r.learner.lmsId}</code></span>
    </h1>
    <p>${r.assignment.title} (<code>${r.assignment.slug}</code>) · ${r.course.title}</p>
    ${s.commit ? commitLine(s.commit, t) : html`<p class="problem">${s.fork ? t.noCommit : t.noFork}</p>`}
    ${s.problem ? html`<p class="problem">${s.problem}</p>` : ''}
    ${s.template.problem ? html`<p class="problem">${t.templateProblem} ${s.template.problem}</p>` : ''}
    ${s.spec === undefined ? html`<p class="muted">${t.noSpec}</p>` : ''}
    ${s.spec && !s.spec.ok ? html`<p class="problem">${t.specProblem} <code>${s.spec.problem}</code></p>` : ''}
    ${s.spec?.ok && !s.grading ? html`<p class="muted">${t.notGraded}</p>` : ''}
    ${s.grading && s.commit && s.grading.submissionCommit !== s.commit.sha ? html`<p class="problem">${t.gradedOther(s.grading.submissionCommit.slice(0, 8))}</p>` : ''}
    <p data-testid="score">
      ${t.auto}: <strong data-testid="auto-score">${t.score(r.final.auto, r.final.maxScore)}</strong> ·
      ${t.final}:
      <strong data-testid="final-score">${t.score(r.final.final, r.final.maxScore)}</strong>
    </p>`;
}

function questionTable(r: SubmissionReview, t: ReviewWords, link: (file: string) => string) {
  if (!r.questions.length) return html``;
  return html`<table class="grades" data-testid="questions">
    <tr>
      <th>${t.question}</th>
      <th>${t.file}</th>
      <th>${t.auto}</th>
      <th>${t.grader}</th>
      <th>${t.final}</th>
    </tr>
    ${r.questions.map(
      (q) =>
        html`<tr data-question="${q.id}">
          <td><code>${q.id}</code></td>
          <td>${q.file === r.file ? q.file : html`<a href="${link(q.file)}">${q.file}</a>`}</td>
          <td>${q.grade?.auto ?? 0}</td>
          <td>${q.grade?.manual ?? (q.grade?.rubricPoints ? `+${q.grade.rubricPoints}` : '')}</td>
          <td>${t.score(q.grade?.final ?? 0, q.maxScore)}</td>
        </tr>`,
    )}
  </table>`;
}

/** Question panels and comments beside their blocks; what has no block here is listed above the diff. */
function annotate(r: SubmissionReview, t: ReviewWords) {
  const mine = (c: ReviewComment) => c.file === r.file;
  const shown = new Set(r.diff?.ok ? r.diff.diff.blocks.map(anchorOf) : []);
  const byAnchor = new Map<string, { questions: ReviewQuestion[]; comments: ReviewComment[] }>();
  const at = (a: string) => byAnchor.get(a) ?? byAnchor.set(a, { questions: [], comments: [] }).get(a)!;
  const here = r.questions.filter((q) => q.file === r.file);
  for (const q of here) {
    const a = r.anchors.get(q.id);
    if (a) at(a).questions.push(q);
  }
  for (const c of r.comments.filter(mine)) if (shown.has(c.cell)) at(c.cell).comments.push(c);
  const annotations = new Map<string, string>();
  for (const [a, x] of byAnchor)
    annotations.set(
      a,
      html`${x.questions.map((q) => questionPanel(q, r.people, t))}
      ${commentList(
        a,
        x.comments.map((c) => commentItem(c, r.people, t)),
      )}`.value,
    );
  const lost = here.filter((q) => !r.anchors.has(q.id));
  const elsewhere = r.comments.filter((c) => mine(c) && !shown.has(c.cell));
  const above = html`${lost.map(
    (q) =>
      html`<div class="lost">
        <p class="problem">${t.notFound}</p>
        ${questionPanel(q, r.people, t)}
      </div>`,
  )}
  ${
    elsewhere.length
      ? html`<h2>${t.elsewhere}</h2>
          ${elsewhere.map((c) => commentItem(c, r.people, t))}`
      : ''
  }`;
  return { annotations, above };
}

/** The grader's desk for one learner: header, file picker, the diff with a panel beside each question. */
export function reviewPage(v: ReviewPageView): string {
  const t = reviewWords[v.lang];
  const r = v.review;
  const base = `/courses/${enc(r.course.id)}/assignments/${enc(r.assignment.slug)}/review`;
  const q = (o: Record<string, string | undefined>) => {
    const all: Record<string, string | undefined> = { lang: v.lang, ...v.keep, ...o };
    const set = Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined);
    return new URLSearchParams(set).toString();
  };
  const url = (userId: string) => `${base}/${enc(userId)}?${q({ against: r.against })}`;
  const link = (file: string) => `${base}/${enc(r.learner.userId)}?${q({ file, against: r.against })}`;
  const counts = new Map<string, number>();
  for (const c of r.comments) counts.set(c.file, (counts.get(c.file) ?? 0) + 1);
  const { annotations, above } = annotate(r, t);
  const against = (a: 'template' | 'expected', label: string) =>
    a === r.against
      ? html`<strong aria-current="true" data-against="${a}">${label}</strong>`
      : html`<a data-against="${a}" href="${base}/${enc(r.learner.userId)}?${q({ file: r.file, against: a })}"
          >${label}</a
        >`;
  const body = html`${header(v, t, url)} ${questionTable(r, t, link)} ${generalPanel(r.general, r.people, t)}
  ${filePicker({ files: r.files, file: r.file, link, counts, t })}
  ${
    r.file
      ? html`<p class="pick" data-testid="against">
          ${t.against}: ${against('template', t.template)} ·
          ${r.expectedAvailable ? against('expected', t.expected) : html`<span class="muted">${t.noExpected}</span>`}
        </p>`
      : ''
  }
  ${above}
  ${diffSection({
    diff: r.diff,
    names: [r.against === 'expected' ? t.names.expected : t.names.template, t.names.learner],
    annotations,
    lang: v.lang,
  })}`;
  return deskShell({
    title: t.title(r.learner.name || r.learner.lmsId, r.assignment.title),
    lang: v.lang,
    nonce: v.nonce,
    css: reviewDiffCss,
    body,
    scripts: [reviewDiffScript, deskSavesScript, deskScript],
    data: {
      base: `${base}/${enc(r.learner.userId)}`,
      lang: v.lang,
      csrf: v.csrfToken,
      file: r.file ?? '',
      previous: r.neighbours.previous ? url(r.neighbours.previous.userId) : null,
      next: r.neighbours.next ? url(r.neighbours.next.userId) : null,
      texts: clientTexts(t),
    },
  });
}

const clientTexts = (t: ReviewWords) => ({
  saving: t.saving,
  saved: t.saved,
  notSaved: t.notSaved,
  conflict: t.conflict('{who}'),
  deleted: t.deleted,
  takeTheirs: t.takeTheirs,
  keepMine: t.keepMine,
  empty: t.empty,
  network: t.network,
  unsaved: t.unsaved,
  comment: t.commentCell,
  line: t.line(1).replace('1', '{n}'),
  cellWide: t.cellWide,
  remove: t.remove,
  scoreLabel: t.scoreLabel,
  rubric: t.rubric,
});
