import type { RosterRow } from '../../courses/index.ts';
import type { Lang } from '../i18n.ts';
import { cellText, rosterColumns, type RosterColumn } from '../roster-table.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

const words = {
  en: {
    title: (a: string) => `Roster — ${a}`,
    columns: {
      name: 'Name',
      lmsId: 'LMS id',
      email: 'Email',
      gitlabUsername: 'GitLab user',
      forkPath: 'Fork',
      provisioning: 'Fork status',
      provisioningError: 'Forge error',
      workspace: 'Workspace',
      score: 'Score',
      maxScore: 'Out of',
      gradedAt: 'Graded at',
      lastPushAt: 'Last push (GitLab time)',
      ahead: 'Ahead',
      behind: 'Behind',
      templateState: 'Template',
      conflicts: 'Would conflict in',
      updateResult: 'Last update',
      deadline: 'Deadline',
      submittedCommit: 'Submitted commit',
      submittedAt: 'Received at',
      lateByMs: 'Late by',
      lmsGrade: 'Grade in LMS',
      lmsGradeSentAt: 'Sent to LMS at',
      lmsGradeAnswer: 'LMS answer',
    },
    states: { 'up-to-date': 'up to date', behind: 'behind', conflict: 'would conflict', unknown: '' },
    lmsStates: { pending: 'pending', sent: 'sent', failed: 'failed', 'no-link': 'no LMS link', none: '' },
    sendAgain: 'Send again',
    grades: 'Grades and feedback',
    filter: 'Filter',
    learners: (n: number, all: number) => `${n} of ${all} learners`,
    download: 'Download CSV',
    submissions: 'Download submissions (.tar.gz)',
    json: 'JSON',
    back: 'Course page',
  },
  fr: {
    title: (a: string) => `Liste de classe — ${a}`,
    columns: {
      name: 'Nom',
      lmsId: 'Identifiant LMS',
      email: 'Courriel',
      gitlabUsername: 'Compte GitLab',
      forkPath: 'Copie (fork)',
      provisioning: 'État de la copie',
      provisioningError: 'Erreur de la forge',
      workspace: 'Espace de travail',
      score: 'Note',
      maxScore: 'Sur',
      gradedAt: 'Notée le',
      lastPushAt: 'Dernier envoi (heure GitLab)',
      ahead: 'En avance',
      behind: 'En retard',
      templateState: 'Modèle',
      conflicts: 'Conflit dans',
      updateResult: 'Dernière mise à jour',
      deadline: 'Date limite',
      submittedCommit: 'Commit rendu',
      submittedAt: 'Reçu le',
      lateByMs: 'Retard',
      lmsGrade: 'Note dans le LMS',
      lmsGradeSentAt: 'Envoyée au LMS le',
      lmsGradeAnswer: 'Réponse du LMS',
    },
    states: { 'up-to-date': 'à jour', behind: 'en retard', conflict: 'conflit prévu', unknown: '' },
    lmsStates: {
      pending: 'en attente',
      sent: 'envoyée',
      failed: 'échec',
      'no-link': 'pas de lien LMS',
      none: '',
    },
    sendAgain: 'Renvoyer',
    grades: 'Notes et retours',
    filter: 'Filtrer',
    learners: (n: number, all: number) => `${n} apprenant·es sur ${all}`,
    download: 'Télécharger en CSV',
    submissions: 'Télécharger les rendus (.tar.gz)',
    json: 'JSON',
    back: 'Page du cours',
  },
} satisfies Record<Lang, unknown>;

export interface RosterView {
  lang: Lang;
  courseId: string;
  assignment: { slug: string; title: string };
  rows: RosterRow[];
  total: number;
  sort: RosterColumn;
  desc: boolean;
  filter: string;
  /** The forms and the progress of a running class-wide job. */
  actions: SafeHtml;
  /** Reload while a class-wide job runs. */
  refreshSeconds: number | undefined;
  /** The session's token for the per-learner forms ("Send again"); none: no such forms. */
  csrfToken?: string | undefined;
}

