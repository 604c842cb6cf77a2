import type { Assignment, RosterRow } from '../../courses/index.ts';
import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const words = {
  en: {
    heading: (c: string) => `Course — ${c}`,
    none: 'This course has no assignment yet (`labgate assignments add`).',
    cols: [
      'Assignment',
      'Learners',
      'Forks',
      'Forks failing',
      'Workspaces running',
      'Graded',
      'Deadline',
      '',
    ],
    roster: 'Roster',
    link: (slug: string) => `LMS link: custom parameter assignment=${slug}`,
  },
  fr: {
    heading: (c: string) => `Cours — ${c}`,
    none: 'Ce cours n’a pas encore d’exercice (`labgate assignments add`).',
    cols: [
      'Exercice',
      'Apprenant·es',
      'Copies',
      'Copies en échec',
      'Espaces ouverts',
      'Notés',
      'Échéance',
      '',
    ],
    roster: 'Liste de classe',
    link: (slug: string) => `Lien LMS : paramètre personnalisé assignment=${slug}`,
  },
} satisfies Record<Lang, unknown>;

export interface CourseView {
  lang: Lang;
  courseId: string;
  title: string;
  assignments: Array<{ assignment: Assignment; rows: RosterRow[] }>;
}

/** The staff's course page: each assignment with where its learners are, and a link to its roster. */
export function coursePage(v: CourseView): string {
  const t = words[v.lang];
  const count = (rows: RosterRow[], f: (r: RosterRow) => boolean) => rows.filter(f).length;
  const line = ({ assignment: a, rows }: CourseView['assignments'][number]) =>
    html`<tr data-assignment="${a.slug}">
      <th scope="row">
        ${a.title} <span class="muted">(${a.slug})</span><br /><small class="muted">${t.link(a.slug)}</small>
      </th>
      <td data-count="learners">${rows.length}</td>
      <td data-count="forks">${count(rows, (r) => r.provisioning === 'done')}</td>
      <td data-count="failing">${count(rows, (r) => r.provisioning === 'failed')}</td>
      <td data-count="running">${count(rows, (r) => r.workspace === 'running')}</td>
      <td data-count="graded">${count(rows, (r) => r.score !== undefined)}</td>
      <td>${a.deadline === undefined ? '' : new Date(a.deadline).toISOString()}</td>
      <td>
        <a
          class="button"
          href="/courses/${encodeURIComponent(v.courseId)}/assignments/${encodeURIComponent(a.slug)}/roster?lang=${v.lang}"
          >${t.roster}</a
        >
      </td>
    </tr>`;
  return page({
    title: t.heading(v.title),
    lang: v.lang,
    body: html`
      <h1>${t.heading(v.title)}</h1>
      ${
        v.assignments.length === 0
          ? html`<p>${t.none}</p>`
          : html`<table data-testid="assignments">
              <thead>
                <tr>
                  ${t.cols.map((c) => html`<th scope="col">${c}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${v.assignments.map(line)}
              </tbody>
            </table>`
      }
    `,
  });
}
