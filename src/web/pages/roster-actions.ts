import type { Lang } from '../i18n.ts';
import { html, type SafeHtml } from './html.ts';

/** A class-wide job's progress, as the roster shows it. */
export interface TaskView {
  kind: 'check' | 'update';
  total: number;
  done: number;
  failed: number;
  finished: boolean;
  error: string | undefined;
}

export interface RosterActionsView {
  lang: Lang;
  base: string;
  csrfToken: string;
  deadline: number | undefined;
  latePolicy: 'accept' | 'lock';
  /** The file learners land in; undefined: the template's first notebook. */
  openFile: string | undefined;
  task: TaskView | undefined;
  /** Said back after a form was refused or done (never markup). */
  notice: { text: string; error: boolean } | undefined;
}

const words = {
  en: {
    template: 'Template updates',
    check: 'Check forks against the template now',
    update: 'Bring forks up to date',
    updateHint:
      'Merges the template into every fork where it merges cleanly; conflicting forks are left to the learner’s Pull.',
    task: { check: 'Checking forks', update: 'Bringing forks up to date' },
    progress: (t: TaskView) => `${t.done} of ${t.total} forks${t.failed ? `, ${t.failed} failed` : ''}`,
    finished: 'finished',
    deadlines: 'Deadline and extensions',
    deadline: (d: string | undefined) => (d ? `Deadline: ${d} (UTC)` : 'No deadline yet.'),
    policy: {
      accept: 'Late pushes are accepted and marked late.',
      lock: 'Forks are locked at the deadline.',
    },
    setDeadline: 'Set the deadline',
    zone: 'Time zone',
    record: 'Record submissions now',
    extension: 'Extension for',
    who: 'learner (name, email, LMS id or GitLab user)',
    until: 'until (a date and time, or +N days)',
    grant: 'Grant the extension',
    landing: 'File learners land in',
    opens: (f: string | undefined) =>
      f ? `Learners land in ${f}.` : 'Learners land in the template’s first notebook.',
    openFile: 'path from the top of the template, e.g. notebooks/ex1.ipynb (empty: the first notebook)',
    setOpenFile: 'Change it',
    openHint: 'For first launches from now on: a learner who already has their folder keeps it as it is.',
  },
  fr: {
    template: 'Mises à jour du modèle',
    check: 'Comparer les copies au modèle maintenant',
    update: 'Mettre les copies à jour',
    updateHint:
      'Fusionne le modèle dans chaque copie où la fusion est sans conflit ; les autres attendent le « Pull » de l’apprenant·e.',
    task: { check: 'Comparaison des copies', update: 'Mise à jour des copies' },
    progress: (t: TaskView) => `${t.done} copies sur ${t.total}${t.failed ? `, ${t.failed} en échec` : ''}`,
    finished: 'terminé',
    deadlines: 'Date limite et prolongations',
    deadline: (d: string | undefined) => (d ? `Date limite : ${d} (UTC)` : 'Pas encore de date limite.'),
    policy: {
      accept: 'Les envois en retard sont acceptés et marqués en retard.',
      lock: 'Les copies sont verrouillées à la date limite.',
    },
    setDeadline: 'Fixer la date limite',
    zone: 'Fuseau horaire',
    record: 'Relever les rendus maintenant',
    extension: 'Prolongation pour',
    who: 'apprenant·e (nom, courriel, identifiant LMS ou compte GitLab)',
    until: 'jusqu’au (date et heure, ou +N jours)',
    grant: 'Accorder la prolongation',
    landing: 'Fichier ouvert à l’arrivée',
    opens: (f: string | undefined) =>
      f
        ? `Les apprenant·es arrivent dans ${f}.`
        : 'Les apprenant·es arrivent dans le premier notebook du modèle.',
    openFile:
      'chemin depuis la racine du modèle, par exemple notebooks/ex1.ipynb (vide : le premier notebook)',
    setOpenFile: 'Le changer',
    openHint: 'Pour les premiers lancements à venir : qui a déjà son dossier le garde tel quel.',
  },
} satisfies Record<Lang, unknown>;

