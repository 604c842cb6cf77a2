import type { FastifyInstance } from 'fastify';
import { mintToken, requireCaller, type Caller } from './auth.ts';
import { conflict, forbidden, invalidParams, notFound, validationFailed } from './gitlab-errors.ts';
import { createPersonalNamespace } from './namespaces.ts';
import { paginate } from './pagination.ts';
import type { Store } from './store.ts';
import { userEntities, type UserRow } from './user-entities.ts';

type Params = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const truthy = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1';

// lib/gitlab/path_regex.rb: letters, digits, _ - . ; not starting with - or ., not ending in . .git .atom
const usernamePattern = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(?<!\.|\.git|\.atom)$/;

function requireAdmin(caller: Caller) {
  if (!caller.isAdmin) throw forbidden();
}

/** Grape's declared-parameter checks for POST /users, with GitLab's exact messages. */
function checkCreateParams(p: Params) {
  const missing = ['email', 'name', 'username'].filter((k) => !str(p[k]));
  if (missing.length) throw invalidParams(missing.map((k) => `${k} is missing`).join(', '));
  if (!str(p.password) && !truthy(p.reset_password) && !truthy(p.force_random_password)) {
    throw invalidParams(
      'password, reset_password, force_random_password are missing, at least one parameter must be provided',
    );
  }
  if (Boolean(str(p.extern_uid)) !== Boolean(str(p.provider))) {
    throw invalidParams('extern_uid, provider provide all or none of parameters');
  }
  const username = str(p.username)!;
  if (username.length > 255 || !usernamePattern.test(username)) {
    throw validationFailed({
      username: [
        "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'.",
      ],
    });
  }
}

export function registerUserRoutes(server: FastifyInstance, store: Store, baseUrl: () => string) {
  const entities = userEntities(store, baseUrl);
  const byId = (id: number) =>
    store.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;

  server.post('/api/v4/users', async (request, reply) => {
    requireAdmin(requireCaller(store, request));
    const p = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
    checkCreateParams(p);
    if (store.prepare('SELECT 1 FROM users WHERE email = ?').get(str(p.email))) {
      throw conflict('Email has already been taken');
    }
    if (store.prepare('SELECT 1 FROM users WHERE username = ?').get(str(p.username))) {
      throw conflict('Username has already been taken');
    }
    if (store.prepare('SELECT 1 FROM namespaces WHERE full_path = ?').get(str(p.username))) {
      throw validationFailed({ username: ['has already been taken'] });
    }
    const provider = str(p.provider);
    const externUid = str(p.extern_uid);
    if (
      provider &&
      store.prepare('SELECT 1 FROM identities WHERE provider = ? AND extern_uid = ?').get(provider, externUid)
    ) {
      throw validationFailed({ 'identities.extern_uid': ['has already been taken'] });
    }
    const t = new Date().toISOString();
    const created = store.transaction(() => {
      const id = Number(
        store
          .prepare(
            `INSERT INTO users (username, email, name, is_admin, external, can_create_group, projects_limit, created_at, confirmed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            str(p.username),
            str(p.email),
            str(p.name),
            truthy(p.admin) ? 1 : 0,
            truthy(p.external) ? 1 : 0,
            p.can_create_group === undefined || truthy(p.can_create_group) ? 1 : 0,
            str(p.projects_limit) ? Number(str(p.projects_limit)) : 100000,
            t,
            truthy(p.skip_confirmation) ? t : null,
          ).lastInsertRowid,
      );
      if (provider) {
        store
          .prepare('INSERT INTO identities (user_id, provider, extern_uid) VALUES (?, ?, ?)')
          .run(id, provider, externUid);
      }
      createPersonalNamespace(store, { userId: id, username: str(p.username)!, name: str(p.name)! });
      return id;
    })();
    return reply.status(201).send(entities.admin(byId(created)!));
  });

  server.get('/api/v4/users', async (request, reply) => {
    const caller = requireCaller(store, request);
    const q = request.query as Params;
    let rows: UserRow[];
    if (str(q.extern_uid) !== undefined && str(q.provider) !== undefined) {
      requireAdmin(caller);
      rows = store
        .prepare(
          'SELECT u.* FROM users u JOIN identities i ON i.user_id = u.id WHERE i.provider = ? AND i.extern_uid = ? ORDER BY u.id DESC',
        )
        .all(str(q.provider), str(q.extern_uid)) as UserRow[];
    } else if (str(q.username)) {
      rows = store.prepare('SELECT * FROM users WHERE username = ?').all(str(q.username)) as UserRow[];
    } else {
      rows = store.prepare('SELECT * FROM users ORDER BY id DESC').all() as UserRow[];
    }
    const render = caller.isAdmin ? entities.admin : entities.basic;
    return paginate(request, reply, baseUrl(), rows).map((u) => render(u));
  });

  server.get('/api/v4/users/:id', async (request) => {
    const caller = requireCaller(store, request);
    const id = (request.params as { id: string }).id;
    const user = /^\d+$/.test(id) ? byId(Number(id)) : undefined;
    if (!user) throw notFound('User');
    return caller.isAdmin ? entities.admin(user) : entities.basic(user);
  });

  server.get('/api/v4/user', async (request) => {
    const caller = requireCaller(store, request);
    const user = byId(caller.userId)!;
    return caller.isAdmin ? entities.admin(user) : entities.publicUser(user);
  });

  server.post('/api/v4/users/:id/impersonation_tokens', async (request, reply) => {
    requireAdmin(requireCaller(store, request));
    const id = (request.params as { id: string }).id;
    const user = /^\d+$/.test(id) ? byId(Number(id)) : undefined;
    if (!user) throw notFound('User');
    const p = (request.body ?? {}) as Params;
    const scopes = Array.isArray(p.scopes) ? p.scopes.map(String) : str(p.scopes) ? [str(p.scopes)!] : [];
    const missing = [!str(p.name) && 'name is missing', !scopes.length && 'scopes is missing'].filter(
      Boolean,
    );
    if (missing.length) throw invalidParams(missing.join(', '));
    const expiresAt = str(p.expires_at) ?? null;
    const minted = mintToken(store, {
      userId: user.id,
      name: str(p.name)!,
      scopes,
      expiresAt,
      impersonation: true,
    });
    return reply.status(201).send({
      id: minted.id,
      name: str(p.name),
      revoked: false,
      created_at: new Date().toISOString(),
      description: null,
      scopes,
      user_id: user.id,
      last_used_at: null,
      active: true,
      expires_at: expiresAt,
      impersonation: true,
      token: minted.token,
    });
  });
}
