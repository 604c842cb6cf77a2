import type { Lang } from '../i18n.ts';
import { html } from './html.ts';

/** Where an LMS sends people to labgate, as this server serves them (PUBLIC_BASE_URL + route). */
export interface LmsLaunchUrls {
  lti11: string;
  lti13: string;
}

export const lmsLaunchUrls = (publicBaseUrl: URL): LmsLaunchUrls => {
  const base = publicBaseUrl.href.replace(/\/$/, '');
  return { lti11: `${base}/lti/launch`, lti13: `${base}/lti/1.3/launch` };
};

const words = {
  en: {
    summary: 'Link it by hand from the LMS',
    lti11: 'LTI 1.1 launch URL:',
    lti13: 'LTI 1.3 target link URI:',
    custom: 'Custom parameter (one line):',
  },
  fr: {
    summary: 'Le lier à la main depuis le LMS',
    lti11: 'URL de lancement LTI 1.1 :',
    lti13: 'URI de lien cible LTI 1.3 :',
    custom: 'Paramètre personnalisé (une ligne) :',
  },
} satisfies Record<Lang, unknown>;

/** What to paste in the LMS's activity settings (LTI 1.1, or LTI 1.3 without deep linking). */
export function lmsLinkHelp(lang: Lang, slug: string, urls: LmsLaunchUrls) {
  const t = words[lang];
  return html`<details data-testid="lms-link">
    <summary class="muted">${t.summary}</summary>
    <small>
      ${t.lti11} <code data-testid="lti11-url">${urls.lti11}</code><br />
      ${t.lti13} <code data-testid="lti13-url">${urls.lti13}</code><br />
      ${t.custom} <code data-testid="custom-parameter">assignment=${slug}</code>
    </small>
  </details>`;
}
