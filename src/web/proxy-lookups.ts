import type { Session, SessionStore, WorkspacePassStore } from '../identity/index.ts';
import type { Workspace, WorkspaceStore } from '../workspaces/index.ts';

/**
 * What the workspace proxy reads on every request (the session, the workspace), kept a few seconds
 * instead of two database reads per request. This process forgets at once a session that ends here
 * (sign-out) and a workspace whose status changes here (stop, reset, cull, relaunch). Another replica's
 * sign-out or stop reaches this one within `ttlMs` at most: the price of not reading per request.
 */
export const proxyLookupTtlMs = 3_000;
const maxEntries = 10_000;

/** A bounded map of values kept `ttlMs`; a load under way when a key is forgotten is not kept. */
function briefCache<T>(ttlMs: number) {
  const kept = new Map<string, { value: T; until: number }>();
  const loading = new Map<string, Promise<T | undefined>>();
  let generation = 0;
  async function load(key: string, read: () => Promise<T | undefined>, keep: (v: T) => boolean) {
    const started = generation;
    const value = await read();
    if (value !== undefined && keep(value) && started === generation) {
      if (kept.size >= maxEntries) kept.delete(kept.keys().next().value!);
      kept.set(key, { value, until: performance.now() + ttlMs });
    }
    return value;
  }
  return {
    /** The kept value while it is `fresh`, else `read()` once for all callers (kept when `keep` says). */
    get(
      key: string,
      read: () => Promise<T | undefined>,
      o: { fresh: (v: T) => boolean; keep: (v: T) => boolean },
    ) {
      const hit = kept.get(key);
      if (hit && hit.until > performance.now() && o.fresh(hit.value)) return Promise.resolve(hit.value);
      if (hit) kept.delete(key);
      let pending = loading.get(key);
      if (!pending) {
        pending = load(key, read, o.keep).finally(() => {
          if (loading.get(key) === pending) loading.delete(key);
        });
        loading.set(key, pending);
      }
      return pending;
    },
    forget(key: string) {
      generation++;
      kept.delete(key);
      loading.delete(key);
    },
    clear() {
      generation++;
      kept.clear();
      loading.clear();
    },
  };
}

export interface ProxyLookupDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  passes: Pick<WorkspacePassStore, 'findPassSession'>;
  workspaces: Pick<WorkspaceStore, 'find'>;
  now: () => number;
  ttlMs?: number;
}

export function createProxyLookups(deps: ProxyLookupDeps) {
  const ttl = deps.ttlMs ?? proxyLookupTtlMs;
  const sessions = briefCache<Session>(ttl);
  const passes = briefCache<Session>(ttl);
  const workspaces = briefCache<Workspace>(ttl);
  const live = { fresh: (s: Session) => s.expiresAt > deps.now(), keep: () => true };
  // Only a running workspace is kept: the others are refused, rarely asked for, and change soon.
  const running = (ws: Workspace) => ws.status === 'running' && ws.target !== undefined;
  return {
    findSession: (id: string) => sessions.get(id, () => deps.sessions.findSession(id), live),
    findPassSession: (o: { passes: string[]; workspaceId: string }) =>
      o.passes.length === 0
        ? Promise.resolve(undefined)
        : passes.get(`${o.workspaceId} ${o.passes.join(' ')}`, () => deps.passes.findPassSession(o), live),
    findWorkspace: (id: string) =>
      workspaces.get(id, () => deps.workspaces.find(id), { fresh: running, keep: running }),
    /** Session `id` ended here (undefined: some session's id changed): it and every pass are read again. */
    sessionEnded(id: string | undefined) {
      if (id === undefined) sessions.clear();
      else sessions.forget(id);
      passes.clear(); // a pass is worth its session, whose id the pass cache does not know
    },
    workspaceChanged: (id: string) => workspaces.forget(id),
  };
}

export type ProxyLookups = ReturnType<typeof createProxyLookups>;
