import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Access } from './access.ts';
import { isBranchName } from './git-names.ts';
import { forbidden, GitlabError, invalidParams, notFound } from './gitlab-errors.ts';
import { paginate } from './pagination.ts';
import type { ProjectRow } from './projects.ts';
import { annotation, type RefChange } from './push-data.ts';
import {
  commitAt,
  gitIn,
  readableProject,
  resolveCommit,
  str,
  type ReadableProject,
} from './repository-reads.ts';
import type { Store } from './store.ts';
import type { UserRow } from './user-entities.ts';

type RefsUpdated = (project: ProjectRow, userId: number, changes: RefChange[]) => Promise<void>;
const zeros = '0'.repeat(40);
const badRequest = (message: string) => new GitlabError(400, { message });
const format = [
  '%(refname:lstrip=2)',
  '%(objectname)',
  '%(objecttype)',
  '%(*objectname)',
  '%(taggerdate:iso-strict)',
];
const orders: Record<string, string> = {
  name: 'refname',
  updated: 'creatordate',
  version: 'version:refname',
};

interface TagRef {
  name: string;
  target: string;
  commit: string;
  annotated: boolean;
  date: string | null;
}

async function listTags(dir: string, sort: string, pattern?: string): Promise<TagRef[]> {
  const out = await gitIn(dir, [
    'for-each-ref',
    `--sort=${sort}`,
    `--format=${format.join('%00')}`,
    pattern ?? 'refs/tags',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, target, type, peeled, date] = line.split('\0') as string[];
      const annotated = type === 'tag';
      return {
        name: name!,
        target: target!,
        commit: annotated ? peeled! : target!,
        annotated,
        date: annotated ? date! : null,
      };
    });
}

/** TagsFinder's search: `^x` starts with, `x$` ends with, else contains (case-insensitive). */
function searched(name: string, search: string) {
  const n = name.toLowerCase();
  const s = search.toLowerCase();
  if (s.startsWith('^')) return n.startsWith(s.slice(1));
  if (s.endsWith('$')) return n.endsWith(s.slice(0, -1));
  return n.includes(s);
}

/** Tags (doc/api/tags.md): list, read, create (annotated with a message) and delete, API::Entities::Tag. */
export function registerRepositoryTagRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string; refsUpdated: RefsUpdated },
) {
  const entity = async (p: ReadableProject, t: TagRef) => ({
    name: t.name,
    message: t.annotated ? await annotation(p.dir, t.target) : null,
    target: t.target,
    commit: await commitAt(p.dir, t.commit, p.webUrl),
    release: null,
    protected: false,
    created_at: t.date,
  });
  const findTag = async (p: ReadableProject, name: string) =>
    (await listTags(p.dir, 'refname', `refs/tags/${name}`)).find((t) => t.name === name);
  const writer = (request: FastifyRequest) => {
    const p = readableProject(store, request, o);
    if (p.level < Access.developer || p.project.archived === 1) throw forbidden();
    return p;
  };
  const tagName = (request: FastifyRequest) => (request.params as { tag_name: string }).tag_name;

  server.get('/api/v4/projects/:id/repository/tags', async (request, reply) => {
    const p = readableProject(store, request, o);
    const q = request.query as Record<string, string | undefined>;
    const order = orders[q.order_by ?? 'updated'];
    if (!order) throw invalidParams('order_by does not have a valid value');
    if (q.sort && q.sort !== 'asc' && q.sort !== 'desc')
      throw invalidParams('sort does not have a valid value');
    const tags = (await listTags(p.dir, `${q.sort === 'asc' ? '' : '-'}${order}`)).filter(
      (t) => !q.search || searched(t.name, q.search),
    );
    return Promise.all(paginate(request, reply, o.baseUrl(), tags).map((t) => entity(p, t)));
  });

  server.get('/api/v4/projects/:id/repository/tags/:tag_name', async (request) => {
    const p = readableProject(store, request, o);
    const tag = await findTag(p, tagName(request));
    if (!tag) throw notFound('Tag');
    return entity(p, tag);
  });

  server.post('/api/v4/projects/:id/repository/tags', async (request, reply) => {
    const q = { ...(request.query as object), ...((request.body ?? {}) as object) } as Record<
      string,
      unknown
    >;
    const [name, ref] = [str(q.tag_name), str(q.ref)];
    const missing = [!name && 'tag_name is missing', !ref && 'ref is missing'].filter(Boolean);
    if (missing.length) throw invalidParams(missing.join(', '));
    const p = writer(request);
    // Tags::CreateService's checks, in its order.
    if (!isBranchName(name!)) throw badRequest('Tag name invalid');
    if (await findTag(p, name!)) throw badRequest(`Tag ${name} already exists`);
    const sha = await resolveCommit(p.dir, ref!);
    if (!sha) throw badRequest(`Target ${ref} is invalid`);
    const message = str(q.message)?.trim();
    const caller = store.prepare('SELECT * FROM users WHERE id = ?').get(p.callerId) as UserRow;
    const env = {
      ...process.env,
      GIT_COMMITTER_NAME: caller.name,
      GIT_COMMITTER_EMAIL: caller.email,
    };
    try {
      if (message) await gitIn(p.dir, ['tag', '-a', '-m', message, name!, sha], env);
      else await gitIn(p.dir, ['update-ref', `refs/tags/${name}`, sha, '']);
    } catch {
      throw badRequest(`Tag ${name} already exists`); // made meanwhile by another request
    }
    const tag = (await findTag(p, name!))!;
    await o.refsUpdated(p.project, p.callerId, [
      { before: zeros, after: tag.target, ref: `refs/tags/${name}` },
    ]);
    return reply.status(201).send(await entity(p, tag));
  });

  server.delete('/api/v4/projects/:id/repository/tags/:tag_name', async (request, reply) => {
    const p = writer(request);
    const tag = await findTag(p, tagName(request));
    if (!tag) throw notFound('Tag');
    await gitIn(p.dir, ['update-ref', '-d', `refs/tags/${tag.name}`, tag.target]);
    await o.refsUpdated(p.project, p.callerId, [
      { before: tag.target, after: zeros, ref: `refs/tags/${tag.name}` },
    ]);
    return reply.status(204).send();
  });
}
