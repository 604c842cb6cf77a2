import type { FileDiff, ReviewedCommit, ReviewFile } from '../../flows/index.ts';
import { renderReviewDiff } from '../../grading/index.ts';
import type { Lang } from '../i18n.ts';
import { html, SafeHtml } from './html.ts';
import { utc, type ReviewWords } from './review-words.ts';

/** The commit shown: which one, why that one, when it arrived, and whether it was late. */
export function commitLine(c: ReviewedCommit, t: ReviewWords): SafeHtml {
  const when = c.at === undefined ? '' : c.clock === 'forge' ? t.received(utc(c.at)) : t.committed(utc(c.at));
  const late =
    c.late === undefined
      ? html`<span class="muted">${t.lateUnknown}</span>`
      : c.late
        ? html`<span class="late" data-late="yes">${t.late}</span>`
        : html`<span class="ontime" data-late="no">${t.onTime}</span>`;
  return html`<p data-testid="commit" data-source="${c.source}" data-sha="${c.sha}">
      ${t.commit} <code>${c.sha.slice(0, 8)}</code> — ${t.source[c.source]}${when ? `, ${when}` : ''} ·
      ${late}
    </p>
    ${
      c.latePush && c.latePush.sha !== c.sha
        ? html`<p class="muted">${t.latePush(c.latePush.sha.slice(0, 8), utc(c.latePush.pushedAt))}</p>`
        : ''
    }`;
}

/** A picker of the files that differ (graded ones first), as links keeping the other settings. */
export function filePicker(o: {
  files: ReviewFile[];
  file: string | undefined;
  link: (file: string) => string;
  counts?: Map<string, number>;
  t: ReviewWords;
}): SafeHtml {
  if (!o.files.length) return html`<p class="muted">${o.t.noFiles}</p>`;
  return html`<nav class="files" aria-label="${o.t.file}">
    <ul data-testid="files">
      ${o.files.map(
        (f) =>
          html`<li data-file="${f.name}" data-change="${f.change}">
            ${
              f.name === o.file
                ? html`<strong aria-current="page">${f.name}</strong>`
                : html`<a href="${o.link(f.name)}">${f.name}</a>`
            }
            <span class="muted">${o.t.change[f.change]}${f.graded ? ` · ${o.t.graded}` : ''}</span>
            ${o.counts?.get(f.name) ? html`<span class="tag">💬 ${o.counts.get(f.name)}</span>` : ''}
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** The side-by-side diff of the file shown, or why there is none. */
export function diffSection(o: {
  diff: FileDiff | undefined;
  names: [string, string];
  annotations: Map<string, string>;
  lang: Lang;
}): SafeHtml {
  const d = o.diff;
  if (!d) return html``;
  if (!d.ok) return html`<p class="problem" data-testid="diff-problem">${d.problem}</p>`;
  if (!d.left || !d.right) {
    const b = d.diff.binary;
    return html`<p data-testid="binary">
      ${o.names[0]}: ${b?.left.size ?? 0} B <code>${b?.left.sha256.slice(0, 12) ?? ''}</code> · ${o.names[1]}:
      ${b?.right.size ?? 0} B <code>${b?.right.sha256.slice(0, 12) ?? ''}</code>
    </p>`;
  }
  return new SafeHtml(
    renderReviewDiff(
      d.diff,
      { left: d.left, right: d.right },
      { names: o.names, annotations: o.annotations, locale: o.lang },
    ),
  );
}
