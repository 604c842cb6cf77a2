import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Notebook content is the learner's: Markdown, HTML and SVG from it must never run in a grader's
 * browser. Only presentational tags and attributes survive; links keep http(s) and mailto only;
 * images only as inline data of the image types below.
 */
const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'a'),
    'a',
    'img',
    'h1',
    'h2',
    'span',
    'del',
    'ins',
    'sub',
    'sup',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    '*': ['class'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
  exclusiveFilter: (frame) =>
    frame.tag === 'img' &&
    !/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/.test(frame.attribs.src ?? ''),
};

const markdown = new MarkdownIt({ html: true, linkify: false });

export const sanitize = (html: string) => sanitizeHtml(html, policy);
export const renderMarkdown = (source: string) => sanitize(markdown.render(source));

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const base64 = /^[A-Za-z0-9+/=\s]+$/;
/** An image output as an inline <img>: PNG, JPEG and GIF from their base64; SVG as an image, never inline markup. */
export function imageTag(mime: string, data: string): string | undefined {
  if (mime === 'image/svg+xml')
    return `<img alt="SVG output" src="data:image/svg+xml;base64,${Buffer.from(data).toString('base64')}">`;
  if (['image/png', 'image/jpeg', 'image/gif'].includes(mime) && base64.test(data))
    return `<img alt="image output" src="data:${mime};base64,${data.replace(/\s+/g, '')}">`;
  return undefined;
}
