import { describe, expect, it } from 'vitest';
import type { Session } from '../identity/index.ts';
import type { Workspace } from '../workspaces/index.ts';
import { createProxyLookups } from './proxy-lookups.ts';

const session = (expiresAt: number) => ({ userId: 'ada', expiresAt }) as Session;
const workspace = (status: Workspace['status']) =>
  ({ id: 'w1', status, target: status === 'running' ? 'http://127.0.0.1:1' : undefined }) as Workspace;

function rig(o: { ttlMs?: number } = {}) {
  let clock = 1_000;
  const reads = { sessions: 0, passes: 0, workspaces: 0 };
  const rows = {
    session: session(5_000) as Session | undefined,
    workspace: workspace('running') as Workspace | undefined,
  };
  let gate: Promise<void> = Promise.resolve();
  const lookups = createProxyLookups({
    sessions: {
      // The row as the database had it when the read began, answered once `gate` opens.
      findSession: async () => {
        reads.sessions++;
        const row = rows.session;
        await gate;
        return row;
      },
    },
    passes: { findPassSession: async () => (reads.passes++, rows.session) },
    workspaces: { find: async () => (reads.workspaces++, rows.workspace) },
    now: () => clock,
    ...(o.ttlMs !== undefined ? { ttlMs: o.ttlMs } : {}),
  });
  return {
    lookups,
    reads,
    rows,
    tick: (ms: number) => (clock += ms),
    hold: () => {
      let open = () => {};
      gate = new Promise((r) => (open = r));
      return () => open();
    },
  };
}

describe('what the proxy reads per request', () => {
  it('reads a session once for the requests of a few seconds, and once for requests at the same time', async () => {
    const r = rig();
    await Promise.all([r.lookups.findSession('s'), r.lookups.findSession('s'), r.lookups.findSession('s')]);
    for (let n = 0; n < 10; n++) expect(await r.lookups.findSession('s')).toBe(r.rows.session);
    expect(r.reads.sessions).toBe(1);
  });

  it('reads again a session that ended here, and keeps nothing of a read under way when it ended', async () => {
    const r = rig();
    await r.lookups.findSession('s');
    r.lookups.sessionEnded('s');
    r.rows.session = undefined;
    expect(await r.lookups.findSession('s')).toBeUndefined();
    // A read that began before the sign-out answers its own caller, and is not kept for the next.
    r.rows.session = session(5_000);
    const release = r.hold();
    const early = r.lookups.findSession('t');
    r.lookups.sessionEnded('t');
    r.rows.session = undefined;
    release();
    expect(await early).toBeDefined();
    expect(await r.lookups.findSession('t')).toBeUndefined();
  });

  it('forgets every pass when any session ends, and never serves an expired session', async () => {
    const r = rig();
    const pass = { passes: ['p'], workspaceId: 'w1' };
    await r.lookups.findPassSession(pass);
    await r.lookups.findPassSession(pass);
    expect(r.reads.passes).toBe(1);
    r.lookups.sessionEnded('other');
    await r.lookups.findPassSession(pass);
    expect(r.reads.passes).toBe(2);
    expect(await r.lookups.findPassSession({ passes: [], workspaceId: 'w1' })).toBeUndefined();
    expect(r.reads.passes).toBe(2);
    await r.lookups.findSession('s');
    r.tick(4_001); // past the session's expiresAt (5,000)
    r.rows.session = undefined;
    expect(await r.lookups.findSession('s')).toBeUndefined();
  });

  it('keeps a running workspace only, until this process changes it', async () => {
    const r = rig();
    await r.lookups.findWorkspace('w1');
    await r.lookups.findWorkspace('w1');
    expect(r.reads.workspaces).toBe(1);
    r.rows.workspace = workspace('stopped');
    r.lookups.workspaceChanged('w1');
    expect((await r.lookups.findWorkspace('w1'))!.status).toBe('stopped');
    await r.lookups.findWorkspace('w1');
    expect(r.reads.workspaces).toBe(3);
  });

  it('sees another replica’s changes once its few seconds are over', async () => {
    const r = rig({ ttlMs: 20 });
    await r.lookups.findWorkspace('w1');
    r.rows.workspace = workspace('stopped'); // stopped by another replica: no event here
    expect((await r.lookups.findWorkspace('w1'))!.status).toBe('running');
    await new Promise((done) => setTimeout(done, 30));
    expect((await r.lookups.findWorkspace('w1'))!.status).toBe('stopped');
  });
});
