import type { NamespaceRow } from '../namespaces.ts';
import type { ProjectRow } from '../projects.ts';
import { escapeHtml, type PageContext } from './page-layout.ts';
import { encodePath, type ProjectLinks } from './page-links.ts';

/** A project the visitor may read, and what every one of its pages needs. */
export interface ProjectPage {
  c: PageContext;
  project: ProjectRow;
  ns: NamespaceRow;
  fullPath: string;
  dir: string;
  links: ProjectLinks;
}

/** The project's name, its namespace, and the Files / History tabs (`tab` marks the page's own). */
export function projectHead(p: ProjectPage, tab: 'files' | 'history', ref: string): string {
  const { t } = p.c;
  const nsLink =
    p.ns.kind === 'group'
      ? `<a href="${escapeHtml(`/groups/${encodePath(p.ns.full_path)}`)}">${escapeHtml(p.ns.full_path)}</a>`
      : escapeHtml(p.ns.full_path);
  const tabLink = (name: 'files' | 'history', href: string, text: string) =>
    `<a href="${escapeHtml(href)}" data-testid="tab-${name}"${tab === name ? ' class="on" aria-current="page"' : ''}>${escapeHtml(text)}</a>`;
  return `<div class="project-head"><div class="crumbs">${nsLink} / <a href="${escapeHtml(p.links.home)}">${escapeHtml(p.project.path)}</a> <span class="badge">${escapeHtml(t.visibility[p.project.visibility] ?? p.project.visibility)}</span></div>
<h1 data-testid="project-name">${escapeHtml(p.project.name)}</h1>
<nav class="tabs">${tabLink('files', p.links.tree(ref), t.files)}${tabLink('history', p.links.commits(ref), t.history)}</nav></div>`;
}

/** `ref / folder / sub / file` with a link on each folder, as above GitLab's file lists. */
export function pathCrumbs(p: ProjectPage, ref: string, path: string): string {
  const parts = path ? path.split('/') : [];
  const links = parts.map((part, i) => {
    const sub = parts.slice(0, i + 1).join('/');
    return i === parts.length - 1
      ? `<span class="path" data-testid="file-path">${escapeHtml(part)}</span>`
      : `<a href="${escapeHtml(p.links.tree(ref, sub))}">${escapeHtml(part)}</a>`;
  });
  const top = `<a href="${escapeHtml(p.links.tree(ref))}" class="path">${escapeHtml(p.project.path)}</a>`;
  return `<span class="ref" title="ref">${escapeHtml(ref)}</span> ${[top, ...links].join(' / ')}`;
}
