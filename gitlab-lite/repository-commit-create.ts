import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isBranchName, isTreePath } from './git-names.ts';
import { forbidden, GitlabError } from './gitlab-errors.ts';
import type { ProjectRow } from './projects.ts';
import { checkPush } from './protected-branches.ts';
import type { RefChange } from './push-data.ts';
import { repositoryIsEmpty } from './repositories.ts';
import { statsOf } from './repository-commits.ts';
import { commitsAt, gitIn, readableProject, resolveCommit, str, truthy } from './repository-reads.ts';
import type { Store } from './store.ts';
import type { UserRow } from './user-entities.ts';

type RefsUpdated = (project: ProjectRow, userId: number, changes: RefChange[]) => Promise<void>;
type Entry = { mode: string; sha: string };
interface Action {
  action?: string;
  file_path?: string;
  previous_path?: string;
  content?: string;
  encoding?: string;
  execute_filemode?: unknown;
}

const zeros = '0'.repeat(40);
// `bad_request!(reason)` reads "400 Bad request - <reason>"; the services' errors are plain messages.
const badRequest = (reason: string) => new GitlabError(400, { message: `400 Bad request - ${reason}` });
const refused = (message: string) => new GitlabError(400, { message });
const exists = 'A file with this name already exists';
const missing = "A file with this name doesn't exist";

/** git with bytes on stdin (blobs, index lines), never through a shell. */
function gitWithInput(dir: string, args: string[], input: Buffer, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], { env: env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(Buffer.concat(err).toString('utf8'))),
    );
    child.stdin.end(input);
  });
}

/** API::Commits#validate_commits_attrs!: one message per request, GitLab's words. */
function validActions(q: Record<string, unknown>): Action[] {
  const actions = q.actions;
  if (actions === undefined || (Array.isArray(actions) && actions.length === 0)) {
    if (truthy(q.allow_empty)) return [];
    throw badRequest('Provide at least one action, or set allow_empty to true');
  }
  if (!Array.isArray(actions)) throw badRequest('actions must be an array');
  (actions as Action[]).forEach((a, i) => {
    if (!a.action) throw badRequest(`actions[${i}][action] is required`);
    if (!a.file_path) throw badRequest(`actions[${i}][file_path] is required`);
    if (!['create', 'update', 'move', 'delete', 'chmod'].includes(a.action))
      throw badRequest(`actions[${i}][action] must be one of: create, update, move, delete, chmod`);
    if (a.encoding !== undefined && a.encoding !== 'text' && a.encoding !== 'base64')
      throw badRequest(`actions[${i}][encoding] must be text or base64`);
    if (a.action === 'update' && a.content === undefined)
      throw badRequest(`actions[${i}][content] is required for update action`);
    if (a.action === 'move' && !a.previous_path)
      throw badRequest(`actions[${i}][previous_path] is required for move action`);
    if (a.action === 'chmod' && ![true, false, 'true', 'false'].includes(a.execute_filemode as never))
      throw badRequest(`actions[${i}][execute_filemode] must be a boolean`);
  });
  return actions as Action[];
}

async function treeOf(dir: string, commit: string | undefined): Promise<Map<string, Entry>> {
  const files = new Map<string, Entry>();
  if (!commit) return files;
  for (const line of (await gitIn(dir, ['ls-tree', '-r', '-z', '--full-tree', commit])).split('\0')) {
    if (!line) continue;
    const [meta, name] = line.split('\t');
    const [mode, , sha] = meta!.split(' ');
    files.set(name!, { mode: mode!, sha: sha! });
  }
  return files;
}

