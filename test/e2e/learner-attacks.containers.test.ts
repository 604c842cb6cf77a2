import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Workspace } from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';
import { cloneUrl, rootToken, runGit } from '../support/gitlab-lite.ts';
import { startWorkspaceRig, type WorkspaceRig } from '../support/workspace-rig.ts';

// Issue 11's attacks, performed as a hostile learner would from their own JupyterLab terminal, against
// real containers: each must fail to have its effect outside the learner's own container.
const image = inject('notebookImage');
const notebook = (source: string) =>
  `${JSON.stringify({
    cells: [{ cell_type: 'code', execution_count: null, id: 'q1', metadata: {}, outputs: [], source }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  })}\n`;

let rig: WorkspaceRig;
let alice: Workspace;
let bob: Workspace;
const hostDirs: string[] = [];
const hostDir = () => {
  const dir = mkdtempSync('/tmp/labgate-attack-');
  hostDirs.push(dir);
  return dir;
};

beforeAll(async () => {
  rig = await startWorkspaceRig({
    image,
    files: { 'ex.ipynb': notebook('# answer here'), 'README.md': 'Exercise\n' },
    diskBytes: 64 << 20,
    tmpBytes: 32 << 20,
  });
  [alice, bob] = await Promise.all([rig.launch('alice'), rig.launch('bob')]);
}, 180_000);
afterAll(async () => {
  await rig?.close();
  for (const dir of hostDirs) rmSync(dir, { recursive: true, force: true });
});

const sh = (user: string, script: string) => rig.asLearner(user, ['sh', '-c', script]);

// Copies the environment of every process the learner can read, as an attacker's watcher would.
const watcher = `
import os, sys, time
seen, end = {}, time.time() + float(sys.argv[1])
while time.time() < end:
    for pid in os.listdir('/proc'):
        if pid.isdigit() and pid not in seen:
            try: seen[pid] = open('/proc/%s/environ' % pid, 'rb').read().decode('utf-8', 'replace')
            except OSError: pass
open('/tmp/seen-environ', 'w').write('\\n'.join(seen.values()))
`;

describe('a hostile learner’s repository runs nothing outside their container', () => {
  it('a nested repository’s filter and signature settings run nothing on the host; no admin token reaches the sandbox', async () => {
    const marker = hostDir();
    const script = [
      'set -e',
      'git init -q sub && cd sub',
      `git config filter.evil.clean "sh -c 'touch ${marker}/filter; cat'"`,
      `git config gpg.program "sh -c 'touch ${marker}/gpg'"`,
      'git config log.showSignature true',
      "echo '* filter=evil' > .gitattributes && echo x > x",
      'git add -A && git -c user.name=a -c user.email=a@x commit -q -m x',
      'cd .. && git update-index --add --cacheinfo 160000,$(git -C sub rev-parse HEAD),sub',
      `echo changed >> README.md`,
    ].join('\n');
    expect((await sh('alice', script)).code).toBe(0);
    // The watcher, started in the learner's container, outlives the exec that starts it.
    expect(
      (await sh('alice', `nohup python3 -c "${watcher.replaceAll('"', '\\"')}" 25 >/dev/null 2>&1 &`)).code,
    ).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    const status = (await rig.git(alice, 'status')) as { changed: Array<{ path: string }> };
    expect(status.changed.map((c) => c.path)).toContain('README.md');
    await rig.git(alice, 'commit', { message: 'mine' });
    await rig.git(alice, 'pull');
    expect(readdirSync(marker)).toEqual([]);
    await expect
      .poll(async () => (await sh('alice', 'cat /tmp/seen-environ')).code, { timeout: 40_000 })
      .toBe(0);
    const seen = (await sh('alice', 'cat /tmp/seen-environ')).out;
    expect(seen).toContain('LABGATE_GIT_TOKEN='); // the watcher did see labgate's git processes
    expect(seen).not.toContain(rootToken);
    // What it saw is a token of alice's own fork, and it no longer works.
    const tokens = [...new Set([...seen.matchAll(/LABGATE_GIT_TOKEN=([^\0\n]+)/g)].map((m) => m[1]!))];
    const forks = ((await rig.t.api.Projects.all()) as Array<{ path_with_namespace: string }>).map(
      (p) => p.path_with_namespace,
    );
    for (const token of tokens)
      for (const fork of forks) {
        const after = await runGit(['ls-remote', cloneUrl(rig.t.lite.url, fork, token)], rig.root);
        expect([fork, after.code]).not.toEqual([fork, 0]);
      }
  }, 120_000);

  it('links the learner made never lead labgate’s writes out of their folder', async () => {
    const target = hostDir();
    writeFileSync(path.join(target, 'victim.txt'), 'untouched\n');
    const script = [
      'set -e',
      `rm -rf .git/info && ln -s ${target} .git/info`,
      `ln -sf ${target}/victim.txt ex.ipynb`,
    ].join('\n');
    expect((await sh('bob', script)).code).toBe(0);
    await rig.teacherPushes({ 'ex.ipynb': notebook('# answer here (fixed)') });
    await expect(rig.git(bob, 'status')).resolves.toMatchObject({ teacherUpdates: 1 });
    await expect(rig.git(bob, 'pull')).resolves.toMatchObject({ teacherCommits: 1 });
    await expect(rig.git(bob, 'commit', { message: 'links' })).resolves.toMatchObject({ pushed: true });
    expect(readdirSync(target)).toEqual(['victim.txt']);
    expect(readFileSync(path.join(target, 'victim.txt'), 'utf8')).toBe('untouched\n');
  }, 120_000);
});

