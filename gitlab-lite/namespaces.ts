import { notFound } from './gitlab-errors.ts';
import type { Store } from './store.ts';

export interface NamespaceRow {
  id: number;
  kind: 'user' | 'group';
  name: string;
  path: string;
  full_path: string;
  parent_id: number | null;
  owner_id: number | null;
  visibility: string;
  description: string;
  created_at: string;
}

export function createPersonalNamespace(store: Store, o: { userId: number; username: string; name: string }) {
  store
    .prepare(
      `INSERT INTO namespaces (kind, name, path, full_path, owner_id, created_at) VALUES ('user', ?, ?, ?, ?, ?)`,
    )
    .run(o.name, o.username, o.username, o.userId, new Date().toISOString());
}

/** `:id` in GitLab routes: a number, or the URL-encoded full path (`course%2F2026`). */
export function findNamespace(store: Store, idOrPath: string): NamespaceRow | undefined {
  return (
    /^\d+$/.test(idOrPath)
      ? store.prepare('SELECT * FROM namespaces WHERE id = ?').get(Number(idOrPath))
      : store.prepare('SELECT * FROM namespaces WHERE full_path = ?').get(idOrPath)
  ) as NamespaceRow | undefined;
}

export function getNamespace(store: Store, idOrPath: string, what = 'Namespace'): NamespaceRow {
  const ns = findNamespace(store, idOrPath);
  if (!ns) throw notFound(what);
  return ns;
}

export const namespaceEntity = (ns: NamespaceRow, baseUrl: string) => ({
  id: ns.id,
  name: ns.name,
  path: ns.path,
  kind: ns.kind,
  full_path: ns.full_path,
  parent_id: ns.parent_id,
  avatar_url: null,
  web_url: `${baseUrl}/${ns.kind === 'group' ? 'groups/' : ''}${ns.full_path}`,
});
