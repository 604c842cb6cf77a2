import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { mintToken, requireCaller, type Caller } from './auth.ts';
import { forbidden, GitlabError, invalidParams, notFound } from './gitlab-errors.ts';
import { createPersonalNamespace, getNamespace } from './namespaces.ts';
import { canAccess, findProjectIn, type ProjectRow } from './projects.ts';
import type { Store } from './store.ts';

type Params = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const grantable = [Access.guest, Access.reporter, Access.developer, Access.maintainer, Access.owner];

interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  scopes: string;
  revoked: number;
  created_at: string;
  expires_at: string | null;
  access_level: number;
}

const today = () => new Date().toISOString().slice(0, 10);

const entity = (t: TokenRow, projectId: number) => ({
  id: t.id,
  name: t.name,
  description: null,
  user_id: t.user_id,
  active: t.revoked === 0 && (!t.expires_at || t.expires_at > today()),
  created_at: t.created_at,
  expires_at: t.expires_at,
  revoked: t.revoked === 1,
  access_level: t.access_level,
  scopes: JSON.parse(t.scopes) as string[],
  last_used_at: null,
  resource_type: 'project',
  resource_id: projectId,
});

/**
 * Project access tokens (doc/api/project_access_tokens.md): each token is a bot user who is a member of
 * this one project only, so its token reaches nothing else. Maintainers (and admins) manage them.
 */
export function registerAccessTokenRoutes(server: FastifyInstance, store: Store) {
  const manageable = (caller: Caller, id: string): ProjectRow => {
    const project = findProjectIn(store, id);
    const ns = project && getNamespace(store, String(project.namespace_id));
    if (!project || !ns || !canAccess(store, caller, project, ns, 'see')) throw notFound('Project');
    if (projectAccess(store, caller, project, ns) < Access.maintainer) throw forbidden();
    return project;
  };

  const tokensOf = (projectId: number) =>
    store
      .prepare(
        `SELECT t.*, m.access_level FROM tokens t JOIN users u ON u.id = t.user_id
         JOIN members m ON m.user_id = u.id AND m.source_type = 'project' AND m.source_id = ?
         WHERE u.user_type = 'project_bot' ORDER BY t.id`,
      )
      .all(projectId) as TokenRow[];

  server.post('/api/v4/projects/:id/access_tokens', async (request, reply) => {
    const caller = requireCaller(store, request);
    const project = manageable(caller, (request.params as { id: string }).id);
    const p = (request.body ?? {}) as Params;
    const scopes = Array.isArray(p.scopes) ? p.scopes.map(String) : str(p.scopes) ? [str(p.scopes)!] : [];
    const missing = [!str(p.name) && 'name is missing', !scopes.length && 'scopes is missing'].filter(
      Boolean,
    );
    if (missing.length) throw invalidParams(missing.join(', '));
    const level = Number(str(p.access_level) ?? Access.maintainer);
    if (!grantable.includes(level as (typeof grantable)[number]))
      throw invalidParams('access_level does not have a valid value');
    const expiresAt = str(p.expires_at) ?? null;
    if (expiresAt && (!/^\d{4}-\d{2}-\d{2}$/.test(expiresAt) || expiresAt <= today()))
      throw new GitlabError(400, {
        message: '400 Bad request - Expiration date must be in the future',
      });
    const minted = store.transaction(() => {
      const username = `project_${project.id}_bot_${randomBytes(16).toString('hex')}`;
      const t = new Date().toISOString();
      const userId = Number(
        store
          .prepare(
            `INSERT INTO users (username, email, name, user_type, created_at, confirmed_at) VALUES (?, ?, ?, 'project_bot', ?, ?)`,
          )
          .run(username, `${username}@noreply.gitlab-lite`, str(p.name)!, t, t).lastInsertRowid,
      );
      createPersonalNamespace(store, { userId, username, name: str(p.name)! });
      store
        .prepare(
          `INSERT INTO members (source_type, source_id, user_id, access_level, expires_at, created_at) VALUES ('project', ?, ?, ?, ?, ?)`,
        )
        .run(project.id, userId, level, expiresAt, t);
      return mintToken(store, { userId, name: str(p.name)!, scopes, expiresAt, impersonation: false });
    })();
    const row = tokensOf(project.id).find((t) => t.id === minted.id)!;
    return reply.status(201).send({ ...entity(row, project.id), token: minted.token });
  });

  server.get('/api/v4/projects/:id/access_tokens', async (request) => {
    const project = manageable(requireCaller(store, request), (request.params as { id: string }).id);
    return tokensOf(project.id)
      .filter((t) => t.revoked === 0)
      .map((t) => entity(t, project.id));
  });

  server.get('/api/v4/projects/:id/access_tokens/:token_id', async (request) => {
    const params = request.params as { id: string; token_id: string };
    const project = manageable(requireCaller(store, request), params.id);
    const token = tokensOf(project.id).find((t) => String(t.id) === params.token_id);
    if (!token) throw notFound('Token');
    return entity(token, project.id);
  });

  // Revoking removes the bot from the project at once, so its token stops working everywhere.
  server.delete('/api/v4/projects/:id/access_tokens/:token_id', async (request, reply) => {
    const params = request.params as { id: string; token_id: string };
    const project = manageable(requireCaller(store, request), params.id);
    const token = tokensOf(project.id).find((t) => String(t.id) === params.token_id && t.revoked === 0);
    if (!token) throw notFound('Token');
    store.transaction(() => {
      store.prepare('UPDATE tokens SET revoked = 1 WHERE id = ?').run(token.id);
      store
        .prepare(`DELETE FROM members WHERE source_type = 'project' AND source_id = ? AND user_id = ?`)
        .run(project.id, token.user_id);
    })();
    return reply.status(204).send();
  });
}
