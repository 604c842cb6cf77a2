import type { Output } from '../documents/document.ts';
import { escapeHtml, imageTag, renderMarkdown, sanitize } from './sanitize.ts';

/** MIME types shown, best first: a rich view when it can be made safe, else the text. */
const shown = [
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'text/markdown',
  'text/plain',
] as const;

/** The MIME type `renderOutput` shows of an output, or undefined for streams, errors and unknown types. */
export const shownMime = (o: Output) => (o.type === 'data' ? shown.find((m) => m in o.data) : undefined);

/** One output as a grader sees it: sanitized HTML/Markdown, images inline, text escaped. */
export function renderOutput(o: Output): string {
  if (o.type === 'stream') return `<pre class="out">${escapeHtml(o.text)}</pre>`;
  if (o.type === 'error') return `<pre class="out err">${escapeHtml(`${o.ename}: ${o.evalue}`)}</pre>`;
  for (const mime of shown) {
    const data = o.data[mime];
    if (data === undefined) continue;
    if (mime === 'text/html') return `<div class="out html">${sanitize(data)}</div>`;
    if (mime === 'text/markdown') return `<div class="out md">${renderMarkdown(data)}</div>`;
    if (mime === 'text/plain') return `<pre class="out">${escapeHtml(data)}</pre>`;
    const img = imageTag(mime, data);
    if (img) return `<div class="out">${img}</div>`;
  }
  return `<pre class="out muted">${escapeHtml(Object.keys(o.data).join(', '))} output</pre>`;
}
