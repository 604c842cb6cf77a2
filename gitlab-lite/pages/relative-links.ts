import { posix } from 'node:path';
import { escapeHtml } from './page-layout.ts';
import type { ProjectLinks } from './page-links.ts';

const unescape = (s: string) =>
  s.replace(
    /&(amp|quot|#39|lt|gt);/g,
    (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!,
  );

/**
 * A rendered file's relative links (`../data/x.csv`) made into those files' pages at the same ref, as on
 * GitLab; none climbs out of the repository. `html` is sanitized: its attributes are double-quoted.
 */
export function relinked(html: string, links: ProjectLinks, ref: string, file: string): string {
  return html.replace(/ href="([^"]*)"/g, (whole, value: string) => {
    const href = unescape(value);
    if (/^([a-z][a-z0-9+.-]*:|\/|#|\?)/i.test(href) || href === '') return whole;
    const [pathPart = '', fragment] = href.split('#', 2);
    let target: string;
    try {
      target = posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(pathPart)));
    } catch {
      return ' href="#"';
    }
    if (target === '..' || target.startsWith('../')) return ' href="#"';
    const page = target === '.' ? links.tree(ref) : links.blob(ref, target.replace(/\/$/, ''));
    return ` href="${escapeHtml(fragment === undefined ? page : `${page}#${fragment}`)}"`;
  });
}
