import { delayText } from '../../courses/index.ts';
import type { DeliveryProgress, GradeReportRow, GradingRun } from '../../flows/index.ts';
import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

export interface GradesView {
  lang: Lang;
  courseId: string;
  assignment: { slug: string; title: string; feedbackReleasedAt: number | undefined };
  csrfToken: string;
  rows: GradeReportRow[];
  /** The latest round of FEEDBACK.md commits for this assignment, if any ran since labgate started. */
  progress: DeliveryProgress | undefined;
  /** Said back after a form was done (never markup). */
  notice: string | undefined;
  /** Grading from the web: undefined when no container engine and image are configured. */
  grading: { run: GradingRun | undefined } | undefined;
}

const words = {
  en: {
    title: 'Grades and feedback',
    roster: 'Roster',
    csv: 'Grades of this assignment (CSV)',
    courseCsv: 'Grades of every assignment (CSV)',
    feedback: 'Feedback to learners',
    releasedAt: (at: string) => `Released on ${at} (UTC).`,
    notReleased: 'Not released: learners do not see their scores and comments yet.',
    release: 'Release feedback',
    releaseHint:
      'Learners then see their scores and comments on their feedback page, each graded learner gets a FEEDBACK.md committed to their fork, and their grades are sent to the LMS.',
    withdraw: 'Withdraw feedback',
    withdrawHint:
      'Learners no longer see their feedback in labgate; the FEEDBACK.md files already committed stay in their forks, and grades already sent stay in the LMS.',
    deliveries: (done: number, total: number) =>
      `FEEDBACK.md committed for ${done} of ${total} graded learners`,
    waiting: (n: number) => `${n} waiting`,
    failed: (n: number) => `${n} failed`,
    running: 'FEEDBACK.md',
    finished: 'finished',
    retry: 'Try the failed ones again',
    lms: 'Grades in the LMS',
    send: 'Send grades to the LMS',
    sendHint:
      'Queues each graded learner’s final grade (the automatic score with the graders’ changes); each one’s status shows below and on the roster.',
    passback: (c: Record<string, number>) =>
      `Sent: ${c.sent ?? 0}, waiting: ${c.pending ?? 0}, failed: ${c.failed ?? 0}, never queued: ${c.none ?? 0}.`,
    head: ['Learner', 'Automatic', 'Final', 'Max', 'Late', 'LMS', 'FEEDBACK.md'],
    late: (t: string) => `${t} late`,
    grading: 'Automatic grading',
    grade: 'Grade submissions',
    gradeHint:
      'Runs grading.yml on each learner’s submission (the commit recorded at their deadline, else their newest) in a sandbox; grading the same commits again is instant.',
    run: (r: GradingRun) =>
      `Graded ${r.done} of ${r.total}${r.failed ? `, ${r.failed} failed` : ''}${r.unsubmitted ? `; ${r.unsubmitted} without a commit` : ''}`,
    runError: 'Grading stopped:',
    review: 'Review',
  },
  fr: {
    title: 'Notes et retours',
    roster: 'Liste de classe',
    csv: 'Notes de ce devoir (CSV)',
    courseCsv: 'Notes de tous les devoirs (CSV)',
    feedback: 'Retours aux apprenant·es',
    releasedAt: (at: string) => `Publiés le ${at} (UTC).`,
    notReleased: 'Non publiés : les apprenant·es ne voient pas encore leurs notes ni les commentaires.',
    release: 'Publier les retours',
    releaseHint:
      'Les apprenant·es voient alors leurs notes et les commentaires sur leur page de retour, chaque apprenant·e noté·e reçoit un FEEDBACK.md dans sa copie, et les notes sont envoyées au LMS.',
    withdraw: 'Retirer les retours',
    withdrawHint:
      'Les apprenant·es ne voient plus leurs retours dans labgate ; les FEEDBACK.md déjà déposés restent dans leurs copies, et les notes déjà envoyées restent dans le LMS.',
    deliveries: (done: number, total: number) =>
      `FEEDBACK.md déposé pour ${done} des ${total} apprenant·es noté·es`,
    waiting: (n: number) => `${n} en attente`,
    failed: (n: number) => `${n} en échec`,
    running: 'FEEDBACK.md',
    finished: 'terminé',
    retry: 'Réessayer les échecs',
    lms: 'Notes dans le LMS',
    send: 'Envoyer les notes au LMS',
    sendHint:
      'Met en file la note finale de chaque apprenant·e noté·e (la note automatique avec les changements des correcteur·rices) ; l’état de chacune s’affiche ci-dessous et dans la liste de classe.',
    passback: (c: Record<string, number>) =>
      `Envoyées : ${c.sent ?? 0}, en attente : ${c.pending ?? 0}, en échec : ${c.failed ?? 0}, jamais envoyées : ${c.none ?? 0}.`,
    head: ['Apprenant·e', 'Automatique', 'Finale', 'Max', 'Retard', 'LMS', 'FEEDBACK.md'],
    late: (t: string) => `${t} de retard`,
    grading: 'Correction automatique',
    grade: 'Corriger les rendus',
    gradeHint:
      'Applique grading.yml au rendu de chaque apprenant·e (le commit relevé à son échéance, sinon le plus récent) dans un bac à sable ; corriger à nouveau les mêmes commits est immédiat.',
    run: (r: GradingRun) =>
      `${r.done} corrigés sur ${r.total}${r.failed ? `, ${r.failed} en échec` : ''}${r.unsubmitted ? ` ; ${r.unsubmitted} sans commit` : ''}`,
    runError: 'Correction interrompue :',
    review: 'Relire',
  },
} satisfies Record<Lang, unknown>;

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const num = (v: number | undefined) => (v === undefined ? '' : String(v));

