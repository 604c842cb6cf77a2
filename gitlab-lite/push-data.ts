import { getNamespace } from './namespaces.ts';
import { matches } from './protected-branches.ts';
import type { ProjectRow } from './projects.ts';
import { commitsAt, gitIn } from './repository-reads.ts';
import type { Store } from './store.ts';
import type { UserRow } from './user-entities.ts';

/** One ref a push (or an API write) moved, as git's post-receive reports it. */
export interface RefChange {
  before: string;
  after: string;
  ref: string;
}

export const isBlank = (sha: string) => /^0+$/.test(sha);
export const refKind = (ref: string) =>
  ref.startsWith('refs/heads/') ? 'branch' : ref.startsWith('refs/tags/') ? 'tag' : undefined;
export const shortRef = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, '');
/** Git::ProcessRefChangesService's grouping: a ref is created, removed or pushed. */
export const changeAction = (c: RefChange) =>
  isBlank(c.before) ? 'created' : isBlank(c.after) ? 'removed' : 'pushed';

// BaseHooksService::PROCESS_COMMIT_LIMIT: commits beyond it are counted, not listed.
const processLimit = 100;

/**
 * The commits a change brings, oldest first (at most 100), and how many there are in all, as
 * Git::BranchHooksService and TagHooksService count them.
 */
export async function changeCommits(dir: string, project: ProjectRow, c: RefChange) {
  if (isBlank(c.after)) return { shas: [] as string[], count: 0 };
  if (refKind(c.ref) === 'tag') {
    const sha = await gitIn(dir, ['rev-parse', '--verify', '--quiet', `${c.after}^{commit}`]).then(
      (out) => out.trim(),
      () => '', // a tag of a tree or a blob
    );
    return { shas: sha ? [sha] : [], count: sha ? 1 : 0 };
  }
  const range = [c.after];
  if (!isBlank(c.before)) range.push(`^${c.before}`);
  else if (shortRef(c.ref) !== project.default_branch) {
    // A new branch: what its default branch does not have (all of it when there is none yet).
    const base = `refs/heads/${project.default_branch}`;
    const hasBase = await gitIn(dir, ['rev-parse', '--verify', '--quiet', base]).then(
      () => true,
      () => false,
    );
    if (hasBase) range.push(`^${base}`);
  }
  const listed = (await gitIn(dir, ['rev-list', `--max-count=${processLimit + 1}`, ...range, '--']))
    .split('\n')
    .filter(Boolean);
  const count =
    listed.length <= processLimit
      ? listed.length
      : Number((await gitIn(dir, ['rev-list', '--count', ...range, '--'])).trim());
  return { shas: listed.slice(0, processLimit).reverse(), count };
}

/** Commit#repo_changes: paths against the first parent, a rename counted as added. */
async function repoChanges(dir: string, sha: string, parent: string | undefined) {
  const args = ['diff-tree', '-r', '-z', '--no-commit-id', '--name-status', '-M'];
  const out = await gitIn(dir, parent ? [...args, parent, sha] : [...args, '--root', sha]);
  const fields = out.split('\0').filter(Boolean);
  const changes = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
  for (let i = 0; i < fields.length; i++) {
    const status = fields[i]![0];
    if (status === 'R' || status === 'C') {
      changes.added.push(fields[i + 2]!);
      i += 2;
    } else {
      const file = fields[++i]!;
      (status === 'A' ? changes.added : status === 'D' ? changes.removed : changes.modified).push(file);
    }
  }
  return changes;
}

/** An annotated tag's message; null for a lightweight tag (a commit). */
export async function annotation(dir: string, object: string): Promise<string | null> {
  if ((await gitIn(dir, ['cat-file', '-t', object])).trim() !== 'tag') return null;
  const raw = await gitIn(dir, ['cat-file', 'tag', object]);
  return raw.slice(raw.indexOf('\n\n') + 2).trim();
}

const visibilityLevel: Record<string, number> = { private: 0, internal: 10, public: 20 };

/** Project#hook_attrs with its backward-compatible keys. */
function projectAttrs(store: Store, p: ProjectRow, baseUrl: string) {
  const ns = getNamespace(store, String(p.namespace_id));
  const fullPath = `${ns.full_path}/${p.path}`;
  const web = `${baseUrl}/${fullPath}`;
  const ssh = `git@${new URL(baseUrl).hostname}:${fullPath}.git`;
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    web_url: web,
    avatar_url: null,
    git_ssh_url: ssh,
    git_http_url: `${web}.git`,
    namespace: ns.name,
    visibility_level: visibilityLevel[p.visibility] ?? 0,
    path_with_namespace: fullPath,
    default_branch: p.default_branch,
    ci_config_path: null,
    homepage: web,
    url: ssh,
    ssh_url: ssh,
    http_url: `${web}.git`,
  };
}

/** Gitlab::DataBuilder::Push.build: the Push Hook (or Tag Push Hook) body for one ref change. */
export async function pushHookBody(
  store: Store,
  o: { dir: string; baseUrl: string; project: ProjectRow; user: UserRow; change: RefChange },
) {
  const { change: c, project: p } = o;
  const tag = refKind(c.ref) === 'tag';
  const { shas, count } = await changeCommits(o.dir, p, c);
  const newest = shas.slice(-20);
  const attrs = projectAttrs(store, p, o.baseUrl);
  const commits = newest.length
    ? await commitsAt(o.dir, ['--no-walk=unsorted', ...newest, '--'], attrs.web_url)
    : [];
  const tagMessage = tag && !isBlank(c.after) ? await annotation(o.dir, c.after) : null;
  const rules = store.prepare('SELECT name FROM protected_branches WHERE project_id = ?').all(p.id) as Array<{
    name: string;
  }>;
  return {
    object_kind: tag ? 'tag_push' : 'push',
    event_name: tag ? 'tag_push' : 'push',
    before: c.before,
    after: c.after,
    ref: c.ref,
    ref_protected: !tag && rules.some((r) => matches(r.name, shortRef(c.ref))),
    checkout_sha: isBlank(c.after) ? null : tag ? (shas[0] ?? null) : c.after,
    message: tagMessage,
    user_id: o.user.id,
    user_name: o.user.name,
    user_username: o.user.username,
    user_email: '', // the public email, which gitlab-lite users do not set
    user_avatar: null,
    project_id: p.id,
    project: attrs,
    commits: await Promise.all(
      commits.map(async (cm) => ({
        id: cm.id,
        message: cm.message,
        title: cm.title,
        timestamp: cm.committed_date,
        url: cm.web_url,
        author: { name: cm.author_name, email: cm.author_email },
        ...(await repoChanges(o.dir, cm.id, cm.parent_ids[0])),
      })),
    ),
    total_commits_count: count,
    push_options: {},
    repository: {
      name: attrs.name,
      url: attrs.url,
      description: attrs.description,
      homepage: attrs.homepage,
      git_http_url: attrs.git_http_url,
      git_ssh_url: attrs.git_ssh_url,
      visibility_level: attrs.visibility_level,
    },
  };
}
