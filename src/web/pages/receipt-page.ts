import { delayText } from '../../courses/index.ts';
import type { Receipt } from '../../flows/index.ts';
import type { Lang } from '../i18n.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

const words = {
  en: {
    title: (a: string) => `Submission receipt — ${a}`,
    assignment: 'Assignment',
    deadline: 'Deadline',
    commit: 'Submitted commit',
    received: 'Received by GitLab at',
    tag: 'Tag on your repository',
    status: 'Status',
    onTime: 'on time',
    nothing: 'Nothing was pushed to GitLab before the deadline.',
    late: (d: string, c: string, at: string) =>
      `A later push (${c}) arrived ${d} after the deadline, at ${at}: late.`,
    note: 'Times are GitLab’s own clock when it received your push, not the dates of your commits.',
    list: 'Your submissions',
    open: 'Receipt',
    home: 'Home',
  },
  fr: {
    title: (a: string) => `Accusé de rendu — ${a}`,
    assignment: 'Exercice',
    deadline: 'Date limite',
    commit: 'Commit rendu',
    received: 'Reçu par GitLab le',
    tag: 'Étiquette sur votre dépôt',
    status: 'État',
    onTime: 'à temps',
    nothing: 'Rien n’a été envoyé sur GitLab avant la date limite.',
    late: (d: string, c: string, at: string) =>
      `Un envoi plus tardif (${c}) est arrivé ${d} après la date limite, le ${at} : en retard.`,
    note: 'Les heures sont celles de GitLab à la réception de vos envois, pas les dates de vos commits.',
    list: 'Vos rendus',
    open: 'Accusé',
    home: 'Accueil',
  },
} satisfies Record<Lang, unknown>;

export const receiptPath = (r: Pick<Receipt, 'courseId' | 'slug'>) =>
  `/receipts/${encodeURIComponent(r.courseId)}/${encodeURIComponent(r.slug)}`;

/** One receipt: what the forge had received from the learner by their deadline, and anything late. */
export function receiptPage(lang: Lang, r: Receipt): string {
  const t = words[lang];
  return page({
    title: t.title(r.title),
    lang,
    body: html`
      <h1>${t.title(r.title)}</h1>
      <table data-testid="receipt">
        <tr>
          <th scope="row">${t.assignment}</th>
          <td>${r.title} (<code>${r.slug}</code>)</td>
        </tr>
        <tr>
          <th scope="row">${t.deadline}</th>
          <td>${utc(r.deadline)}</td>
        </tr>
        ${
          r.commit
            ? html`<tr>
                  <th scope="row">${t.commit}</th>
                  <td><code data-testid="receipt-commit">${r.commit}</code></td>
                </tr>
                <tr>
                  <th scope="row">${t.received}</th>
                  <td data-testid="receipt-received">${utc(r.receivedAt!)}</td>
                </tr>
                ${
                  r.tag
                    ? html`<tr>
                        <th scope="row">${t.tag}</th>
                        <td><code>${r.tag}</code></td>
                      </tr>`
                    : ''
                }`
            : html`<tr>
                <td colspan="2" data-testid="receipt-nothing">${t.nothing}</td>
              </tr>`
        }
        <tr>
          <th scope="row">${t.status}</th>
          <td data-testid="receipt-status">
            ${r.late ? t.late(delayText(r.late.byMs), r.late.commit.slice(0, 8), utc(r.late.receivedAt)) : r.commit ? t.onTime : ''}
          </td>
        </tr>
      </table>
      <p class="muted">${t.note}</p>
      <p><a class="button" href="/home?stay=1&lang=${lang}">${t.home}</a></p>
    `,
  });
}

/** The home page's list of the learner's receipts. */
export function receiptsSection(lang: Lang, receipts: Receipt[]): SafeHtml | '' {
  if (receipts.length === 0) return '';
  const t = words[lang];
  return html`<section data-testid="receipts">
    <h2>${t.list}</h2>
    <ul>
      ${receipts.map(
        (r) =>
          html`<li>
            ${r.title}:
            ${r.commit ? html`<code>${r.commit.slice(0, 8)}</code> ${utc(r.receivedAt!)}` : t.nothing}
            ${r.late ? html`<strong>${delayText(r.late.byMs)}</strong>` : ''}
            <a href="${receiptPath(r)}?lang=${lang}">${t.open}</a>
          </li>`,
      )}
    </ul>
  </section>`;
}