/** The roster's forms: template updates (with live progress), the deadline, extensions. */
export function rosterActions(v: RosterActionsView): SafeHtml {
  const t = words[v.lang];
  const csrf = html`<input type="hidden" name="_csrf" value="${v.csrfToken}" />`;
  const action = (path: string, label: string, primary = false) =>
    html`<form method="post" action="${v.base}/${path}?lang=${v.lang}" style="display:inline">
      ${csrf}<button type="submit" ${primary ? html`class="primary"` : ''}>${label}</button>
    </form>`;
  const task = v.task;
  return html`
    ${
      v.notice
        ? html`<p role="${v.notice.error ? 'alert' : 'status'}" data-testid="roster-notice">
            ${v.notice.text}
          </p>`
        : ''
    }
    <fieldset>
      <legend>${t.template}</legend>
      ${action('check', t.check)} ${action('update-forks', t.update, true)}
      <p class="muted">${t.updateHint}</p>
      ${
        task
          ? html`<p data-testid="task" data-finished="${task.finished ? 'yes' : 'no'}">
              <progress max="${Math.max(task.total, 1)}" value="${task.done}"></progress>
              ${t.task[task.kind]}: ${t.progress(task)} ${task.finished ? `— ${t.finished}` : '…'}
              ${task.error ?? ''}
            </p>`
          : ''
      }
    </fieldset>
    <fieldset>
      <legend>${t.deadlines}</legend>
      <p data-testid="deadline">
        ${t.deadline(v.deadline === undefined ? undefined : new Date(v.deadline).toISOString().slice(0, 16))}
        ${t.policy[v.latePolicy]}
      </p>
      <form method="post" action="${v.base}/deadline?lang=${v.lang}">
        ${csrf}
        <input type="datetime-local" name="deadline" step="1" required aria-label="${t.setDeadline}" />
        <label>${t.zone} <input type="text" name="zone" value="UTC" style="width:10rem" /></label>
        <button type="submit">${t.setDeadline}</button>
      </form>
      <form method="post" action="${v.base}/extensions?lang=${v.lang}">
        ${csrf}
        <label>${t.extension} <input type="text" name="learner" required placeholder="${t.who}" /></label>
        <label><input type="text" name="until" required placeholder="${t.until}" /></label>
        <label>${t.zone} <input type="text" name="zone" value="UTC" style="width:10rem" /></label>
        <button type="submit">${t.grant}</button>
      </form>
      ${action('record', t.record)}
    </fieldset>
    <fieldset>
      <legend>${t.landing}</legend>
      <p data-testid="open-file">${t.opens(v.openFile)}</p>
      <form method="post" action="${v.base}/open-file?lang=${v.lang}">
        ${csrf}
        <input
          type="text"
          name="openFile"
          value="${v.openFile ?? ''}"
          maxlength="255"
          style="width:24rem"
          aria-label="${t.landing}"
          placeholder="${t.openFile}"
        />
        <button type="submit">${t.setOpenFile}</button>
      </form>
      <p class="muted">${t.openHint}</p>
    </fieldset>
  `;
}

const doneWords = {
  en: {
    check: 'Checking every fork against the template.',
    update: 'Bringing the forks up to date.',
    record: 'Submissions recorded for every learner whose deadline has passed.',
    deadline: 'Deadline set.',
    extension: 'Extension granted.',
    'open-file': 'The file learners land in is changed.',
    'send-again': 'The learner’s grade is on its way to the LMS again.',
  },
  fr: {
    check: 'Comparaison de chaque copie au modèle lancée.',
    update: 'Mise à jour des copies lancée.',
    record: 'Rendus relevés pour chaque apprenant·e dont la date limite est passée.',
    deadline: 'Date limite fixée.',
    extension: 'Prolongation accordée.',
    'open-file': 'Le fichier ouvert à l’arrivée est changé.',
    'send-again': 'La note de l’apprenant·e repart vers le LMS.',
  },
} satisfies Record<Lang, Record<string, string>>;

/** The roster's forms for a staff session, and a reload every 2 s while a class-wide job runs. */
export function rosterActionsOf(o: {
  lang: Lang;
  course: { id: string };
  assignment: {
    slug: string;
    deadline: number | undefined;
    latePolicy: 'accept' | 'lock';
    openFile: string | undefined;
  };
  session: { csrfToken: string };
  task: (Omit<TaskView, 'finished'> & { finishedAt: number | undefined }) | undefined;
  done: string | undefined;
}) {
  const base = `/courses/${encodeURIComponent(o.course.id)}/assignments/${encodeURIComponent(o.assignment.slug)}`;
  const said = o.done ? (doneWords[o.lang] as Record<string, string>)[o.done] : undefined;
  const task = o.task && { ...o.task, finished: o.task.finishedAt !== undefined };
  return {
    actions: rosterActions({
      lang: o.lang,
      base,
      csrfToken: o.session.csrfToken,
      deadline: o.assignment.deadline,
      latePolicy: o.assignment.latePolicy,
      openFile: o.assignment.openFile,
      task,
      notice: said ? { text: said, error: false } : undefined,
    }),
    refreshSeconds: task && !task.finished ? 2 : undefined,
    csrfToken: o.session.csrfToken,
  };
}
