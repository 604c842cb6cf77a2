/** Markup that is already safe; everything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

type Part = SafeHtml | string | number | undefined | null | false | readonly Part[];

const render = (p: Part): string =>
  p instanceof SafeHtml
    ? p.value
    : Array.isArray(p)
      ? p.map(render).join('')
      : p === undefined || p === null || p === false
        ? ''
        : escapeHtml(String(p));

/** Tagged template for pages: LMS-supplied names and titles can never inject markup. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let out = strings[0]!;
  parts.forEach((p, i) => (out += render(p) + strings[i + 1]!));
  return new SafeHtml(out);
}
