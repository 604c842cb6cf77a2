import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { forbidden, insufficientScope, notFound, unauthorized } from './gitlab-errors.ts';
import { createPersonalNamespace } from './namespaces.ts';
import type { Store } from './store.ts';

export interface Caller {
  userId: number;
  isAdmin: boolean;
  scopes: string[];
}

export const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const now = () => new Date().toISOString();

/** The instance administrator (id 1, `root`) and its personal access token from the command line. */
export function ensureRoot(store: Store, rootToken: string) {
  store
    .prepare(
      `INSERT OR IGNORE INTO users (id, username, email, name, is_admin, created_at, confirmed_at)
       VALUES (1, 'root', 'admin@example.com', 'Administrator', 1, ?, ?)`,
    )
    .run(now(), now());
  if (!store.prepare("SELECT 1 FROM namespaces WHERE kind = 'user' AND owner_id = 1").get()) {
    createPersonalNamespace(store, { userId: 1, username: 'root', name: 'Administrator' });
  }
  store.prepare('DELETE FROM tokens WHERE user_id = 1 AND name = ?').run('root token');
  store
    .prepare(
      `INSERT INTO tokens (digest, user_id, name, scopes, created_at) VALUES (?, 1, 'root token', ?, ?)`,
    )
    .run(digest(rootToken), JSON.stringify(['api', 'sudo', 'admin_mode']), now());
}

export function mintToken(
  store: Store,
  o: { userId: number; name: string; scopes: string[]; expiresAt: string | null; impersonation: boolean },
) {
  const token = `glpat-${randomBytes(15).toString('base64url')}`;
  const result = store
    .prepare(
      `INSERT INTO tokens (digest, user_id, name, scopes, impersonation, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      digest(token),
      o.userId,
      o.name,
      JSON.stringify(o.scopes),
      o.impersonation ? 1 : 0,
      now(),
      o.expiresAt,
    );
  return { id: Number(result.lastInsertRowid), token };
}

/** A token from `PRIVATE-TOKEN`, `Authorization: Bearer`, or `?private_token=` / `?access_token=`. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['private-token'];
  if (typeof header === 'string' && header) return header;
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const q = request.query as { private_token?: string; access_token?: string } | undefined;
  return q?.private_token || q?.access_token || undefined;
}

export function findCaller(store: Store, token: string): Caller | undefined {
  const row = store
    .prepare(
      `SELECT t.user_id, t.scopes, t.expires_at, u.is_admin, u.state FROM tokens t JOIN users u ON u.id = t.user_id
       WHERE t.digest = ? AND t.revoked = 0`,
    )
    .get(digest(token)) as
    | { user_id: number; scopes: string; expires_at: string | null; is_admin: number; state: string }
    | undefined;
  if (!row || row.state !== 'active') return undefined;
  if (row.expires_at && row.expires_at < new Date().toISOString().slice(0, 10)) return undefined;
  return { userId: row.user_id, isAdmin: row.is_admin === 1, scopes: JSON.parse(row.scopes) as string[] };
}

export function requireCaller(store: Store, request: FastifyRequest): Caller {
  const token = presentedToken(request);
  const caller = token ? findCaller(store, token) : undefined;
  if (!caller) throw unauthorized();
  return sudo(store, request, caller);
}

/** `Sudo:` (header or `sudo` parameter): an admin's token with the sudo scope acts as that user. */
function sudo(store: Store, request: FastifyRequest, caller: Caller): Caller {
  const header = request.headers.sudo;
  const wanted =
    (typeof header === 'string' && header) || (request.query as { sudo?: string } | undefined)?.sudo;
  if (!wanted) return caller;
  if (!caller.isAdmin) throw forbidden('Must be admin to use sudo');
  if (!caller.scopes.includes('sudo')) throw insufficientScope('sudo');
  const user = (
    /^\d+$/.test(wanted)
      ? store.prepare('SELECT id, is_admin FROM users WHERE id = ?').get(Number(wanted))
      : store.prepare('SELECT id, is_admin FROM users WHERE username = ?').get(wanted)
  ) as { id: number; is_admin: number } | undefined;
  if (!user) throw notFound(`User with ID or username '${wanted}'`);
  return { userId: user.id, isAdmin: user.is_admin === 1, scopes: caller.scopes };
}
