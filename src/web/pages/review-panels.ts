import type { ReviewQuestion } from '../../flows/index.ts';
import type { CheckResult, ReviewComment, ReviewScore } from '../../grading/index.ts';
import { html, type SafeHtml } from './html.ts';
import { utc, type ReviewWords } from './review-words.ts';

const state = html`<p class="save-state" role="status" data-testid="save-state"></p>
  <div class="conflict" hidden></div>`;

/** The autograder's checks of a question as staff see them: hidden ones too, marked. */
export function checkList(checks: CheckResult[], t: ReviewWords): SafeHtml {
  const shown = checks.filter((c) => c.type !== 'manual');
  if (!shown.length) return html``;
  return html`<ul class="checks">
    ${shown.map(
      (c) =>
        html`<li class="${c.passed ? 'passed' : 'failed'}" data-hidden="${c.hidden ? 'yes' : 'no'}">
          <span class="muted">${c.type}</span>
          ${c.passed ? t.passed : t.failed}${c.message ? ` — ${c.message}` : ''}
          ${c.hidden ? html`<span class="tag">${t.hidden}</span>` : ''}
        </li>`,
    )}
  </ul>`;
}

const savedBy = (r: ReviewScore | undefined, people: Map<string, string>, t: ReviewWords) =>
  r
    ? html`<p class="muted graded-by">
        ${t.gradedBy(people.get(r.gradedBy) ?? r.gradedBy, utc(r.gradedAt))}
      </p>`
    : '';

/** A question's results and the grader's panel: score over the automatic one, rubric ticks, comment. */
export function questionPanel(q: ReviewQuestion, people: Map<string, string>, t: ReviewWords): SafeHtml {
  const r = q.review;
  const auto = q.result?.score ?? 0;
  const ticked = new Set(r?.rubric.map((x) => x.item));
  return html`<div
    class="panel question"
    data-question="${q.id}"
    data-version="${r?.version ?? 0}"
    data-max="${q.maxScore}"
    data-auto="${auto}"
  >
    <h3>
      ${t.question} <code>${q.id}</code> ${q.title ?? ''}
      <span class="muted">${q.result ? (t.status[q.result.status] ?? q.result.status) : ''}</span>
    </h3>
    <p class="muted">${t.auto}: ${t.score(auto, q.maxScore)}</p>
    ${checkList(q.result?.checks ?? [], t)}
    <label
      >${t.scoreLabel}
      <input
        type="number"
        name="score"
        min="0"
        max="${q.maxScore}"
        step="any"
        value="${r?.score ?? ''}"
        placeholder="${auto}"
      />
      / ${q.maxScore} <span class="muted">(${t.autoScore(auto)})</span></label
    >
    ${
      q.rubric.length
        ? html`<fieldset class="rubric">
            <legend>${t.rubric}</legend>
            ${q.rubric.map(
              (i) =>
                html`<label
                  ><input
                    type="checkbox"
                    data-item="${i.item}"
                    data-points="${i.points}"
                    ${ticked.has(i.item) ? html`checked` : ''}
                  />
                  ${i.text} (+${i.points})</label
                >`,
            )}
          </fieldset>`
        : ''
    }
    <label>${t.comment} <textarea name="comment" maxlength="10000">${r?.comment ?? ''}</textarea></label>
    <p>${t.final}: <strong class="final-score">${q.grade?.final ?? 0}</strong> / ${q.maxScore}</p>
    ${state} ${savedBy(r, people, t)}
  </div>`;
}

/** The comment on the whole submission (question '' of the scores). */
export function generalPanel(r: ReviewScore | undefined, people: Map<string, string>, t: ReviewWords) {
  return html`<section class="panel general" data-question="" data-version="${r?.version ?? 0}">
    <h2><label for="general-comment">${t.general}</label></h2>
    <textarea id="general-comment" name="comment" maxlength="10000">${r?.comment ?? ''}</textarea>
    ${state} ${savedBy(r, people, t)}
  </section>`;
}

/** One comment, editable by any grader (saved as they type, deleted with its button). */
export function commentItem(c: ReviewComment, people: Map<string, string>, t: ReviewWords): SafeHtml {
  return html`<div
    class="comment"
    data-id="${c.id}"
    data-version="${c.version}"
    data-file="${c.file}"
    data-cell="${c.cell}"
    data-line="${c.line ?? ''}"
  >
    <span class="where">${c.line === undefined ? t.cellWide : t.line(c.line)}</span>
    <span class="muted">${t.by(people.get(c.authorId) ?? c.authorId)}, ${utc(c.updatedAt)}</span>
    <textarea name="body" maxlength="10000" aria-label="${t.comment}">${c.body}</textarea>
    <button type="button" class="delete-comment">${t.remove}</button>
    ${state}
  </div>`;
}

/** The comments of one block, beside it; the page's script adds new ones here. */
export const commentList = (anchor: string, items: SafeHtml[]) =>
  html`<div class="comments" data-comments-for="${anchor}">${items}</div>`;
