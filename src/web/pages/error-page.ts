import { html } from './html.ts';
import { page } from './layout.ts';

export interface ErrorView {
  status: number;
  code: string;
  message: string;
  hint: string | undefined;
  details: Record<string, string | number> | undefined;
}

export function errorPage(e: ErrorView): string {
  const title = e.status >= 500 ? 'labgate could not finish this request' : 'labgate refused this request';
  return page({
    title,
    lang: 'en',
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
      <p class="muted">Error <code>${e.code}</code> · HTTP ${e.status}</p>
    `,
  });
}
