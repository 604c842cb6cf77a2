import type { BuildStep, ImageSetupView, NoEngineReason } from '../../workspaces/index.ts';
import type { Lang } from '../i18n.ts';
import { html, SafeHtml } from './html.ts';

const texts = {
  fr: {
    checking: 'Recherche de Docker ou Podman…',
    building: 'Préparation de JupyterLab (au premier démarrage seulement)',
    step: (i: number, of: number) => `Étape ${i}/${of} :`,
    since: (d: string) => `(depuis ${d})`,
    waiting:
      'Les apprenant·es qui se lancent maintenant attendent sur leur page de progression ; elle continue toute seule.',
    ready: 'JupyterLab est prêt : les lancements l’ouvrent.',
    builtIn: (d: string) => `Image préparée en ${d} ; les démarrages suivants la réutilisent.`,
    failed: 'JupyterLab n’a pas pu être préparé',
    fix: 'Pour corriger :',
    thenRestart: 'puis relancez labgate.',
    log: 'Le détail des outils est dans',
    off: 'Les espaces JupyterLab sont désactivés',
    reason: {
      none: 'Aucun moteur Docker ou Podman ne répond sur cette machine.',
      silent: 'Un moteur de conteneurs a un socket ici, mais il ne répond pas.',
      denied: 'labgate n’a pas le droit d’utiliser le socket du moteur de conteneurs.',
      'root-only':
        'Seul root peut utiliser le socket du moteur de conteneurs, et labgate ne tourne pas en root.',
    } satisfies Record<NoEngineReason, string>,
    withoutLab: 'Chaque apprenant·e reçoit sa copie de l’exercice dans la forge, mais pas de JupyterLab.',
    turnOn: 'Pour les activer, lancez',
    unset: ['(et retirez', ', qui désigne'],
    thenStart: 'puis relancez',
    steps: {
      system: 'système Debian avec Jupyter Server, Python et R (environ 3 min)',
      'base-image': 'création de l’image de base',
      'extension-packages': 'extension JupyterLab de labgate : paquets npm',
      'extension-build': 'extension JupyterLab de labgate : compilation',
      'frontend-packages': 'JupyterLab 4 : paquets npm (environ 1 min)',
      'frontend-build': 'JupyterLab 4 : compilation',
      image: 'assemblage de l’image',
    } satisfies Record<BuildStep, string>,
  },
  en: {
    checking: 'Looking for Docker or Podman…',
    building: 'Preparing JupyterLab (first start only)',
    step: (i: number, of: number) => `Step ${i}/${of}:`,
    since: (d: string) => `(${d} so far)`,
    waiting: 'Learners who launch now wait on their progress page; it goes on by itself.',
    ready: 'JupyterLab is ready: launches open it.',
    builtIn: (d: string) => `The image took ${d} to prepare; later starts reuse it.`,
    failed: 'JupyterLab could not be prepared',
    fix: 'To fix it:',
    thenRestart: 'then start labgate again.',
    log: 'The build tools’ own words are in',
    off: 'JupyterLab workspaces are off',
    reason: {
      none: 'No Docker or Podman engine answers on this machine.',
      silent: 'A container engine has a socket here, but it does not answer.',
      denied: 'labgate may not use the container engine’s socket.',
      'root-only': 'Only root may use the container engine’s socket, and labgate does not run as root.',
    } satisfies Record<NoEngineReason, string>,
    withoutLab: 'Learners get their copy of the exercise in the forge, but no JupyterLab.',
    turnOn: 'To turn them on, run',
    unset: ['(and unset', ', which names'],
    thenStart: 'then run',
    steps: {
      system: 'Debian system with Jupyter Server, Python and R (about 3 min)',
      'base-image': 'making it the base image',
      'extension-packages': 'labgate’s JupyterLab extension: npm packages',
      'extension-build': 'labgate’s JupyterLab extension: build',
      'frontend-packages': 'JupyterLab 4: npm packages (about 1 min)',
      'frontend-build': 'JupyterLab 4: build',
      image: 'assembling the image',
    } satisfies Record<BuildStep, string>,
  },
};

const minutes = (seconds: number) =>
  seconds < 90
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;

function body(lang: Lang, v: ImageSetupView, now: number) {
  const t = texts[lang];
  switch (v.state) {
    case 'checking':
      return html`<p>${t.checking}</p>`;
    case 'building':
      return html`<h2>${t.building}</h2>
        <p data-testid="setup-step">
          ${t.step(v.index, v.of)} ${t.steps[v.step]}…
          ${t.since(minutes(Math.round((now - v.startedAt) / 1000)))}
          ${v.fraction === undefined ? '' : html`<progress max="1" value="${v.fraction.toFixed(2)}"></progress>`}
        </p>
        <p class="muted">${t.waiting}</p>`;
    case 'ready':
      return html`<p>${t.ready}</p>
        ${v.builtSeconds === undefined ? '' : html`<p class="muted">${t.builtIn(minutes(v.builtSeconds))}</p>`}`;
    case 'failed':
      return html`<h2>${t.failed}</h2>
        <p>${v.message}</p>
        <p>${t.fix} ${v.fix} ${t.thenRestart}</p>
        ${v.log ? html`<p class="muted">${t.log} <code>${v.log}</code>.</p>` : ''}`;
    case 'no-engine':
      return html`<h2>${t.off}</h2>
        <p>${t.reason[v.reason]}</p>
        <p>${t.withoutLab}</p>
        <p>
          ${t.turnOn} <code data-testid="setup-fix">${v.fix}</code>${
            v.unset
              ? html` ${t.unset[0]} <code>DOCKER_SOCKET</code>${t.unset[1]} <code>${v.unset}</code>)`
              : ''
          },
          ${t.thenStart} <code>npm start</code>.
        </p>`;
    default: {
      const never: never = v;
      return never;
    }
  }
}

const live = (v: ImageSetupView) => v.state === 'checking' || v.state === 'building';

/** The section alone, as the page first shows it and as its script fetches it again. */
export function workspaceSetupFragment(lang: Lang, v: ImageSetupView, now = Date.now()): SafeHtml {
  return html`<section
    id="workspace-setup"
    data-testid="workspace-setup"
    data-state="${v.state}"
    data-live="${live(v) ? 'yes' : 'no'}"
  >
    ${body(lang, v, now)}
  </section>`;
}

/**
 * Where the demo's JupyterLab stands (building, ready, or off with the command that fixes it), on the
 * home pages; while it changes, the section fetches itself again every second and a half.
 */
export function workspaceSetupSection(lang: Lang, v: ImageSetupView | undefined): SafeHtml | '' {
  if (!v) return '';
  if (!live(v)) return workspaceSetupFragment(lang, v);
  const script = `(() => {
  const tick = async () => {
    const el = document.getElementById('workspace-setup');
    if (!el || el.dataset.live !== 'yes') return;
    try {
      const r = await fetch('/workspace-setup?lang=${lang}');
      const t = document.createElement('template');
      if (r.ok) { t.innerHTML = await r.text(); const fresh = t.content.firstElementChild; if (fresh) el.replaceWith(fresh); }
    } catch {}
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1500);
})();`;
  return html`${workspaceSetupFragment(lang, v)}
    <script>
      ${new SafeHtml(script)};
    </script>`;
}
