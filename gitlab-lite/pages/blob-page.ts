import type { FastifyReply } from 'fastify';
import { escapeHtml, sendNotFound, sendPage } from './page-layout.ts';
import { formatSize } from './page-texts.ts';
import { pathCrumbs, projectHead, type ProjectPage } from './project-frame.ts';
import { relinked } from './relative-links.ts';
import { blobContent, fileAt, isBinary, treeAt } from './repo-browse.ts';

/** Past these sizes a file is offered for download rather than drawn on the page. */
const maxRendered = 16 * 1024 * 1024;
const maxText = 2 * 1024 * 1024;
const maxImage = 8 * 1024 * 1024;
const renderable = /\.(ipynb|md|markdown|rmd|qmd)$/i;

/** PNG, JPEG, GIF and WebP by their first bytes (never SVG: it can hold script). */
export function imageType(b: Buffer): string | undefined {
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return undefined;
}

/** A text with a number before each line (blank lines keep their height). */
export function numberedLines(text: string): string {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const rows: string[] = [];
  lines.forEach((line, i) =>
    rows.push(
      `<tr><td class="ln">${i + 1}</td><td class="line">${escapeHtml(line.replace(/\r$/, ''))}</td></tr>`,
    ),
  );
  return `<table class="code" data-testid="file-content">${rows.join('')}</table>`;
}

function fileBody(
  p: ProjectPage,
  at: { ref: string; path: string },
  content: Buffer,
  o: { plain: boolean; download: string },
): string {
  const { path } = at;
  const { plain, download } = o;
  const { t, locale } = p.c;
  const size = formatSize(content.length, locale);
  if (content.length === 0) return `<div class="box-body muted">${escapeHtml(t.emptyFile)}</div>`;
  if (isBinary(content)) {
    const type = imageType(content);
    if (type && content.length <= maxImage)
      return `<div class="box-body binary"><img alt="${escapeHtml(path)}" src="data:${type};base64,${content.toString('base64')}"></div>`;
    return `<div class="box-body" data-testid="binary-file">${escapeHtml(t.binaryFile(size))} <a href="${download}">${escapeHtml(t.download)}</a></div>`;
  }
  const rendered = plain ? undefined : p.c.renderer?.renderFile(path, content, locale);
  if (rendered !== undefined)
    return `<div class="box-body" data-testid="file-rendered">${relinked(rendered, p.links, at.ref, path)}</div>`;
  if (content.length > maxText)
    return `<div class="box-body" data-testid="too-large">${escapeHtml(t.tooLarge(size))} <a href="${download}">${escapeHtml(t.download)}</a></div>`;
  return numberedLines(content.toString('utf8'));
}

/** `/-/blob/<ref>/<path>`: a file to read: notebooks and Markdown rendered, text numbered, images shown. */
export async function sendBlobPage(
  p: ProjectPage,
  reply: FastifyReply,
  at: { ref: string; sha: string; path: string },
  plain: boolean,
) {
  const file = at.path ? await fileAt(p.dir, at.sha, at.path) : undefined;
  // A folder's blob address (a relative link in a README cannot tell): its tree, as GitLab redirects.
  if (!file && at.path && (await treeAt(p.dir, at.sha, at.path)))
    return reply.redirect(p.links.tree(at.ref, at.path), 302);
  if (!file) return sendNotFound(reply, p.c);
  const { t, locale } = p.c;
  const download = escapeHtml(`${p.links.raw(at.ref, at.path)}?inline=false`);
  const name = at.path.split('/').pop()!;
  const toggle =
    p.c.renderer && renderable.test(name)
      ? `<a href="${escapeHtml(`${p.links.blob(at.ref, at.path)}${plain ? '' : '?plain=1'}`)}" data-testid="toggle-source">${escapeHtml(plain ? t.showRendered : t.showSource)}</a>`
      : '';
  const body =
    file.size > maxRendered
      ? `<div class="box-body" data-testid="too-large">${escapeHtml(t.tooLarge(formatSize(file.size, locale)))} <a href="${download}">${escapeHtml(t.download)}</a></div>`
      : fileBody(p, at, await blobContent(p.dir, file.id), { plain, download });
  const actions = `${toggle}<a href="${escapeHtml(p.links.commits(at.ref, at.path))}">${escapeHtml(t.history)}</a><a href="${escapeHtml(p.links.raw(at.ref, at.path))}">${escapeHtml(t.raw)}</a><a href="${download}">${escapeHtml(t.download)}</a>`;
  const html = `${projectHead(p, 'files', at.ref)}<div class="bar">${pathCrumbs(p, at.ref, at.path)}</div>
<div class="box"><div class="box-head"><i class="i-file"></i> <span class="path">${escapeHtml(name)}</span><span class="muted">${escapeHtml(formatSize(file.size, locale))}</span><span class="actions">${actions}</span></div>${body}</div>`;
  return sendPage(reply, p.c, { title: `${at.path} · ${p.project.name}`, body: html });
}

/**
 * `/-/raw/<ref>/<path>`: the file's bytes, never as a page of the forge's origin: text as text/plain,
 * images as themselves, anything else as a download; sandboxed and unsniffed whatever it holds.
 */
export async function sendRaw(
  p: ProjectPage,
  reply: FastifyReply,
  at: { sha: string; path: string },
  inline: boolean,
) {
  const file = at.path ? await fileAt(p.dir, at.sha, at.path) : undefined;
  if (!file) return sendNotFound(reply, p.c);
  const content = await blobContent(p.dir, file.id);
  const binary = isBinary(content);
  const type = binary ? (imageType(content) ?? 'application/octet-stream') : 'text/plain; charset=utf-8';
  const name = at.path.split('/').pop()!;
  const attach = !inline || type === 'application/octet-stream';
  return reply
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header(
      'content-disposition',
      `${attach ? 'attachment' : 'inline'}; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .type(type)
    .send(content);
}
