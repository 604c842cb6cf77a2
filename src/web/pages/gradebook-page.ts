import type { GradeColumn, Gradebook, OutageState } from '../../simulator/index.ts';
import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

export type GradebookReport = ReturnType<Gradebook['snapshot']> & { outage: OutageState };
type Entry = GradebookReport['entries'][number];

const words = {
  fr: {
    title: 'Carnet de notes du LMS simulé',
    intro:
      'Les notes que labgate a renvoyées au simulateur : LTI 1.1 (Basic Outcomes) et LTI 1.3 (AGS). « Écritures » compte chaque note acceptée : une note envoyée deux fois se voit.',
    back: 'Retour au simulateur',
    json: 'Les mêmes données en JSON',
    other: 'English',
    course: 'Cours',
    link: 'lien',
    lineItem: 'ligne de notes',
    max: 'maximum',
    learner: 'Apprenant·e',
    score: 'Note',
    progress: 'Avancement',
    received: 'Reçue',
    writes: 'Écritures',
    noGrade: 'Aucune note reçue.',
    noColumn: 'Aucune colonne : lancez l’activité en tant qu’apprenant·e depuis le simulateur.',
    outage: 'Panne simulée',
    outageOn: (s: OutageState) =>
      `En cours : ${s.requestsLeft !== null ? `${s.requestsLeft} appel(s) encore en échec` : ''}${s.until ? ` jusqu’à ${s.until}` : ''} (${s.answered} déjà en échec).`,
    outageOff: 'Pas de panne : les services de notes répondent.',
    requests: 'Appels en échec (HTTP 500)',
    seconds: 'ou pendant (secondes)',
    start: 'Simuler la panne',
    end: 'Finir la panne',
    refusals: 'Appels refusés',
    noRefusal: 'Aucun refus.',
  },
  en: {
    title: 'Gradebook of the simulated LMS',
    intro:
      'The grades labgate sent back to the simulator: LTI 1.1 (Basic Outcomes) and LTI 1.3 (AGS). “Writes” counts each accepted grade: a grade sent twice shows.',
    back: 'Back to the simulator',
    json: 'The same data as JSON',
    other: 'Français',
    course: 'Course',
    link: 'link',
    lineItem: 'line item',
    max: 'maximum',
    learner: 'Learner',
    score: 'Score',
    progress: 'Progress',
    received: 'Received',
    writes: 'Writes',
    noGrade: 'No grade received.',
    noColumn: 'No column yet: launch the activity as a learner from the simulator.',
    outage: 'Simulated outage',
    outageOn: (s: OutageState) =>
      `Ongoing: ${s.requestsLeft !== null ? `${s.requestsLeft} more call(s) to fail` : ''}${s.until ? ` until ${s.until}` : ''} (${s.answered} failed so far).`,
    outageOff: 'No outage: the grade services answer.',
    requests: 'Calls to fail (HTTP 500)',
    seconds: 'or for (seconds)',
    start: 'Simulate the outage',
    end: 'End the outage',
    refusals: 'Refused calls',
    noRefusal: 'No refusal.',
  },
};
type Words = (typeof words)[Lang];

const when = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;
const points = (n: number) => String(Math.round(n * 100) / 100);

function scoreCells(e: Entry) {
  if (e.score === null)
    return html`<td>—</td>
      <td></td>`;
  const [given, max] = e.scoreGiven !== undefined ? [e.scoreGiven, e.scoreMaximum!] : [e.score, 1];
  return html`<td data-testid="points">${points(given)} / ${points(max)}</td>
    <td data-testid="percent">${points(e.score * 100)} %</td>`;
}

function columnSection(w: Words, c: GradeColumn, entries: Entry[]) {
  const kind =
    c.lti === '1.1'
      ? html`LTI 1.1 · ${w.link} <code>${c.resourceLinkId}</code>`
      : html`LTI 1.3 · ${w.lineItem} · ${w.max}
        ${c.scoreMaximum}${c.tag ? html` · tag <code>${c.tag}</code>` : ''}`;
  const row = (e: Entry) =>
    html`<tr data-testid="grade" data-user="${e.userId}" data-column="${c.id}">
      <td>${e.name ?? html`<code>${e.userId}</code>`}</td>
      ${scoreCells(e)}
      <td>${[e.activityProgress, e.gradingProgress].filter(Boolean).join(' · ')}</td>
      <td>${when(e.receivedAt)}</td>
      <td data-testid="writes">${e.writes}</td>
    </tr>`;
  return html`<section data-testid="column" data-column="${c.id}">
    <h3>${c.label}</h3>
    <p class="muted">${kind}</p>
    ${
      entries.length === 0
        ? html`<p class="muted">${w.noGrade}</p>`
        : html`<table>
            <tr>
              <th>${w.learner}</th>
              <th>${w.score}</th>
              <th>%</th>
              <th>${w.progress}</th>
              <th>${w.received}</th>
              <th>${w.writes}</th>
            </tr>
            ${entries.map(row)}
          </table>`
    }
  </section>`;
}

function outageSection(w: Words, s: OutageState) {
  return html`<h2 id="outage">${w.outage}</h2>
    <p data-testid="outage">${s.active ? w.outageOn(s) : w.outageOff}</p>
    <form method="post" action="/simulator/gradebook/outage">
      <label>${w.requests} <input type="number" name="requests" min="0" max="1000" value="3" /></label>
      <label>${w.seconds} <input type="number" name="seconds" min="0" max="86400" /></label>
      <button type="submit" data-testid="outage-start">${w.start}</button>
    </form>
    <form method="post" action="/simulator/gradebook/outage">
      <input type="hidden" name="requests" value="0" />
      <button type="submit" data-testid="outage-end">${w.end}</button>
    </form>`;
}

function refusalsSection(w: Words, refusals: GradebookReport['refusals']) {
  const newest = [...refusals].reverse();
  return html`<h2>${w.refusals}</h2>
    ${
      newest.length === 0
        ? html`<p class="muted">${w.noRefusal}</p>`
        : html`<table data-testid="refusals">
            ${newest.map(
              (r) =>
                html`<tr>
                  <td>${when(r.at)}</td>
                  <td>LTI ${r.lti}</td>
                  <td>${r.endpoint}</td>
                  <td>${r.status}</td>
                  <td><code>${r.error}</code></td>
                  <td>${r.reason}</td>
                </tr>`,
            )}
          </table>`
    }`;
}

/** The simulated LMS's gradebook: one table per column, per course, then the outage and the refusals. */
export function gradebookPage(report: GradebookReport, lang: Lang): string {
  const w = words[lang];
  const contexts = [...new Set(report.columns.map((c) => c.context))];
  return page({
    title: w.title,
    lang,
    body: html`
      <h1>${w.title}</h1>
      <p class="muted">${w.intro}</p>
      <p>
        <a href="/simulator">${w.back}</a> · <a href="/simulator/gradebook.json">${w.json}</a> ·
        <a href="/simulator/gradebook?lang=${lang === 'fr' ? 'en' : 'fr'}">${w.other}</a>
      </p>
      ${contexts.length === 0 ? html`<p class="muted" data-testid="no-column">${w.noColumn}</p>` : ''}
      ${contexts.map(
        (context) =>
          html`<h2>${w.course} <code>${context}</code></h2>
            ${report.columns
              .filter((c) => c.context === context)
              .map((c) =>
                columnSection(
                  w,
                  c,
                  report.entries.filter((e) => e.column === c.id),
                ),
              )}`,
      )}
      ${outageSection(w, report.outage)} ${refusalsSection(w, report.refusals)}
    `,
  });
}
