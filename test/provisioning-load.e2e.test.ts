import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import {
  launchLearner,
  provisioningCounts,
  seedCourse,
  startLabgateProcess,
  waitFor,
} from './support/provisioning-rig.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';

const learners = 200;
const twice = 20;

let t: TestGitlab;
let d: TestDatabase;
let templateId: number;

beforeAll(async () => {
  t = await startTestGitlab();
  d = await openTestDatabase();
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  const template = await t.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  templateId = template.id as number;
  await seedCourse(d.db, 'teachers/ex1');
});
afterAll(async () => {
  await d.close();
  await t.close();
});

async function mapLimited<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

describe('provisioning 200 learners against a flaky GitLab, through a crash', () => {
  it('ends with exactly one finished fork per learner, each one they can clone and push to', async () => {
    Object.assign(t.lite.knobs, {
      forkLatencyMs: 200,
      forkLatencyJitterMs: 1500,
      badGatewayRate: 0.1,
      failFork: () => Math.random() < 0.05,
    });
    const env = {
      DATABASE_URL: d.url,
      FORGE_URL: t.lite.url,
      FORGE_TOKEN: rootToken,
      PROVISION_LEASE_SECONDS: '2',
    };
    let labgate = await startLabgateProcess(env);
    const everyone = Array.from({ length: learners }, (_, i) => i);
    const statuses = await Promise.all(
      [...everyone, ...everyone.slice(0, twice)].map((n) => launchLearner(labgate.url, n)),
    );
    expect(statuses.filter((s) => s !== 303)).toEqual([]);

    const atCrash = await waitFor(
      'a quarter of the learners provisioned',
      async () => {
        const counts = await provisioningCounts(d.db);
        return (counts.done ?? 0) >= learners / 4 ? counts : undefined;
      },
      120_000,
    );
    await labgate.kill9();
    expect(atCrash.done).toBeLessThan(learners); // the crash really came in the middle

    labgate = await startLabgateProcess(env);
    const final = await waitFor(
      'every learner provisioned',
      async () => {
        const counts = await provisioningCounts(d.db);
        return counts.done === learners || counts.failed ? counts : undefined;
      },
      240_000,
    );
    await labgate.stop();
    const failures = await d.db
      .selectFrom('provisionings')
      .select(['step', 'attempts', 'error_code', 'error_message'])
      .where('status', '=', 'failed')
      .execute();
    expect({ ...final, failures }).toEqual({ done: learners, failures: [] });
    Object.assign(t.lite.knobs, { badGatewayRate: 0, failFork: () => false });

    const forks = await t.api.Projects.allForks(templateId);
    expect(forks).toHaveLength(learners);
    expect(forks.every((f) => f.import_status === 'finished')).toBe(true);
    expect(new Set(forks.map((f) => f.path_with_namespace)).size).toBe(learners);

    // Every learner reads their fork with their own credential and may push to its default branch;
    // a sample of them really pushes (each push runs the pre-receive hook, which costs a process).
    const jobs = await d.db.selectFrom('provisionings').select(['user_id', 'state']).execute();
    const sample = new Set(
      jobs
        .map((j) => j.user_id)
        .sort(() => Math.random() - 0.5)
        .slice(0, 25),
    );
    const pushed = await mapLimited(jobs, 8, async (job) => {
      const state = JSON.parse(job.state) as {
        forgeUser: { id: number; username: string };
        fork: { id: number; pathWithNamespace: string };
      };
      const member = await t.api.ProjectMembers.show(state.fork.id, state.forgeUser.id);
      const rule = await t.api.ProtectedBranches.show(state.fork.id, 'main');
      const pushLevels = (rule.push_access_levels as Array<{ access_level: number }>).map(
        (l) => l.access_level,
      );
      if (member.access_level !== 30 || !pushLevels.includes(30))
        return `${state.fork.pathWithNamespace}: no push access`;
      const { token } = await t.api.UserImpersonationTokens.create(state.forgeUser.id, 'check', [
        'write_repository',
      ]);
      const url = cloneUrl(t.lite.url, state.fork.pathWithNamespace, token as string);
      const refs = await runGit(['ls-remote', url, 'main'], t.work);
      if (refs.code !== 0 || !refs.out.includes('refs/heads/main'))
        return `${state.fork.pathWithNamespace}: ${refs.out}`;
      if (!sample.has(job.user_id)) return 'ok';
      const dir = path.join(t.work, state.forgeUser.username);
      const clone = await runGit(['clone', '--quiet', url, dir], t.work);
      await runGit(['commit', '--quiet', '--allow-empty', '-m', 'my work'], dir);
      const push = await runGit(['push', '--quiet', 'origin', 'main'], dir);
      rmSync(dir, { recursive: true, force: true });
      return clone.code === 0 && push.code === 0
        ? 'ok'
        : `${state.fork.pathWithNamespace}: ${clone.out}${push.out}`;
    });
    expect(pushed.filter((r) => r !== 'ok')).toEqual([]);
  }, 600_000);
});
