/**
 * Just enough HTML reading for tests of labgate's own HTML: start tags with their attributes, the
 * text of an element, and the parts of a page that could run code in a browser.
 */
export interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** Where the tag starts in the HTML. */
  at: number;
}

const tagPattern = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
const attrPattern = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');

export function tags(html: string): Tag[] {
  return [...html.matchAll(tagPattern)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attrs: Object.fromEntries(
      [...m[2]!.matchAll(attrPattern)].map((a) => [a[1]!.toLowerCase(), decode(a[2] ?? a[3] ?? a[4] ?? '')]),
    ),
    at: m.index,
  }));
}

/** The text a reader sees in `html` (tags dropped, entities decoded). */
export const textOf = (html: string) => decode(html.replace(/<[^>]*>/g, ''));

/** Each `<section …>…</section>` (sections do not nest here), with its start tag's attributes. */
export function sections(html: string): Array<{ attrs: Record<string, string>; html: string }> {
  return tags(html)
    .filter((t) => t.name === 'section')
    .map((t) => ({ attrs: t.attrs, html: html.slice(t.at, html.indexOf('</section>', t.at) + 10) }));
}

/** Elements, handlers and URLs that would run code: each as a short description. */
export function liveParts(html: string): string[] {
  const found: string[] = [];
  for (const t of tags(html)) {
    if (/^(script|iframe|frame|object|embed|svg|math|style|link|meta|base|form|template)$/.test(t.name))
      found.push(`<${t.name}>`);
    for (const [name, value] of Object.entries(t.attrs)) {
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') found.push(`${t.name} ${name}`);
      // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
      const url = [...value]
        .filter((c) => c.charCodeAt(0) > 0x20)
        .join('')
        .toLowerCase();
      if (/^(href|src|action|formaction|xlink:href|poster|background)$/.test(name)) {
        if (/^(javascript|vbscript):/.test(url)) found.push(`${t.name} ${name}=${value}`);
        if (url.startsWith('data:') && !/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,/.test(url))
          found.push(`${t.name} ${name}=data`);
      }
    }
  }
  return found;
}
