import type { Lang } from '../i18n.ts';
import { html, type SafeHtml } from './html.ts';

/** An assignment whose feedback a learner can read. */
export interface FeedbackLink {
  courseId: string;
  slug: string;
  title: string;
  releasedAt: number;
}

const words = {
  en: { list: 'Feedback from your teachers', open: 'Read the feedback' },
  fr: { list: 'Retours de vos enseignant·es', open: 'Lire le retour' },
} satisfies Record<Lang, unknown>;

/** The home page's list of released feedback, each to its page. */
export function feedbackLinks(lang: Lang, links: FeedbackLink[]): SafeHtml | '' {
  if (links.length === 0) return '';
  const t = words[lang];
  return html`<section data-testid="feedback-links">
    <h2>${t.list}</h2>
    <ul>
      ${links.map(
        (l) =>
          html`<li>
            ${l.title}:
            <a href="/feedback/${encodeURIComponent(l.courseId)}/${encodeURIComponent(l.slug)}?lang=${lang}"
              >${t.open}</a
            >
          </li>`,
      )}
    </ul>
  </section>`;
}