/** Files::MultiService on a bare repository: the actions applied to the start commit's tree. */
async function applyActions(dir: string, files: Map<string, Entry>, actions: Action[]) {
  const blob = (a: Action) =>
    gitWithInput(
      dir,
      ['hash-object', '-w', '--stdin'],
      Buffer.from(a.content ?? '', a.encoding === 'base64' ? 'base64' : 'utf8'),
    ).then((s) => s.trim());
  const exec = (a: Action, fallback: string) =>
    a.execute_filemode === undefined ? fallback : truthy(a.execute_filemode) ? '100755' : '100644';
  for (const a of actions) {
    const file = a.file_path!;
    const from = a.action === 'move' ? a.previous_path! : file;
    if (!isTreePath(file) || !isTreePath(from)) throw refused(`Invalid path: ${a.file_path}`);
    const current = files.get(from);
    if (a.action !== 'create' && !current) throw refused(missing);
    if ((a.action === 'create' || (a.action === 'move' && from !== file)) && files.has(file))
      throw refused(exists);
    if (a.action === 'delete' || a.action === 'move') files.delete(from);
    if (a.action === 'delete') continue;
    const sha =
      a.action === 'chmod' || (a.action === 'move' && a.content === undefined) ? current!.sha : await blob(a);
    files.set(file, { mode: exec(a, current?.mode ?? '100644'), sha });
  }
  const index = await mkdtemp(path.join(tmpdir(), 'gitlab-lite-index-'));
  try {
    const env = { ...process.env, GIT_INDEX_FILE: path.join(index, 'index') };
    const lines = [...files].map(([name, e]) => `${e.mode} ${e.sha}\t${name}\0`).join('');
    await gitWithInput(dir, ['update-index', '-z', '--add', '--index-info'], Buffer.from(lines), env);
    return (await gitIn(dir, ['write-tree'], env)).trim();
  } finally {
    await rm(index, { recursive: true, force: true });
  }
}

/** `POST /projects/:id/repository/commits` (doc/api/commits.md): several file actions in one commit. */
export function registerRepositoryCommitCreateRoute(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string; refsUpdated: RefsUpdated },
) {
  server.post(
    '/api/v4/projects/:id/repository/commits',
    { bodyLimit: 512 * 2 ** 20 },
    async (request, reply) => {
      const p = readableProject(store, request, o);
      const q = { ...(request.query as object), ...((request.body ?? {}) as object) } as Record<
        string,
        unknown
      >;
      const branch = str(q.branch);
      if (!branch) throw badRequest('branch is required');
      const change = { ref: `refs/heads/${branch}`, forced: false, deleting: false };
      if (!checkPush(store, { project: p.project, level: p.level, changes: [change] }).allowed)
        throw forbidden('You are not allowed to push into this branch');
      const message = str(q.commit_message);
      if (!message) throw badRequest('commit_message is required');
      const actions = validActions(q);
      const startSha = str(q.start_sha);
      if (startSha && q.start_branch !== undefined)
        throw badRequest('start_branch, start_sha are mutually exclusive');
      const startBranch = str(q.start_branch) ?? (startSha ? undefined : branch);
      // Commits::CreateService#validate!, in its order.
      const empty = repositoryIsEmpty(p.dir);
      const head = await resolveCommit(p.dir, `refs/heads/${branch}`);
      const start = startSha
        ? await resolveCommit(p.dir, startSha)
        : await resolveCommit(p.dir, `refs/heads/${startBranch}`);
      if (startSha && !start) throw refused(`Cannot find start_sha '${startSha}'`);
      if (startBranch && !empty && !start)
        throw refused('You can only create or edit files when you are on a branch');
      const different = startBranch !== branch || Boolean(startSha);
      if (!empty && different && head && !truthy(q.force))
        throw refused(
          `A branch called '${branch}' already exists. Switch to that branch in order to make changes`,
        );
      if ((empty || different) && !isBranchName(branch))
        throw refused(
          `Something went wrong when we tried to create '${branch}' for you: Branch name is invalid`,
        );
      const tree = await applyActions(p.dir, await treeOf(p.dir, empty ? undefined : start), actions);
      const user = store.prepare('SELECT * FROM users WHERE id = ?').get(p.callerId) as UserRow;
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: str(q.author_name) ?? user.name,
        GIT_AUTHOR_EMAIL: str(q.author_email) ?? user.email,
        GIT_COMMITTER_NAME: user.name,
        GIT_COMMITTER_EMAIL: user.email,
      };
      const parents = !empty && start ? ['-p', start] : [];
      const sha = (
        await gitWithInput(p.dir, ['commit-tree', tree, ...parents], Buffer.from(message), env)
      ).trim();
      try {
        await gitIn(p.dir, ['update-ref', `refs/heads/${branch}`, sha, head ?? '']);
      } catch {
        throw refused(`Could not update refs/heads/${branch}. Please refresh and try again.`);
      }
      await o.refsUpdated(p.project, user.id, [
        { before: head ?? zeros, after: sha, ref: `refs/heads/${branch}` },
      ]);
      const [commit] = await commitsAt(p.dir, ['-1', sha, '--'], p.webUrl);
      const stats = q.stats === false || q.stats === 'false' ? {} : { stats: await statsOf(p.dir, sha) };
      return reply
        .status(201)
        .send({ ...commit!, ...stats, status: null, project_id: p.project.id, last_pipeline: null });
    },
  );
}
