import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submittedTag } from '../../src/flows/index.ts';
import { eventually, startTeachingRig, type TeachingRig } from '../support/teaching-rig.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadlines by the forge’s clock: submissions, tags, late pushes, receipts, extensions', () => {
  let rig: TeachingRig;
  const forks: Record<string, { userId: string; id: number; path: string }> = {};
  const sessions: Record<string, string> = {};
  const shas: Record<string, string> = {};
  let deadline = 0;

  const assignment = async () => (await rig.app.services.assignments.findAssignment(rig.course.id, 'ex1'))!;
  const submission = (who: string) =>
    rig.teaching.stores.submissions.findSubmission(rig.assignment.id, forks[who]!.userId);
  const hooked = (who: string, sha: string) =>
    eventually(`the push hook of ${who}`, async () => {
      const pushes = await rig.teaching.stores.pushes.pushesTo([forks[who]!.id], 'main');
      return pushes.some((p) => p.after === sha && p.key.startsWith('hook:')) || undefined;
    });

  beforeAll(async () => {
    rig = await startTeachingRig();
    for (const who of ['ana', 'ben', 'cyd', 'dee']) {
      sessions[who] = await rig.launch({
        user_id: `lms-${who}`,
        lis_person_name_full: `${who} Doe`,
        custom_assignment: 'ex1',
      });
      forks[who] = await rig.forkOf(`lms-${who}`);
    }
    // The fork's push hook is set when provisioning finishes; wait until the forge has it.
    for (const who of Object.keys(forks))
      await eventually(`the hook on ${who}'s fork`, async () =>
        ((await rig.gitlab.api.ProjectHooks.all(forks[who]!.id)) as unknown[]).length > 0 ? true : undefined,
      );
    // ana's clock says 2001, ben's says 2031: the forge's clock is what counts.
    shas['ana'] = (
      await rig.push(
        forks['ana']!.path,
        { 'a.txt': 'ana 1\n' },
        { GIT_COMMITTER_DATE: '2001-01-01T00:00:00Z' },
      )
    ).sha;
    shas['ben1'] = (
      await rig.push(
        forks['ben']!.path,
        { 'b.txt': 'ben 1\n' },
        { GIT_COMMITTER_DATE: '2031-01-01T00:00:00Z' },
      )
    ).sha;
    await hooked('ana', shas['ana']);
    await hooked('ben', shas['ben1']);
    await sleep(1100);
    deadline = Date.now();
    await rig.app.services.assignments.setDeadline(rig.assignment.id, deadline);
    await sleep(1100);
    shas['ben2'] = (
      await rig.push(
        forks['ben']!.path,
        { 'b.txt': 'ben 2, late\n' },
        { GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z' },
      )
    ).sha;
    await hooked('ben', shas['ben2']);
  }, 180_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('records the last commit the forge received by the deadline, whatever the commit dates say', async () => {
    await rig.app.services.assignments.setDeadline(rig.assignment.id, deadline);
    await rig.teaching.keeper.keep(await assignment());
    const ana = await submission('ana');
    expect(ana).toMatchObject({ commit: { sha: shas['ana'] }, late: undefined, tag: submittedTag(deadline) });
    expect(ana!.commit!.pushedAt).toBeLessThanOrEqual(deadline);
    expect(ana!.commit!.pushedAt).toBeGreaterThan(deadline - 120_000);
    const ben = await submission('ben');
    expect(ben).toMatchObject({ commit: { sha: shas['ben1'] }, late: { sha: shas['ben2'] } });
    expect(ben!.late!.pushedAt - deadline).toBeGreaterThan(1000);
    expect(await submission('cyd')).toMatchObject({ commit: undefined, late: undefined, tag: undefined });
  });

  it('tags the submitted commit on the fork, where the learner sees it', async () => {
    const tag = await rig.gitlab.api.Tags.show(forks['ana']!.id, submittedTag(deadline));
    expect((tag as { commit: { id: string } }).commit.id).toBe(shas['ana']);
    expect(submittedTag(Date.parse('2026-12-01T10:30:00.123Z'))).toBe('submitted/20261201T103000Z');
  });

  it('records a push after the deadline as late, with its delay, as soon as its hook arrives', async () => {
    const late = await rig.push(forks['cyd']!.path, { 'c.txt': 'cyd, late\n' });
    await hooked('cyd', late.sha);
    await rig.teaching.keeper.keep(await assignment());
    const cyd = await submission('cyd');
    expect(cyd).toMatchObject({ commit: undefined, late: { sha: late.sha } });
    const roster = await rig.app.server.inject({
      url: `/courses/${rig.course.id}/assignments/ex1/roster.json`,
    });
    expect(roster.statusCode).toBe(401); // staff only: a teacher's session is needed
  });

  it('shows each learner their receipt, from their home page', async () => {
    const home = await rig.app.server.inject({
      url: '/home?stay=1',
      cookies: { labgate_session: sessions['ana']! },
    });
    expect(home.body).toContain(`/receipts/${encodeURIComponent(rig.course.id)}/ex1`);
    const page = await rig.app.server.inject({
      url: `/receipts/${encodeURIComponent(rig.course.id)}/ex1?lang=en`,
      cookies: { labgate_session: sessions['ana']! },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(shas['ana']);
    expect(page.body).toContain('on time');
    const ben = await rig.app.server.inject({
      url: `/receipts/${encodeURIComponent(rig.course.id)}/ex1?lang=en`,
      cookies: { labgate_session: sessions['ben']! },
    });
    expect(ben.body).toMatch(/arrived \d+ min after the deadline/);
    expect(ben.body).toContain(shas['ben1']);
    // Nobody sees someone else's receipt: the page is the session's own.
    expect(ben.body).not.toContain(shas['ana']);
    // Someone the deadline has not reached (an extension) is told why there is no receipt yet.
    const waiting = await rig.app.server.inject({
      url: `/receipts/${encodeURIComponent(rig.course.id)}/nothing-here?lang=en`,
      cookies: { labgate_session: sessions['dee']! },
    });
    expect(waiting.statusCode).toBe(404);
    expect(waiting.body).toContain('Nothing has been recorded for you in this exercise yet.');
  });

  it('an extension reopens a learner’s deadline; their submission waits for the new one', async () => {
    const a = await assignment();
    await rig.teaching.stores.extensions.setExtension(a.id, forks['dee']!.userId, Date.now() + 86_400_000);
    await rig.teaching.keeper.keep(a);
    expect(await submission('dee')).toBeUndefined();
    await rig.teaching.stores.extensions.setExtension(a.id, forks['ben']!.userId, Date.now() + 86_400_000);
    await rig.teaching.keeper.keep(a);
    expect(await submission('ben')).toBeUndefined();
  });

  it('refuses a push hook without the token labgate gave the forge, and ignores other events', async () => {
    const bad = await rig.app.server.inject({
      method: 'POST',
      url: '/hooks/forge',
      headers: { 'x-gitlab-token': 'guess', 'content-type': 'application/json' },
      payload: { object_kind: 'push' },
    });
    expect(bad.statusCode).toBe(401);
  });
});

describe('a deadline that locks the forks', () => {
  let rig: TeachingRig;

  beforeAll(async () => {
    rig = await startTeachingRig({ latePolicy: 'lock' });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('refuses pushes after the deadline, and opens the fork again with an extension', async () => {
    await rig.launch({ user_id: 'lms-eva', custom_assignment: 'ex1' });
    const fork = await rig.forkOf('lms-eva');
    const before = await rig.push(fork.path, { 'e.txt': 'on time\n' });
    expect(before.code).toBe(0);
    await eventually(
      'the push in the events',
      async () =>
        ((await rig.gitlab.api.Events.all({ projectId: fork.id, action: 'pushed' })) as unknown[]).length >
          0 || undefined,
    );
    await rig.app.services.assignments.setDeadline(rig.assignment.id, Date.now());
    const a = (await rig.app.services.assignments.findAssignment(rig.course.id, 'ex1'))!;
    await rig.teaching.keeper.keep(a);
    const s = await rig.teaching.stores.submissions.findSubmission(a.id, fork.userId);
    expect(s).toMatchObject({ commit: { sha: before.sha }, lockedAt: expect.any(Number) });
    const late = await rig.push(fork.path, { 'e.txt': 'too late\n' });
    expect(late.code).not.toBe(0);
    expect(late.out).toMatch(/not allowed to push/);
    await rig.teaching.stores.extensions.setExtension(a.id, fork.userId, Date.now() + 3_600_000);
    await rig.teaching.keeper.keep(a);
    expect((await rig.push(fork.path, { 'e.txt': 'with the extension\n' })).code).toBe(0);
  }, 60_000);

  it('records the others when one fork cannot be locked, and says which', async () => {
    await rig.launch({ user_id: 'lms-fay', custom_assignment: 'ex1' });
    await rig.launch({ user_id: 'lms-gus', custom_assignment: 'ex1' });
    const [fay, gus] = [await rig.forkOf('lms-fay'), await rig.forkOf('lms-gus')];
    await rig.gitlab.api.Projects.remove(fay.id);
    const a = (await rig.app.services.assignments.findAssignment(rig.course.id, 'ex1'))!;
    await expect(rig.teaching.keeper.keep(a)).rejects.toThrow(
      new RegExp(`1 submission\\(s\\) of ex1 wait.*${fay.path}`),
    );
    const stores = rig.teaching.stores.submissions;
    expect(await stores.findSubmission(a.id, gus.userId)).toMatchObject({ lockedAt: expect.any(Number) });
    expect(await stores.findSubmission(a.id, fay.userId)).toBeUndefined();
  }, 60_000);
});
