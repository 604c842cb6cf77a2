import type { Assignment, RosterRow } from '../../courses/index.ts';
import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { lmsLinkHelp, type LmsLaunchUrls } from './lms-link-help.ts';

const words = {
  en: {
    heading: (c: string) => `Course — ${c}`,
    none: 'This course has no assignment yet: publish one below.',
    publish: 'Publish an exercise',
    publishText:
      'Title, template (a GitLab project you can read, or a new empty one to fill), workspace image, deadline and what happens after it.',
    published: (title: string, slug: string) =>
      `“${title}” is published. Link it from your LMS with the custom parameter assignment=${slug}.`,
    cols: [
      'Assignment',
      'Learners',
      'Forks',
      'Forks failing',
      'Workspaces running',
      'Pushed',
      'Behind the template',
      'Would conflict',
      'Submitted',
      'Graded',
      'Deadline',
      '',
    ],
    roster: 'Roster',
    grades: 'Grades and feedback',
  },
  fr: {
    heading: (c: string) => `Cours — ${c}`,
    none: 'Ce cours n’a pas encore d’exercice : publiez-en un ci-dessous.',
    publish: 'Publier un exercice',
    publishText:
      'Titre, modèle (un projet GitLab que vous pouvez lire, ou un nouveau modèle vide à remplir), image de l’espace de travail, échéance et ce qui se passe après.',
    published: (title: string, slug: string) =>
      `« ${title} » est publié. Liez-le depuis votre LMS avec le paramètre personnalisé assignment=${slug}.`,
    cols: [
      'Exercice',
      'Apprenant·es',
      'Copies',
      'Copies en échec',
      'Espaces ouverts',
      'Ont envoyé',
      'En retard sur le modèle',
      'Conflit prévu',
      'Rendus',
      'Notés',
      'Échéance',
      '',
    ],
    roster: 'Liste de classe',
    grades: 'Notes et retours',
  },
} satisfies Record<Lang, unknown>;

export interface CourseView {
  lang: Lang;
  courseId: string;
  title: string;
  assignments: Array<{ assignment: Assignment; rows: RosterRow[] }>;
  /** What to paste into an LMS to link an assignment by hand, shown with each one. */
  launchUrls: LmsLaunchUrls;
  /** The slug of the exercise just published from the publish page, to confirm it. */
  published?: string | undefined;
}

/** The staff's course page: each assignment with where its learners are, and a link to its roster. */
export function coursePage(v: CourseView): string {
  const t = words[v.lang];
  const count = (rows: RosterRow[], f: (r: RosterRow) => boolean) => rows.filter(f).length;
  const line = ({ assignment: a, rows }: CourseView['assignments'][number]) =>
    html`<tr data-assignment="${a.slug}">
      <th scope="row">
        ${a.title} <span class="muted">(${a.slug})</span>${lmsLinkHelp(v.lang, a.slug, v.launchUrls)}
      </th>
      <td data-count="learners">${rows.length}</td>
      <td data-count="forks">${count(rows, (r) => r.provisioning === 'done')}</td>
      <td data-count="failing">${count(rows, (r) => r.provisioning === 'failed')}</td>
      <td data-count="running">${count(rows, (r) => r.workspace === 'running')}</td>
      <td data-count="pushed">${count(rows, (r) => r.lastPushAt !== undefined)}</td>
      <td data-count="behind">
        ${count(rows, (r) => r.templateState === 'behind' || r.templateState === 'conflict')}
      </td>
      <td data-count="conflict">${count(rows, (r) => r.templateState === 'conflict')}</td>
      <td data-count="submitted">${count(rows, (r) => r.submittedCommit !== '')}</td>
      <td data-count="graded">${count(rows, (r) => r.score !== undefined)}</td>
      <td>${a.deadline === undefined ? '' : new Date(a.deadline).toISOString()}</td>
      <td>
        <a
          class="button"
          href="/courses/${encodeURIComponent(v.courseId)}/assignments/${encodeURIComponent(a.slug)}/roster?lang=${v.lang}"
          >${t.roster}</a
        >
        <a
          class="button"
          href="/courses/${encodeURIComponent(v.courseId)}/assignments/${encodeURIComponent(a.slug)}/grades?lang=${v.lang}"
          >${t.grades}</a
        >
      </td>
    </tr>`;
  return page({
    title: t.heading(v.title),
    lang: v.lang,
    body: html`
      <h1>${t.heading(v.title)}</h1>
      ${publishedNotice(v, t.published)}
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
      <section id="publish">
        <h2>${t.publish}</h2>
        <p class="muted">${t.publishText}</p>
        <p>
          <a class="button primary" href="/courses/${encodeURIComponent(v.courseId)}/publish?lang=${v.lang}"
            >${t.publish}</a
          >
        </p>
      </section>
    `,
  });
}

function publishedNotice(v: CourseView, text: (title: string, slug: string) => string) {
  const a = v.assignments.find((x) => x.assignment.slug === v.published)?.assignment;
  return a ? html`<p role="status" data-testid="published">${text(a.title, a.slug)}</p>` : '';
}