/** The roster as a table: sortable by any column (a link per header), filtered by text, exportable. */
export function rosterPage(v: RosterView): string {
  const t = words[v.lang];
  const base = `/courses/${encodeURIComponent(v.courseId)}/assignments/${encodeURIComponent(v.assignment.slug)}/roster`;
  const query = (o: Record<string, string>) =>
    `?${new URLSearchParams({ ...(v.filter ? { filter: v.filter } : {}), lang: v.lang, ...o })}`;
  const header = (c: RosterColumn) => {
    const desc = c === v.sort && !v.desc;
    const mark = c === v.sort ? (v.desc ? ' ▼' : ' ▲') : '';
    return html`<th scope="col" aria-sort="${c === v.sort ? (v.desc ? 'descending' : 'ascending') : 'none'}">
      <a href="${base}${query({ sort: c, ...(desc ? { desc: '1' } : {}) })}">${t.columns[c]}${mark}</a>
    </th>`;
  };
  // A grade the LMS refused, or one to push again (the teacher changed it there): "Send again".
  const sendAgain = (r: RosterRow) =>
    v.csrfToken && (r.lmsGrade === 'failed' || r.lmsGrade === 'sent')
      ? html`<form method="post" action="${base.replace(/\/roster$/, '')}/grades/send-again?lang=${v.lang}">
          <input type="hidden" name="_csrf" value="${v.csrfToken}" />
          <input type="hidden" name="learner" value="${r.userId}" />
          <button type="submit">${t.sendAgain}</button>
        </form>`
      : '';
  // The review page follows this order with [ and ] (same sort and filter).
  const review = (r: RosterRow) =>
    `${base.replace(/\/roster$/, '')}/review/${encodeURIComponent(r.userId)}${query({ sort: v.sort, ...(v.desc ? { desc: '1' } : {}) })}`;
  const cell = (r: RosterRow, c: RosterColumn) =>
    c === 'name'
      ? html`<td data-column="${c}">
          <a href="${review(r)}" data-testid="review-link">${r.name || r.lmsId}</a>
        </td>`
      : c === 'lmsGrade'
        ? html`<td data-column="${c}" data-state="${r.lmsGrade}">
            ${t.lmsStates[r.lmsGrade]} ${sendAgain(r)}
          </td>`
        : c === 'forkPath' && r.forkUrl
          ? html`<td data-column="${c}">
              <a href="${r.forkUrl}" target="_blank" rel="noopener">${r.forkPath}</a>
            </td>`
          : c === 'templateState'
            ? html`<td data-column="${c}" data-state="${r.templateState}">${t.states[r.templateState]}</td>`
            : html`<td data-column="${c}">${cellText(r, c)}</td>`;
  return page({
    title: t.title(v.assignment.title),
    lang: v.lang,
    ...(v.refreshSeconds ? { refreshSeconds: v.refreshSeconds } : {}),
    body: html`
      <h1>${t.title(v.assignment.title)}</h1>
      <p>
        <a href="/courses/${encodeURIComponent(v.courseId)}?lang=${v.lang}">${t.back}</a> ·
        <a href="${base.replace(/\/roster$/, '')}/grades?lang=${v.lang}" data-testid="grades-link"
          >${t.grades}</a
        >
      </p>
      <form method="get" action="${base}">
        <input type="hidden" name="lang" value="${v.lang}" />
        <input type="hidden" name="sort" value="${v.sort}" />
        <label>${t.filter} <input type="search" name="filter" value="${v.filter}" /></label>
        <span class="muted" data-testid="roster-count">${t.learners(v.rows.length, v.total)}</span>
        <a class="button" href="${base}.csv${query({ sort: v.sort, ...(v.desc ? { desc: '1' } : {}) })}"
          >${t.download}</a
        >
        <a href="${base}.json">${t.json}</a>
        <a
          class="button"
          data-testid="download-submissions"
          href="${base.replace(/\/roster$/, '')}/submissions.tar.gz"
          >${t.submissions}</a
        >
      </form>
      ${v.actions}
      <table data-testid="roster">
        <thead>
          <tr>
            ${rosterColumns.map(header)}
          </tr>
        </thead>
        <tbody>
          ${v.rows.map(
            (r) =>
              html`<tr data-user="${r.userId}">
                ${rosterColumns.map((c) => cell(r, c))}
              </tr>`,
          )}
        </tbody>
      </table>
    `,
  });
}
