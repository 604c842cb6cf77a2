import type { FastifyInstance } from 'fastify';
import { requireCaller } from './auth.ts';
import { canAccess, findProjectIn } from './projects.ts';
import { getNamespace } from './namespaces.ts';
import { repositoryPath } from './repositories.ts';
import { commitsAt, gitIn, readableProject, resolveCommit, str, truthy } from './repository-reads.ts';
import { invalidParams, notFound } from './gitlab-errors.ts';
import type { Store } from './store.ts';

interface FileDiff {
  old_path: string;
  new_path: string;
  a_mode: string;
  b_mode: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  diff: string;
}

/** `git diff` output cut per file into GitLab's diff entries; `diff` starts at the first hunk. */
function parseDiff(out: string): FileDiff[] {
  return out
    .split(/^diff --git /m)
    .slice(1)
    .map((chunk) => {
      const lines = chunk.split('\n');
      const header = lines.slice(
        0,
        lines.findIndex((l) => l.startsWith('@@') || l.startsWith('Binary')),
      );
      const field = (prefix: string) => header.find((l) => l.startsWith(prefix))?.slice(prefix.length);
      const [, a = '', b = ''] = /^a\/(.*) b\/(.*)$/.exec(lines[0]!) ?? [];
      const index = field('index ')?.split(' ')[1];
      const newMode = field('new file mode ');
      const deletedMode = field('deleted file mode ');
      const hunks = chunk.slice(chunk.indexOf('\n@@') + 1);
      return {
        old_path: field('rename from ') ?? a,
        new_path: field('rename to ') ?? b,
        a_mode: newMode ? '0' : (field('old mode ') ?? deletedMode ?? index ?? '100644'),
        b_mode: deletedMode ? '0' : (field('new mode ') ?? newMode ?? index ?? '100644'),
        new_file: Boolean(newMode),
        renamed_file: field('rename from ') !== undefined,
        deleted_file: Boolean(deletedMode),
        diff: chunk.includes('\n@@') ? hunks : '',
      };
    });
}

/** `GET …/repository/compare` (doc/api/repositories.md), also across a fork and its template. */
export function registerRepositoryCompareRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  server.get('/api/v4/projects/:id/repository/compare', async (request) => {
    const p = readableProject(store, request, o);
    const q = request.query as Record<string, unknown>;
    const from = str(q.from);
    const to = str(q.to);
    const missing = [!from && 'from is missing', !to && 'to is missing'].filter(Boolean);
    if (missing.length) throw invalidParams(missing.join(', '));
    // from_project_id: `from` is read in that project (a template), `to` in this one (a fork).
    const other = str(q.from_project_id) ? findProjectIn(store, str(q.from_project_id)!) : undefined;
    const otherNs = other && getNamespace(store, String(other.namespace_id));
    // The other project's code is read too: the caller must be allowed to, as GitLab checks.
    if (
      str(q.from_project_id) &&
      (!other || !otherNs || !canAccess(store, requireCaller(store, request), other, otherNs, 'read_code'))
    )
      throw notFound('Project');
    const fromDir = other ? repositoryPath(o.dataDir, `${otherNs!.full_path}/${other.path}`) : p.dir;
    const fromSha = await resolveCommit(fromDir, from!);
    const toSha = await resolveCommit(p.dir, to!);
    const sameRef = from === to;
    const web = `${p.webUrl}/-/compare/${from}...${to}`;
    if (!fromSha || !toSha) {
      return {
        commit: null,
        commits: [],
        diffs: [],
        compare_timeout: false,
        compare_same_ref: sameRef,
        web_url: web,
      };
    }
    // A fork's template may have moved on since the fork: let git see the template's objects too.
    const env = other
      ? { ...process.env, GIT_ALTERNATE_OBJECT_DIRECTORIES: `${fromDir}/objects` }
      : undefined;
    const base = truthy(q.straight)
      ? fromSha
      : (await gitIn(p.dir, ['merge-base', fromSha, toSha], env).catch(() => fromSha)).trim();
    const commits = await commitsAt(p.dir, ['--reverse', `${base}..${toSha}`, '--'], p.webUrl, env);
    const diffs = parseDiff(
      await gitIn(p.dir, ['diff', '-M', '--no-color', '--full-index', base, toSha], env),
    );
    return {
      commit: commits.at(-1) ?? null,
      commits,
      diffs,
      compare_timeout: false,
      compare_same_ref: sameRef,
      web_url: web,
    };
  });
}
