import { html } from './html.ts';
import { page } from './layout.ts';

export interface ErrorView {
  lang: 'fr' | 'en';
  status: number;
  code: string;
  message: string;
  hint: string | undefined;
  details: Record<string, string | number> | undefined;
}

const titles = {
  en: { failed: 'labgate could not finish this request', refused: 'labgate refused this request' },
  fr: { failed: 'labgate n’a pas pu terminer cette demande', refused: 'labgate a refusé cette demande' },
};

export function errorPage(e: ErrorView): string {
  const title = titles[e.lang][e.status >= 500 ? 'failed' : 'refused'];
  return page({
    title,
    lang: e.lang,
    body: html`
      <h1>${title}</h1>
      <p data-testid="error-message">${e.message}</p>
      ${e.hint ? html`<p data-testid="error-hint">${e.hint}</p>` : ''}
      ${
        e.details
          ? html`<table data-testid="error-details">
              ${Object.entries(e.details).map(
                ([k, v]) =>
                  html`<tr>
                    <th>${k}</th>
                    <td>${v}</td>
                  </tr>`,
              )}
            </table>`
          : ''
      }
      <p class="muted">${e.lang === 'fr' ? 'Erreur' : 'Error'} <code>${e.code}</code> · HTTP ${e.status}</p>
    `,
  });
}
