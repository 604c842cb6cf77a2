/** Reads the forms of a labgate page as a browser would submit them (hidden and text inputs). */

export const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const attributes = (tag: string) =>
  Object.fromEntries(
    [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), unescapeHtml(m[2]!)]),
  );

export interface PageForm {
  method: string;
  action: string;
  id: string | undefined;
  attrs: Record<string, string>;
  fields: URLSearchParams;
  /** The form's own markup, as sent (escaped). */
  markup: string;
}

export function formsOf(body: string): PageForm[] {
  return [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const attrs = attributes(m[1]!);
    const fields = new URLSearchParams();
    for (const input of m[2]!.matchAll(/<input\b([^>]*)>/g)) {
      const a = attributes(input[1]!);
      if (a.name && a.type !== 'radio') fields.append(a.name, a.value ?? '');
    }
    return {
      method: (attrs.method ?? 'get').toLowerCase(),
      action: attrs.action ?? '',
      id: attrs.id,
      attrs,
      fields,
      markup: m[0],
    };
  });
}

/** The form a page posts by itself (an LMS launch, labgate's answer to deep linking), if it has one. */
export const autoPostedForm = (body: string) =>
  /\.submit\(\)/.test(body)
    ? formsOf(body).find((f) => f.method === 'post' && f.id && body.includes(`getElementById('${f.id}')`))
    : undefined;
