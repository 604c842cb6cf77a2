import type { FastifyReply } from 'fastify';
import { commitsAt, type CommitEntity } from '../repository-reads.ts';
import { escapeHtml, sendNotFound, sendPage } from './page-layout.ts';
import { renderHunks, renderWhole } from './line-diff.ts';
import { formatDate, formatSize } from './page-texts.ts';
import { projectHead, type ProjectPage } from './project-frame.ts';
import { relinked } from './relative-links.ts';
import {
  blobContent,
  blobLineDiff,
  blobSize,
  changedFiles,
  isBinary,
  type ChangedFile,
} from './repo-browse.ts';

/** Files past the first 100, or past these sizes, are listed without their changes (as GitLab collapses them). */
const maxFiles = 100;
const maxBlob = 4 * 1024 * 1024;
const maxTotal = 32 * 1024 * 1024;

async function changes(p: ProjectPage, c: CommitEntity, f: ChangedFile, budget: { left: number }) {
  const { t, locale } = p.c;
  const note = (text: string) => `<p class="muted">${escapeHtml(text)}</p>`;
  if (f.oldMode === '160000' || f.newMode === '160000') return note(t.submodule);
  const modes =
    f.oldId && f.newId && f.oldMode !== f.newMode ? note(t.modeChanged(f.oldMode, f.newMode)) : '';
  if (f.oldId === f.newId) return modes || note(t.noChanges);
  const sizes = [f.oldId ? await blobSize(p.dir, f.oldId) : 0, f.newId ? await blobSize(p.dir, f.newId) : 0];
  budget.left -= sizes[0]! + sizes[1]!;
  if (sizes[0]! > maxBlob || sizes[1]! > maxBlob || budget.left < 0) return modes + note(t.diffTooLarge);
  const before = f.oldId ? await blobContent(p.dir, f.oldId) : undefined;
  const after = f.newId ? await blobContent(p.dir, f.newId) : undefined;
  if ((before && isBinary(before)) || (after && isBinary(after))) {
    const [a, b] = sizes.map((n) => formatSize(n, locale)) as [string, string];
    return modes + note(before && after ? t.binaryChanged(a, b) : t.binaryFile(before ? a : b));
  }
  const parent = c.parent_ids[0]?.slice(0, 8);
  const names: [string, string] = [
    parent ? `${t.before} · ${parent}` : t.before,
    `${t.after} · ${c.short_id}`,
  ];
  const rendered = p.c.renderer?.renderDiff(
    {
      oldPath: f.oldPath,
      newPath: f.newPath,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      names,
    },
    locale,
  );
  if (rendered !== undefined) return modes + relinked(rendered, p.links, c.id, f.newPath);
  if (before && after) return modes + renderHunks(await blobLineDiff(p.dir, f.oldId!, f.newId!), t);
  return renderWhole((after ?? before)!.toString('utf8'), after ? 'ins' : 'del', t);
}

async function fileSection(p: ProjectPage, c: CommitEntity, f: ChangedFile, budget: { left: number }) {
  const { t } = p.c;
  const path =
    f.status === 'renamed' ? `${escapeHtml(f.oldPath)} → ${escapeHtml(f.newPath)}` : escapeHtml(f.newPath);
  const parent = c.parent_ids[0];
  const view =
    f.status === 'deleted' ? parent && p.links.blob(parent, f.oldPath) : p.links.blob(c.id, f.newPath);
  const link = view
    ? `<span class="actions"><a href="${escapeHtml(view)}">${escapeHtml(t.viewFile)}</a></span>`
    : '';
  const body = await changes(p, c, f, budget);
  return `<details class="file" open data-testid="diff-file" data-path="${escapeHtml(f.newPath)}" data-status="${f.status}"><summary><span class="status ${f.status}">${escapeHtml(t.status[f.status])}</span><span class="path">${path}</span>${link}</summary><div class="file-body">${body}</div></details>`;
}

/** `/-/commit/<sha>`: the commit's message, and each file's changes against its (first) parent. */
export async function sendCommitPage(p: ProjectPage, reply: FastifyReply, sha: string) {
  const [c] = await commitsAt(p.dir, ['-1', sha, '--'], '');
  if (!c) return sendNotFound(reply, p.c);
  const { t, locale } = p.c;
  const files = await changedFiles(p.dir, c.id, c.parent_ids[0]);
  const budget = { left: maxTotal };
  const sections: string[] = [];
  // One file at a time: a commit of many large notebooks must not hold them all in memory at once.
  for (const f of files.slice(0, maxFiles)) sections.push(await fileSection(p, c, f, budget));
  const hidden = files.length - maxFiles;
  const rest = c.message.slice(c.title.length).trim();
  const parents = c.parent_ids
    .map((id) => `<a class="sha" href="${escapeHtml(p.links.commit(id))}">${id.slice(0, 8)}</a>`)
    .join(' + ');
  const body = `${projectHead(p, 'history', p.project.default_branch)}
<div class="box" data-testid="commit"><div class="box-head"><span>${escapeHtml(t.commit)} <span class="sha" data-testid="commit-sha">${c.id}</span></span><span class="actions">${parents ? `<span>${escapeHtml(t.parents)} ${parents}</span>` : ''}<a href="${escapeHtml(p.links.tree(c.id))}">${escapeHtml(t.browseFiles)}</a></span></div>
<div class="box-body"><h2 data-testid="commit-title">${escapeHtml(c.title)}</h2>${rest ? `<pre class="message">${escapeHtml(rest)}</pre>` : ''}<p class="meta"><strong>${escapeHtml(c.author_name)}</strong> · <time datetime="${escapeHtml(c.authored_date)}">${escapeHtml(formatDate(c.authored_date, locale))}</time></p></div></div>
<p class="meta" data-testid="changed-files">${escapeHtml(t.changedFiles(files.length))}</p>
${sections.join('\n')}
${hidden > 0 ? `<p class="muted">${escapeHtml(t.notShown(hidden))}</p>` : ''}`;
  return sendPage(reply, p.c, { title: `${c.title} · ${c.short_id} · ${p.project.name}`, body });
}
