import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const texts = {
  fr: {
    title: 'Ce lien vers votre espace a déjà servi ou a expiré',
    text: 'Un lien d’entrée ne sert qu’une fois, dans la minute, et dans le navigateur qui l’a demandé.',
    again: 'Ouvrir à nouveau l’espace',
  },
  en: {
    title: 'This link to your workspace was already used or has expired',
    text: 'An entry link works once, within a minute, in the browser that asked for it.',
    again: 'Open the workspace again',
  },
} as const;

/** Shown on a workspace's own origin when its one-time entry code cannot be redeemed. */
export function workspaceEntryFailedPage(lang: Lang, againUrl: string): string {
  const t = texts[lang];
  return page({
    title: t.title,
    lang,
    body: html`<h1>${t.title}</h1>
      <p>${t.text}</p>
      <p><a class="button primary" data-testid="enter-again" href="${againUrl}">${t.again}</a></p>`,
  });
}
