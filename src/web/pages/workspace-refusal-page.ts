import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const words = {
  en: {
    403: {
      title: 'This workspace is not yours',
      text: 'It belongs to someone else, or it does not exist. Open your own from your course.',
    },
    503: {
      title: 'Your workspace is not running',
      text: 'It was stopped (after a while without use, or by a reset). Start it again from your home page or from your course: your files are kept.',
    },
    home: 'My home page',
  },
  fr: {
    403: {
      title: 'Cet espace de travail n’est pas le vôtre',
      text: 'Il appartient à quelqu’un d’autre, ou n’existe pas. Ouvrez le vôtre depuis votre cours.',
    },
    503: {
      title: 'Votre espace de travail est arrêté',
      text: 'Il a été arrêté (après un temps sans utilisation, ou par une réinitialisation). Relancez-le depuis votre page d’accueil ou depuis votre cours : vos fichiers sont conservés.',
    },
    home: 'Ma page d’accueil',
  },
} satisfies Record<Lang, unknown>;

/** What a browser opening a workspace it may not, or one that is stopped, is told, in the person's language. */
export function workspaceRefusalPage(lang: Lang, status: 403 | 503, homeUrl: string): string {
  const t = words[lang];
  return page({
    title: t[status].title,
    lang,
    body: html`<h1 data-testid="workspace-refused" data-status="${String(status)}">${t[status].title}</h1>
      <p>${t[status].text}</p>
      <p><a class="button" href="${homeUrl}">${t.home}</a></p>`,
  });
}
