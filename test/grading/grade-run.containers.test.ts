import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gradeSubmission, loadSpecFolder, readFolder } from '../../src/grading/index.ts';
import { connectEngine, createDockerJobs } from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';
import { answers, gradingFolder, hiddenMarker, submission } from '../support/grading-fixture.ts';

const dir = gradingFolder();
const jobs = createDockerJobs(connectEngine(podmanSocket));
const made: string[] = [dir];
let loaded: Extract<Awaited<ReturnType<typeof loadSpecFolder>>, { ok: true }>;

beforeAll(async () => {
  const l = await loadSpecFolder(dir);
  if (!l.ok) throw new Error(l.lines.join('\n'));
  loaded = l;
});
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function grade(replace: Record<string, string>, o: Parameters<typeof submission>[1] = {}) {
  const sub = submission(replace, o);
  made.push(sub);
  const learner = await readFolder(sub, 50 << 20);
  return gradeSubmission(loaded.spec, loaded.template, learner, {
    jobs,
    image: inject('notebookImage'),
    uid: 1000,
  });
}
const byId = (r: Awaited<ReturnType<typeof grade>>) => Object.fromEntries(r.questions.map((q) => [q.id, q]));
const scores = (r: Awaited<ReturnType<typeof grade>>) =>
  Object.fromEntries(r.questions.map((q) => [q.id, `${q.score}/${q.maxScore} ${q.status}`]));

