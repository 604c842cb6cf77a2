import type { Caller } from './auth.ts';
import type { NamespaceRow } from './namespaces.ts';
import type { ProjectRow } from './projects.ts';
import type { Store } from './store.ts';

/** GitLab's access levels (lib/gitlab/access.rb). */
export const Access = {
  none: 0,
  minimal: 5,
  guest: 10,
  planner: 15,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
  admin: 60,
} as const;

export const accessDescription: Record<number, string> = {
  0: 'No one',
  30: 'Developers + Maintainers',
  40: 'Maintainers',
  60: 'Admins',
};

function ancestors(store: Store, ns: NamespaceRow): NamespaceRow[] {
  const chain = [ns];
  let current = ns;
  while (current.parent_id) {
    current = store.prepare('SELECT * FROM namespaces WHERE id = ?').get(current.parent_id) as NamespaceRow;
    chain.push(current);
  }
  return chain;
}

/** The highest level a user holds on a namespace, from its own or any ancestor group's members. */
export function namespaceAccess(store: Store, userId: number, ns: NamespaceRow): number {
  if (ns.kind === 'user') return ns.owner_id === userId ? Access.owner : Access.none;
  const today = new Date().toISOString().slice(0, 10);
  let level: number = Access.none;
  for (const n of ancestors(store, ns)) {
    const row = store
      .prepare(
        `SELECT access_level, expires_at FROM members WHERE source_type = 'namespace' AND source_id = ? AND user_id = ?`,
      )
      .get(n.id, userId) as { access_level: number; expires_at: string | null } | undefined;
    if (row && (!row.expires_at || row.expires_at >= today)) level = Math.max(level, row.access_level);
  }
  return level;
}

/** The level a caller holds on a project: admin, direct membership, or what its namespace grants. */
export function projectAccess(
  store: Store,
  caller: Caller | undefined,
  project: ProjectRow,
  ns: NamespaceRow,
): number {
  if (!caller) return Access.none;
  if (caller.isAdmin) return Access.admin;
  const direct = store
    .prepare(
      `SELECT access_level FROM members WHERE source_type = 'project' AND source_id = ? AND user_id = ?`,
    )
    .get(project.id, caller.userId) as { access_level: number } | undefined;
  return Math.max(direct?.access_level ?? Access.none, namespaceAccess(store, caller.userId, ns));
}
