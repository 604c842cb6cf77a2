import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyRequest } from 'fastify';
import { projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { isRefName, isTreePath } from './git-names.ts';
import { GitlabError, notFound } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { canAccess, findProjectIn, type ProjectRow } from './projects.ts';
import { repositoryPath } from './repositories.ts';
import type { Store } from './store.ts';

const exec = promisify(execFile);

/**
 * Runs git on a bare repository with arguments only (never a shell); large outputs allowed. Paths are
 * literal (a request's `:(glob)…` is a file name); refs from requests pass {@link resolveCommit} first.
 */
export async function gitIn(dir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await exec('git', ['--literal-pathspecs', '-C', dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(env ? { env } : {}),
  });
  return stdout;
}

export async function gitBuffer(dir: string, args: string[]): Promise<Buffer> {
  const { stdout } = await exec('git', ['--literal-pathspecs', '-C', dir, ...args], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

export interface ReadableProject {
  project: ProjectRow;
  fullPath: string;
  dir: string;
  level: number;
  webUrl: string;
  callerId: number;
}

/** The project in `:id` if the caller may read its code (404 otherwise, as GitLab hides it). */
export function readableProject(
  store: Store,
  request: FastifyRequest,
  o: { baseUrl: () => string; dataDir: string },
): ReadableProject {
  const caller = requireCaller(store, request);
  const project = findProjectIn(store, (request.params as { id: string }).id);
  const ns = project && getNamespace(store, String(project.namespace_id));
  if (!project || !ns || !canAccess(store, caller, project, ns, 'read_code')) throw notFound('Project');
  const fullPath = `${ns.full_path}/${project.path}`;
  return {
    project,
    fullPath,
    dir: repositoryPath(o.dataDir, fullPath),
    level: projectAccess(store, caller, project, ns),
    webUrl: `${o.baseUrl()}/${fullPath}`,
    callerId: caller.userId,
  };
}

/**
 * A ref as GitLab takes it (branch, tag or sha), resolved to a commit; undefined if there is none, or
 * if `ref` is not a name at all (an option, a revision expression): the one door for refs from requests.
 */
export async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
  if (!isRefName(ref)) return undefined;
  try {
    return (
      await gitIn(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
    ).trim();
  } catch {
    return undefined;
  }
}

/** The blob at `path` in commit `sha` (from {@link resolveCommit}), with its mode and id; undefined if none. */
export async function blobAt(dir: string, sha: string, path: string) {
  if (!isTreePath(path)) return undefined;
  const listing = await gitIn(dir, ['ls-tree', '-z', '--end-of-options', sha, '--', path]);
  const [meta, name] = listing.split('\0')[0]!.split('\t');
  const [mode, type, id] = (meta ?? '').split(' ');
  if (type !== 'blob' || name !== path || !id) return undefined;
  return { mode: mode!, id, content: await gitBuffer(dir, ['cat-file', 'blob', id]) };
}

/** `ref` from the query, else the project's default branch; 404 with GitLab's words when missing. */
export async function commitOrNotFound(p: ReadableProject, ref: string | undefined, what: string) {
  const sha = await resolveCommit(p.dir, ref ?? p.project.default_branch);
  if (!sha) throw notFound(what);
  return sha;
}

const commitFormat = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');

export type CommitEntity = Awaited<ReturnType<typeof commitsAt>>[number];

/** GitLab's Commit entity (commit/basic.json) for each commit `git log` lists with these arguments. */
export async function commitsAt(dir: string, logArgs: string[], webUrl: string, env?: NodeJS.ProcessEnv) {
  const out = await gitIn(dir, ['log', `--format=%x1e${commitFormat}`, ...logArgs], env);
  return out
    .split('\x1e')
    .slice(1)
    .map((record) => {
      const [id, parents, an, ae, ad, cn, ce, cd, message] = record.split('\0') as string[];
      const text = message!.replace(/\n+$/, '');
      return {
        id: id!,
        short_id: id!.slice(0, 8),
        created_at: cd!,
        parent_ids: parents ? parents.split(' ') : [],
        title: text.split('\n')[0]!,
        message: text,
        author_name: an!,
        author_email: ae!,
        authored_date: ad!,
        committer_name: cn!,
        committer_email: ce!,
        committed_date: cd!,
        trailers: {},
        extended_trailers: {},
        web_url: `${webUrl}/-/commit/${id}`,
      };
    });
}

export async function commitAt(dir: string, ref: string, webUrl: string): Promise<CommitEntity> {
  const [commit] = await commitsAt(dir, ['-1', '--end-of-options', ref, '--'], webUrl);
  if (!commit) throw new GitlabError(404, { message: '404 Commit Not Found' });
  return commit;
}

export const str = (v: unknown) =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
export const truthy = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1';