describe('grading submissions in a fresh sandbox', () => {
  it('scores a correct, a partly correct, a wrong and an untouched submission', async () => {
    const correct = await grade(answers);
    expect(scores(correct)).toEqual({
      squares: '3/3 passed',
      'locked-test': '1/1 passed',
      mean: '2/2 passed',
      total: '1/1 passed',
      'never-shown': '0/0 failed',
    });
    expect(correct.score).toBe(7);

    const partial = await grade({
      q1: 'def squares(n):\n    return [i * i for i in range(n)]',
      q2: answers.q2,
    });
    expect(partial.score).toBe(3); // squares(0) == [] (hidden) and mean's two checks
    expect(byId(partial)['squares']).toMatchObject({
      score: 1,
      status: 'partial',
      hint: 'Start the range at 1.',
    });
    expect(byId(partial)['total']).toMatchObject({ status: 'no-response' });

    const wrong = await grade({
      q1: 'def squares(n):\n    return n',
      q2: 'def mean(xs):\n    return 0',
      q3: 'print(54)',
    });
    expect(wrong.score).toBe(0);

    const untouched = await grade({});
    expect(untouched.score).toBe(0);
    for (const id of ['squares', 'mean', 'total']) expect(byId(untouched)[id]!.status).toBe('no-response');
    // No message anywhere holds a hidden check's expected value.
    for (const r of [correct, partial, wrong, untouched])
      expect(JSON.stringify(r)).not.toContain(hiddenMarker);
  }, 240_000);

  it('stops an endless loop at the cell timeout and fails what it kept from running, saying why', async () => {
    const started = Date.now();
    const r = await grade({ ...answers, q2: 'while True:\n    pass' });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(scores(r)).toMatchObject({
      squares: '3/3 passed',
      'locked-test': '1/1 passed',
      mean: '0/2 error',
      total: '0/1 error',
    });
    expect(byId(r)['mean']!.checks[0]!.message).toMatch(/cell 5 .*longer than 8 s/);
  }, 120_000);

  it('contains a memory bomb, a fork bomb and a kernel that ends itself; what came before still counts', async () => {
    const memory = await grade({ ...answers, q2: 'x = bytearray(4 * 1024**3)\n' + answers.q2 });
    expect(scores(memory)).toMatchObject({ squares: '3/3 passed', mean: expect.stringMatching(/^0\/2/) });
    const forks = await grade({ ...answers, q2: 'import os\nwhile True:\n    os.fork()' });
    expect(scores(forks)).toMatchObject({ squares: '3/3 passed', mean: expect.stringMatching(/^0\/2/) });
    const exit = await grade({ ...answers, q2: 'import os\nos._exit(1)' });
    expect(scores(exit)).toMatchObject({ squares: '3/3 passed', mean: '0/2 error', total: '0/1 error' });
    expect(byId(exit)['mean']!.checks[0]!.message).toMatch(/kernel died/);
  }, 240_000);

  it('stops reading 100 MB printed and fails that question only', async () => {
    const r = await grade({ ...answers, q3: "print('x' * 100_000_000)\n" + answers.q3 });
    expect(scores(r)).toMatchObject({ squares: '3/3 passed', mean: '2/2 passed', total: '0/1 error' });
  }, 120_000);

  it('gives learner code no network, no spec, nothing of the host, and nothing it writes outside survives', async () => {
    const hits: string[] = [];
    const listener: Server = createServer((s) => (hits.push('connection'), s.destroy()));
    await new Promise<void>((r) => listener.listen(0, '0.0.0.0', r));
    const port = (listener.address() as { port: number }).port;
    const before = hashTree(dir);
    const spy = `
import os, socket
FOUND = []
MARKER = '${hiddenMarker.slice(0, 8)}'.encode() + '${hiddenMarker.slice(8)}'.encode()
for host in ['10.88.0.1', '172.17.0.1', '127.0.0.1', 'host.containers.internal']:
    try:
        socket.create_connection((host, ${port}), timeout=2).close()
        FOUND.append('net ' + host)
    except Exception as e:
        pass
for top in ['/home', '/tmp', '/etc', '/var', '/run', '/srv', '/opt', '/mnt', '/root']:
    for d, _, names in os.walk(top):
        for n in names:
            try:
                with open(os.path.join(d, n), 'rb') as f:
                    data = f.read(4_000_000)
                    if MARKER in data or b'expect' + b'_error' in data:
                        FOUND.append(os.path.join(d, n))
            except Exception:
                pass
for p in os.listdir('/proc'):
    for part in ['environ', 'cmdline']:
        try:
            with open(f'/proc/{p}/{part}', 'rb') as f:
                data = f.read()
            if b'TOKEN' in data or b'SECRET' in data or MARKER in data:
                FOUND.append(f'/proc/{p}/{part}')
        except Exception:
            pass
for target in ['${dir}/grading.yml', '/home/learner/../grading.yml', '/work/grading.yml']:
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, 'w').write('owned')
    except Exception:
        pass
def mean(xs):
    return FOUND
`;
    const r = await grade({ ...answers, q2: spy });
    listener.close();
    expect(hits).toEqual([]);
    const mean = byId(r)['mean']!;
    expect(mean.checks[0]!.message).toMatch(/returned \[\]/); // FOUND stayed empty
    expect(JSON.stringify(r)).not.toContain(hiddenMarker);
    expect(hashTree(dir)).toBe(before);
  }, 180_000);

  it('cannot forge a pass by redefining __eq__, builtins, json or showtraceback', async () => {
    const liar = `
import builtins, json
class Yes(list):
    def __eq__(self, other): return True
    def __repr__(self): return '[1, 4, 9, 16]'
def squares(n):
    return Yes()
builtins.repr = lambda x: '[1, 4, 9, 16]'
json.dumps = lambda *a, **k: '{"ok": true, "value": [1, 4, 9, 16]}'
get_ipython().showtraceback = lambda *a, **k: None
get_ipython().showsyntaxerror = lambda *a, **k: None
`;
    const r = await grade({ ...answers, q1: liar });
    expect(byId(r)['squares']).toMatchObject({ score: 0 });
    expect(byId(r)['locked-test']).toMatchObject({ score: 0 });
  }, 120_000);

  it('puts locked cells back, edited or deleted, and says so', async () => {
    const wrongSquares = 'def squares(n):\n    _t1_ran = True\n    return []';
    const edited = await grade({ ...answers, q1: wrongSquares, t1: '_t1_ran = True', setup: 'LIMIT = 9' });
    expect(scores(edited)).toMatchObject({ 'locked-test': '0/1 failed', total: '1/1 passed' });
    expect(edited.notes.join('\n')).toMatch(/locked block cell_id "t1" was edited/);
    const deleted = await grade({ ...answers, q1: wrongSquares + '\n_t1_ran = True' }, { drop: ['t1'] });
    expect(scores(deleted)).toMatchObject({ 'locked-test': '0/1 failed' });
    expect(deleted.notes.join('\n')).toMatch(/locked block cell_id "t1" was deleted/);
    const data = await grade(answers, { extra: { 'data.csv': 'x\n999\n' } });
    expect(data.notes.join('\n')).toMatch(/data\.csv: the template's version was used/);
  }, 240_000);
});

function hashTree(root: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      h.update(full);
      if (e.isDirectory()) walk(full);
      else h.update(readFileSync(full));
    }
  };
  walk(root);
  return h.digest('hex');
}
