import type { Workspace } from '../../workspaces/index.ts';
import type { Lang } from '../i18n.ts';
import { html, SafeHtml } from './html.ts';
import { timelineBars } from './launch-timeline-bars.ts';
import { page } from './layout.ts';

const texts = {
  fr: {
    title: 'Préparation de votre espace',
    steps: {
      account: 'Votre compte GitLab',
      fork: 'Votre copie de l’exercice',
      clone: 'Copie du dépôt dans votre espace',
      container: 'Démarrage de votre environnement',
      ready: 'Jupyter prêt',
    },
    failed: 'La préparation a échoué',
    retry: 'Réessayer',
    noScript: 'Cette page se met à jour toute seule.',
  },
  en: {
    title: 'Preparing your workspace',
    steps: {
      account: 'Your GitLab account',
      fork: 'Your copy of the exercise',
      clone: 'Copying the repository into your workspace',
      container: 'Starting your environment',
      ready: 'Jupyter ready',
    },
    failed: 'Preparation failed',
    retry: 'Try again',
    noScript: 'This page updates itself.',
  },
} as const;

const order = ['account', 'fork', 'container', 'clone', 'ready'] as const;

/** A value as a JavaScript literal that cannot close the <script> element it sits in. */
const inScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** Live progress of a launch: each step as it happens (Server-Sent Events), an error with a retry button. */
export function launchPage(o: {
  lang: Lang;
  ws: Workspace;
  step: string;
  csrfToken: string;
  enterUrl: string;
}): string {
  const t = texts[o.lang];
  const current = order.indexOf(o.step as (typeof order)[number]);
  const bars = timelineBars(o.lang);
  const script = `${bars.script.toString()}
const steps = ${inScript(order)};
const list = document.getElementById('steps');
const error = document.getElementById('error');
const source = new EventSource(${inScript(`/launch/${o.ws.id}/events`)});
source.addEventListener('progress', (e) => {
  const ws = JSON.parse(e.data);
  drawTimeline(ws.timeline, 0);
  const at = steps.indexOf(ws.step);
  for (const li of list.children) {
    const i = steps.indexOf(li.dataset.step);
    li.dataset.state = ws.status === 'running' || i < at ? 'done' : i === at ? (ws.status === 'failed' ? 'failed' : 'active') : 'todo';
  }
  if (ws.status === 'running') { source.close(); location.replace(ws.enter || ${inScript(o.enterUrl)}); }
  if (ws.status === 'failed') { source.close(); error.hidden = false; error.querySelector('p').textContent = ws.error || ''; }
});`;
  return page({
    title: t.title,
    lang: o.lang,
    body: html`
      <h1>${t.title}</h1>
      <ol id="steps" data-testid="launch-steps">
        ${order.map(
          (s, i) =>
            html`<li
              data-step="${s}"
              data-state="${i < current ? 'done' : i === current ? (o.ws.status === 'failed' ? 'failed' : 'active') : 'todo'}"
            >
              ${t.steps[s]}
            </li>`,
        )}
      </ol>
      <div id="error" data-testid="launch-error" ${o.ws.status === 'failed' ? '' : new SafeHtml('hidden')}>
        <h2>${t.failed}</h2>
        <p>${o.ws.error ?? ''}</p>
        <form method="post" action="/launch/${o.ws.id}/retry">
          <input type="hidden" name="_csrf" value="${o.csrfToken}" />
          <button type="submit" data-testid="launch-retry">${t.retry}</button>
        </form>
      </div>
      ${bars.element}
      <p class="muted">${t.noScript}</p>
      <style>
        ${bars.style} li[data-state='done']::after {
          content: ' ✓';
          color: #080;
        }
        li[data-state='active']::after {
          content: ' …';
        }
        li[data-state='failed'] {
          color: #b00;
        }
      </style>
      <script>
        ${new SafeHtml(script)};
      </script>
    `,
  });
}
