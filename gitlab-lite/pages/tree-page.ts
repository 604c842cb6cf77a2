import type { FastifyReply } from 'fastify';
import { resolveCommit } from '../repository-reads.ts';
import { escapeHtml, sendNotFound, sendPage } from './page-layout.ts';
import { commitLine } from './history-page.ts';
import { relinked } from './relative-links.ts';
import { pathCrumbs, projectHead, type ProjectPage } from './project-frame.ts';
import { blobContent, isBinary, lastCommit, treeAt, type TreeEntry } from './repo-browse.ts';

/** A README larger than this is left for its own page. */
const maxReadme = 1024 * 1024;
const readmeName = /^readme(\.(md|markdown|txt))?$/i;

function row(p: ProjectPage, ref: string, e: TreeEntry): string {
  const name = escapeHtml(e.name);
  if (e.type === 'commit')
    return `<tr><td class="icon"><i class="i-module"></i></td><td>${name} <span class="muted">(${escapeHtml(p.c.t.submodule)} @ ${e.id.slice(0, 8)})</span></td></tr>`;
  const folder = e.type === 'tree';
  const href = folder ? p.links.tree(ref, e.path) : p.links.blob(ref, e.path);
  return `<tr data-type="${e.type}"><td class="icon"><i class="${folder ? 'i-folder' : 'i-file'}"></i></td><td><a href="${escapeHtml(href)}">${name}</a></td></tr>`;
}

async function readme(p: ProjectPage, ref: string, entries: TreeEntry[]): Promise<string> {
  const file = entries.find((e) => e.type === 'blob' && readmeName.test(e.name));
  if (!file) return '';
  const content = await blobContent(p.dir, file.id);
  if (content.length > maxReadme || isBinary(content)) return '';
  const rendered = p.c.renderer?.renderFile(file.path, content, p.c.locale);
  const html =
    rendered === undefined
      ? `<pre class="message">${escapeHtml(content.toString('utf8'))}</pre>`
      : relinked(rendered, p.links, ref, file.path);
  return `<div class="box" data-testid="readme"><div class="box-head"><i class="i-file"></i> <span class="path">${escapeHtml(file.name)}</span></div><div class="readme">${html}</div></div>`;
}

/** `/-/tree/<ref>/<path>` (and the project's home): the folder's entries, each a link, and its README. */
export async function sendTreePage(
  p: ProjectPage,
  reply: FastifyReply,
  at: { ref: string; sha: string; path: string },
) {
  const entries = await treeAt(p.dir, at.sha, at.path);
  if (!entries) return sendNotFound(reply, p.c);
  const { t } = p.c;
  const last = await lastCommit(p.dir, at.sha, at.path || undefined);
  const up = at.path.includes('/') ? at.path.slice(0, at.path.lastIndexOf('/')) : '';
  const parent = at.path
    ? `<tr><td class="icon"></td><td><a href="${escapeHtml(p.links.tree(at.ref, up || undefined))}" data-testid="parent-folder">..</a> <span class="muted">${escapeHtml(t.parentFolder)}</span></td></tr>`
    : '';
  const history = `<a href="${escapeHtml(p.links.commits(at.ref, at.path || undefined))}">${escapeHtml(t.history)}</a>`;
  const body = `${projectHead(p, 'files', at.ref)}
<div class="bar">${pathCrumbs(p, at.ref, at.path)}<span class="actions">${history}</span></div>
${last ? `<div class="box"><div class="box-body last-commit" data-testid="last-commit">${commitLine(p, last, 'div')}</div></div>` : ''}
<div class="box"><table class="tree" data-testid="files">${parent}${entries.map((e) => row(p, at.ref, e)).join('')}</table></div>
${await readme(p, at.ref, entries)}`;
  const title = at.path ? `${at.path} · ${p.project.name}` : p.project.name;
  return sendPage(reply, p.c, { title, body });
}

/** `/<namespace>/<project>`: the default branch's files and README, or word that the repository is empty. */
export async function sendProjectHome(p: ProjectPage, reply: FastifyReply) {
  const branch = p.project.default_branch;
  const sha = await resolveCommit(p.dir, branch);
  if (sha) return sendTreePage(p, reply, { ref: branch, sha, path: '' });
  const body = `${projectHead(p, 'files', branch)}<p class="muted" data-testid="empty-repo">${escapeHtml(p.c.t.emptyRepo)}</p>`;
  return sendPage(reply, p.c, { title: p.project.name, body });
}
