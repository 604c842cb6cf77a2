import { messages, type Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

/** Shown inside an LMS iframe whose browser refused labgate's cookie. */
export function cookieBlockedPage(lang: Lang, continueUrl: string): string {
  const t = messages[lang];
  return page({
    title: t.blockedTitle,
    lang,
    body: html`
      <h1>${t.blockedTitle}</h1>
      <p>${t.blockedText}</p>
      <p>
        <a
          class="button primary"
          data-testid="open-new-tab"
          href="${continueUrl}"
          target="_blank"
          rel="noopener"
          >${t.blockedButton}</a
        >
      </p>
    `,
  });
}

export function handoffExpiredPage(lang: Lang): string {
  const t = messages[lang];
  return page({
    title: t.expiredTitle,
    lang,
    body: html`<h1>${t.expiredTitle}</h1>
      <p>${t.expiredText}</p>`,
  });
}
