import type { Lang } from '../i18n.ts';
import { SafeHtml } from './html.ts';

const phaseNames = {
  fr: {
    fork: 'Copie de l’exercice',
    container: 'Environnement',
    server: 'Jupyter',
    clone: 'Dépôt',
    page: 'Première page',
  },
  en: {
    fork: 'Copy of the exercise',
    container: 'Environment',
    server: 'Jupyter',
    clone: 'Repository',
    page: 'First page',
  },
} as const;

const inScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * Where the launch's time goes, as one bar per phase on a common time axis (phases overlap): the
 * element, its style, and the function the progress stream's script calls with each timeline.
 */
export function timelineBars(lang: Lang) {
  const element = new SafeHtml(
    '<figure id="timeline" data-testid="launch-timeline" hidden><div class="bars"></div><figcaption class="muted"></figcaption></figure>',
  );
  const style = new SafeHtml(`
    #timeline .bar { display: grid; grid-template-columns: 9rem 1fr 4rem; gap: .5rem; font-size: .85rem; }
    #timeline .track { position: relative; height: .8rem; margin: .25rem 0; background: #eef0f3; }
    #timeline .fill { position: absolute; top: 0; bottom: 0; background: #2457c5; min-width: 2px; }
    #timeline .fill.open { background: #8aa6e0; }`);
  const script = new SafeHtml(`
const phaseNames = ${inScript(phaseNames[lang])};
const seconds = (ms) => (ms / 1000).toLocaleString(${inScript(lang)}, { maximumFractionDigits: 1 }) + ' s';
function drawTimeline(t, nowMs) {
  const figure = document.getElementById('timeline');
  if (!t || !t.phases.length) return;
  const end = Math.max(nowMs, t.readyMs || 0, ...t.phases.map((p) => p.endMs || p.startMs), 1);
  const bars = figure.querySelector('.bars');
  bars.replaceChildren(...t.phases.map((p) => {
    const row = document.createElement('div');
    row.className = 'bar';
    row.dataset.phase = p.phase;
    const name = document.createElement('span');
    name.textContent = phaseNames[p.phase] || p.phase;
    const track = document.createElement('span');
    track.className = 'track';
    const fill = document.createElement('span');
    fill.className = p.endMs === undefined ? 'fill open' : 'fill';
    fill.style.left = (100 * p.startMs / end) + '%';
    fill.style.width = (100 * ((p.endMs ?? end) - p.startMs) / end) + '%';
    track.append(fill);
    const took = document.createElement('span');
    took.textContent = p.endMs === undefined ? '…' : seconds(p.endMs - p.startMs);
    row.append(name, track, took);
    return row;
  }));
  figure.querySelector('figcaption').textContent = t.readyMs === undefined ? '' : ${inScript(lang === 'fr' ? 'Prêt en ' : 'Ready in ')} + seconds(t.readyMs);
  figure.hidden = false;
}`);
  return { element, style, script };
}
