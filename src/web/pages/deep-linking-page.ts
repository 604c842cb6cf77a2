import type { Assignment } from '../../courses/index.ts';
import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const words = {
  en: {
    heading: 'Link an exercise to your course',
    intro: (course: string) =>
      `Course: ${course}. Choose the exercise this LMS activity opens: each learner who opens it lands in their own copy.`,
    cols: ['Exercise', 'Short name', 'Deadline', ''],
    none: 'This course has no exercise yet.',
    link: 'Link this exercise',
    create: 'Create a new exercise',
    comeBack: (until: string) => `Then come back to this page: it stays valid until ${until}.`,
    returning: (title: string) => `Linking “${title}”: going back to your LMS…`,
    continue: 'Back to the LMS',
  },
  fr: {
    heading: 'Lier un exercice à votre cours',
    intro: (course: string) =>
      `Cours : ${course}. Choisissez l’exercice que cette activité du LMS ouvre : chaque apprenant·e qui l’ouvre arrive dans sa propre copie.`,
    cols: ['Exercice', 'Nom court', 'Échéance', ''],
    none: 'Ce cours n’a pas encore d’exercice.',
    link: 'Lier cet exercice',
    create: 'Créer un nouvel exercice',
    comeBack: (until: string) => `Revenez ensuite sur cette page : elle reste valable jusqu’à ${until}.`,
    returning: (title: string) => `Exercice « ${title} » lié : retour à votre LMS…`,
    continue: 'Retour au LMS',
  },
} satisfies Record<Lang, unknown>;

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export interface DeepLinkPickerView {
  lang: Lang;
  /** The picker's own path: its forms post there. */
  action: string;
  csrfToken: string;
  courseId: string;
  courseTitle: string;
  assignments: Assignment[];
  expiresAt: number;
}

/** The teacher's choice, for the LMS that asked (LTI 1.3 deep linking): one button per exercise. */
export function deepLinkPickerPage(v: DeepLinkPickerView): string {
  const t = words[v.lang];
  const row = (a: Assignment) =>
    html`<tr data-assignment="${a.slug}">
      <th scope="row">${a.title}</th>
      <td><code>${a.slug}</code></td>
      <td>${a.deadline === undefined ? '' : utc(a.deadline)}</td>
      <td>
        <form method="post" action="${v.action}">
          <input type="hidden" name="_csrf" value="${v.csrfToken}" />
          <input type="hidden" name="assignment" value="${a.slug}" />
          <button class="primary" type="submit" data-testid="link-exercise">${t.link}</button>
        </form>
      </td>
    </tr>`;
  const create = `/courses/${encodeURIComponent(v.courseId)}?lang=${v.lang}#publish`;
  return page({
    title: t.heading,
    lang: v.lang,
    body: html`
      <h1>${t.heading}</h1>
      <p>${t.intro(v.courseTitle)}</p>
      ${
        v.assignments.length === 0
          ? html`<p data-testid="no-exercise">${t.none}</p>`
          : html`<table data-testid="exercises">
              <thead>
                <tr>
                  ${t.cols.map((c) => html`<th scope="col">${c}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${v.assignments.map(row)}
              </tbody>
            </table>`
      }
      <p>
        <a class="button" href="${create}" data-testid="create-exercise">${t.create}</a>
        <span class="muted">${t.comeBack(utc(v.expiresAt))}</span>
      </p>
    `,
  });
}

/**
 * Posts the signed answer (field `JWT`) back to the LMS's return URL at once, as LMSs post launches;
 * the button is for browsers without JavaScript. Both values are escaped.
 */
export function deepLinkReturnPage(v: { lang: Lang; returnUrl: string; jwt: string; title: string }): string {
  const t = words[v.lang];
  return page({
    title: t.heading,
    lang: v.lang,
    body: html`
      <form method="post" action="${v.returnUrl}" id="deep-link-return">
        <input type="hidden" name="JWT" value="${v.jwt}" />
        <p>${t.returning(v.title)}</p>
        <noscript><button class="primary" type="submit">${t.continue}</button></noscript>
      </form>
      <script>
        document.getElementById('deep-link-return').submit();
      </script>
    `,
  });
}