describe('a learner’s disk, and what their container can reach', () => {
  it('stops writes at the disk limit in the work folder and at the tmpfs size in /tmp, and says what to delete', async () => {
    const fill = await sh('alice', 'dd if=/dev/zero of=big.bin bs=1M count=100 2>&1; stat -c %s big.bin');
    expect(fill.out).toMatch(/No space left on device/);
    expect(Number(fill.out.trim().split('\n').pop())).toBeLessThanOrEqual(64 << 20);
    const tmp = await sh(
      'alice',
      'dd if=/dev/zero of=/tmp/big.bin bs=1M count=100 2>&1; stat -c %s /tmp/big.bin',
    );
    expect(tmp.out).toMatch(/No space left on device/);
    expect(Number(tmp.out.trim().split('\n').pop())).toBeLessThanOrEqual(32 << 20);
    await expect(rig.git(alice, 'commit', { message: 'all of it' })).rejects.toMatchObject({
      code: 'GIT_DISK_FULL',
      hint: expect.stringContaining('big.bin'),
    });
    const status = (await rig.git(alice, 'status')) as { disk: { nearlyFull: boolean } };
    expect(status.disk.nearlyFull).toBe(true);
    await sh('alice', 'rm -f big.bin /tmp/big.bin');
    await expect(rig.git(alice, 'commit', { message: 'after cleaning up' })).resolves.toMatchObject({
      pushed: true,
    });
  }, 120_000);

  it('cannot reach another workspace, nor the host’s loopback services; the forge only through labgate’s relay', async () => {
    const docker = new Docker({ socketPath: podmanSocket });
    const networks = async (ws: Workspace) =>
      Object.values((await docker.getContainer(`labgate-ws-${ws.id}`).inspect()).NetworkSettings.Networks);
    const [bobNet] = await networks(bob);
    const [aliceNet] = await networks(alice);
    const local: Server = createServer((s) => s.end('secret\n'));
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    const localPort = (local.address() as { port: number }).port;
    const forgePort = new URL(rig.t.lite.url).port;
    const probe = `
import json, socket, sys
def probe(target):
    host, port = target.rsplit(':', 1)
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
        return 'open'
    except Exception as e:
        return type(e).__name__
print(json.dumps({t: probe(t) for t in sys.argv[1:]}))`;
    const targets = [
      `${bobNet!.IPAddress}:8888`, // bob's Jupyter, on his own network
      `${aliceNet!.Gateway}:${localPort}`, // a host service on loopback, through alice's gateway
      `127.0.0.1:${localPort}`,
      `${bobNet!.Gateway}:${localPort}`,
      `labgate-forge:${forgePort}`, // the forge, relayed
    ];
    const r = await rig.asLearner('alice', ['python3', '-c', probe, ...targets]);
    local.close();
    const seen = JSON.parse(r.out) as Record<string, string>;
    expect(seen[targets[4]!]).toBe('open');
    for (const t of targets.slice(0, 4)) expect([t, seen[t]]).not.toEqual([t, 'open']);
  }, 120_000);

  it('keeps nothing of the learner’s folder on labgate’s host as files labgate could be tricked into', async () => {
    // The folder is an ext4 image mounted by the engine: nothing of it is a path on the host.
    const entries = readdirSync(rig.root).filter((f) => !f.startsWith('mirrors'));
    expect(entries.every((f) => f.endsWith('.ext4'))).toBe(true);
    expect(existsSync(path.join(rig.root, alice.id))).toBe(false);
  });
});
