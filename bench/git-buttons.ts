/**
 * The git buttons' latency: Status, Commit & push and Pull on the demo notebook, through labgate's git
 * API into the learner's sandbox (an exec in their container), against the same operations done the way
 * labgate did them before issue 11 (git run by labgate on the host folder), run in the same process:
 * the earlier gitops code is taken from git history (REFERENCE_COMMIT). Needs root, Podman and the
 * test image (`bash scripts/ensure-containers.sh`, `bash scripts/build-notebook-image.sh`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signLti11Launch } from '../src/simulator/index.ts';
import { startBenchDemo } from './bench-demo.ts';

const referenceCommit = process.env.REFERENCE_COMMIT ?? 'fdfc252';
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.resolve(import.meta.dirname, '..');
const demo = await startBenchDemo('git');
const { app, base, dir } = demo;
const secret = (await app.services.consumers.findConsumer('labgate-demo'))!.secrets[0]!;
const forgeToken = readFileSync(path.join(dir, 'gitlab-lite', 'root-token'), 'utf8').trim();
const trace = (what: string) => process.env.BENCH_DEBUG && console.error(`… ${what}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// Async: the embedded forge answers from this same process, so a blocking git would wait forever.
const git = (args: string[], cwd: string) =>
  promisify(execFile)('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@x',
    },
  });

/** An LTI launch of a learner, to their running workspace; its id and session cookie. */
async function launch(user: string) {
  const fields = signLti11Launch({
    launchUrl: `${base}/lti/launch`,
    consumerKey: 'labgate-demo',
    secret,
    nowSeconds: Math.floor(Date.now() / 1000),
    params: [
      ['lti_message_type', 'basic-lti-launch-request'],
      ['lti_version', 'LTI-1p0'],
      ['user_id', user],
      ['lis_person_name_full', user],
      ['roles', 'Learner'],
      ['context_id', 'course-v1:labgate+RR101+demo'],
      ['context_title', 'Recherche reproductible (démo)'],
      ['resource_link_id', 'bench'],
      ['custom_assignment', 'exercise-1'],
    ],
  });
  const res = await fetch(`${base}/lti/launch`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  const cookie = `labgate_session=${/labgate_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]}`;
  // The launch goes on to /launch/continue, which sends the learner to their workspace's /launch/<id>.
  const onward = await fetch(new URL(res.headers.get('location') ?? '/', base), {
    headers: { cookie },
    redirect: 'manual',
  });
  const id = /\/launch\/([0-9a-f]{20})/.exec(onward.headers.get('location') ?? '')?.[1];
  if (!id) throw new Error(`${user}: no workspace after the launch (${onward.headers.get('location')})`);
  for (;;) {
    const ws = await app.services.workspaces.find(id);
    if (ws?.status === 'running') {
      return { id, cookie };
    }
    if (ws?.status === 'failed') throw new Error(ws.error);
    trace(`${user} ${ws?.status} ${ws?.step}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const teacherDir = path.join(dir, 'teacher');

try {
  const learner = await launch('bench-git-new');
  trace('launched');
  const api = async (op: string, body: unknown = {}) => {
    const started = performance.now();
    const r = await fetch(`${base}/user/${learner.id}/git-api/${op}`, {
      method: 'POST',
      headers: { cookie: learner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.status !== 200) throw new Error(`${op}: ${r.status} ${await r.text()}`);
    await r.json();
    return performance.now() - started;
  };
  const jupyterPut = (name: string) =>
    fetch(`${base}/user/${learner.id}/api/contents/${name}`, {
      method: 'PUT',
      headers: { cookie: learner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'file', format: 'text', content: `${name}\n` }),
    });

  trace('jupyter ready');
  // The reference: the gitops code of REFERENCE_COMMIT, git on a host folder, as labgate did it.
  const refSrc = path.join(root, '.bench-reference');
  rmSync(refSrc, { recursive: true, force: true });
  execFileSync(
    'sh',
    ['-c', `mkdir -p "${refSrc}" && git archive ${referenceCommit} src | tar -x -C "${refSrc}"`],
    { cwd: root },
  );
  const old = (await import(path.join(refSrc, 'src/gitops/index.ts'))) as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  await launch('bench-git-reference');
  const forks = (
    await app.services.db.selectFrom('provisionings').select(['user_id', 'state']).execute()
  ).map((j) => ({
    user: j.user_id,
    fork: (JSON.parse(j.state) as { fork?: { httpUrl: string; defaultBranch: string } }).fork,
  }));
  const reference =
    forks.find((f) => f.fork && f.fork.httpUrl.includes('reference'))?.fork ??
    forks.filter((f) => f.fork)[1]!.fork!;
  const forge = new URL(reference.httpUrl).origin;
  trace('reference imported');
  const hostDir = path.join(dir, 'reference-clone');
  const withToken = (url: string) => {
    const u = new URL(url);
    u.username = 'root';
    u.password = forgeToken;
    return u.href;
  };
  await git(['clone', '-q', withToken(reference.httpUrl), hostDir], dir);
  const token = async () => forgeToken;
  const repo = {
    ctx: { dir: hostDir, author: { name: 'Ref', email: 'ref@x' } },
    origin: { url: reference.httpUrl, branch: reference.defaultBranch, token },
    template: { url: `${forge}/teachers/demo-exercise.git`, branch: 'main', token },
    maxFileBytes: 20 << 20,
  };
  const templateUrl = repo.template.url;
  await git(['clone', '-q', withToken(templateUrl), teacherDir], dir);

  trace('clones ready');
  const times: Record<string, { sandbox: number[]; reference: number[] }> = {
    status: { sandbox: [], reference: [] },
    commit: { sandbox: [], reference: [] },
    pull: { sandbox: [], reference: [] },
  };
  const timed = async (f: () => Promise<unknown>) => {
    const started = performance.now();
    await f();
    return performance.now() - started;
  };
  for (let i = 0; i < rounds; i++) {
    trace(`round ${i}`);
    times.status!.sandbox.push(await api('status'));
    times.status!.reference.push(await timed(() => old.summarize!(repo)));
    await jupyterPut(`notes-${i}.md`);
    writeFileSync(path.join(hostDir, `notes-${i}.md`), `notes-${i}.md\n`);
    times.commit!.sandbox.push(await api('commit', { message: `round ${i}` }));
    times.commit!.reference.push(await timed(() => old.commitAndPush!(repo, { message: `round ${i}` })));
    writeFileSync(path.join(teacherDir, `update-${i}.md`), `update ${i}\n`);
    await git(['add', '-A'], teacherDir);
    await git(['commit', '-q', '-m', `update ${i}`], teacherDir);
    await git(['push', '-q', 'origin', 'HEAD'], teacherDir);
    times.pull!.sandbox.push(await api('pull'));
    times.pull!.reference.push(await timed(() => old.pull!(repo)));
  }
  console.log(
    `git buttons on the demo notebook, median of ${rounds} (sandbox: through labgate's HTTP API into`,
  );
  console.log(`the learner's container; reference: ${referenceCommit}'s gitops, git on the host folder):`);
  for (const [op, t] of Object.entries(times)) {
    const [s, r] = [median(t.sandbox), median(t.reference)];
    console.log(
      `  ${op.padEnd(7)} sandbox ${s.toFixed(0).padStart(5)} ms   reference ${r.toFixed(0).padStart(5)} ms   ratio ${(s / r).toFixed(2)}`,
    );
  }
} finally {
  await demo.close();
  rmSync(path.join(root, '.bench-reference'), { recursive: true, force: true });
}