/** The grader's desk for one assignment: the release switch, deliveries, grades to the LMS, exports. */
export function gradesPage(v: GradesView): string {
  const t = words[v.lang];
  const base = `/courses/${encodeURIComponent(v.courseId)}/assignments/${encodeURIComponent(v.assignment.slug)}`;
  const csrf = html`<input type="hidden" name="_csrf" value="${v.csrfToken}" />`;
  const action = (path: string, label: string, primary = false) =>
    html`<form method="post" action="${base}/grades/${path}?lang=${v.lang}" style="display:inline">
      ${csrf}<button type="submit" ${primary ? html`class="primary"` : ''}>${label}</button>
    </form>`;
  const graded = v.rows.filter((r) => r.auto !== undefined);
  const deliveries = v.rows.flatMap((r) => (r.feedback ? [r] : []));
  const count = (s: string) => deliveries.filter((r) => r.feedback!.status === s).length;
  const failures = deliveries.filter((r) => r.feedback!.status === 'failed' || r.feedback!.error);
  const passback: Record<string, number> = {};
  for (const r of graded)
    passback[r.passback?.status ?? 'none'] = (passback[r.passback?.status ?? 'none'] ?? 0) + 1;
  const p = v.progress;
  const run = v.grading?.run;
  const running = run !== undefined && run.finishedAt === undefined;
  const released = v.assignment.feedbackReleasedAt;
  const body = html`
    <h1>${t.title} · ${v.assignment.title}</h1>
    <p>
      <a href="${base}/roster?lang=${v.lang}">${t.roster}</a> ·
      <a href="${base}/grades.csv" data-testid="grades-csv">${t.csv}</a> ·
      <a href="/courses/${encodeURIComponent(v.courseId)}/grades.csv">${t.courseCsv}</a>
    </p>
    ${v.notice ? html`<p role="status" data-testid="grades-notice">${v.notice}</p>` : ''}
    ${
      v.grading
        ? html`<fieldset>
            <legend>${t.grading}</legend>
            <form method="post" action="${base}/grade?lang=${v.lang}" style="display:inline">
              ${csrf}<button type="submit" class="primary" ${running ? 'disabled' : ''}>${t.grade}</button>
            </form>
            <p class="muted">${t.gradeHint}</p>
            ${
              run
                ? html`<p data-testid="grading-run" data-finished="${running ? 'no' : 'yes'}">
                    <progress max="${Math.max(run.total, 1)}" value="${run.done + run.failed}"></progress>
                    ${t.run(run)}${running ? '…' : ''}
                    ${run.error ? html`<br /><strong>${t.runError}</strong> ${run.error}` : ''}
                  </p>`
                : ''
            }
          </fieldset>`
        : ''
    }
    <fieldset>
      <legend>${t.feedback}</legend>
      <p data-testid="release-state" data-released="${released === undefined ? 'no' : 'yes'}">
        ${released === undefined ? t.notReleased : t.releasedAt(utc(released))}
      </p>
      ${
        released === undefined
          ? html`${action('release', t.release, true)}
              <p class="muted">${t.releaseHint}</p>`
          : html`${action('withdraw', t.withdraw)}
              <p class="muted">${t.withdrawHint}</p>`
      }
      <p data-testid="deliveries">
        ${t.deliveries(count('done'), deliveries.length)}${count('pending') ? `, ${t.waiting(count('pending'))}` : ''}${count('failed') ? `, ${t.failed(count('failed'))}` : ''}.
      </p>
      ${
        p
          ? html`<p
              data-testid="delivery-progress"
              data-finished="${p.finishedAt === undefined ? 'no' : 'yes'}"
            >
              <progress max="${Math.max(p.total, 1)}" value="${p.done}"></progress>
              ${t.running} ${p.done}/${p.total}${p.failed ? ` (${t.failed(p.failed)})` : ''}
              ${p.finishedAt === undefined ? '…' : `— ${t.finished}`}
            </p>`
          : ''
      }
      ${
        failures.length > 0
          ? html`<ul data-testid="delivery-failures">
                ${failures.map((r) => html`<li>${r.name || r.lmsId}: ${r.feedback!.error ?? ''}</li>`)}
              </ul>
              ${count('failed') > 0 ? action('retry', t.retry) : ''}`
          : ''
      }
    </fieldset>
    <fieldset>
      <legend>${t.lms}</legend>
      ${action('send', t.send, released !== undefined)}
      <p class="muted">${t.sendHint}</p>
      <p data-testid="passback-counts">${t.passback(passback)}</p>
    </fieldset>
    <table data-testid="grades">
      <thead>
        <tr>
          ${t.head.map((h) => html`<th>${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${v.rows.map(
          (r) =>
            html`<tr data-user="${r.userId}">
              <td>
                ${r.name || r.lmsId}
                ${
                  r.auto !== undefined
                    ? html` ·
                        <a href="${base}/review/${encodeURIComponent(r.userId)}?lang=${v.lang}"
                          >${t.review}</a
                        >`
                    : ''
                }
              </td>
              <td>${num(r.auto)}</td>
              <td>${num(r.final)}</td>
              <td>${num(r.maxScore)}</td>
              <td>${r.lateByMs === undefined ? '' : t.late(delayText(r.lateByMs))}</td>
              <td title="${r.passback?.answer ?? ''}">${r.passback?.status ?? ''}</td>
              <td>
                ${r.feedback?.status === 'done' ? (r.feedback.commitSha?.slice(0, 8) ?? '') : (r.feedback?.status ?? '')}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  `;
  return page({
    title: `${t.title} · ${v.assignment.title}`,
    lang: v.lang,
    body,
    ...((p && p.finishedAt === undefined) || running ? { refreshSeconds: 2 } : {}),
  });
}
