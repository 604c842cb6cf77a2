import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agsEndpointClaim, agsScopes } from '../../src/lti/index.ts';
import { waitFor } from '../support/provisioning-rig.ts';
import {
  beginLogin,
  platformClientId,
  postIdToken,
  startTestPlatform,
  type TestPlatform,
} from '../support/test-platform.ts';
import { startAgsPlatform, type AgsPlatform } from './ags-platform.ts';
import { startOutcomesReceiver, type OutcomesReceiver } from './lms-receivers.ts';
import { moodle, startPassbackRig, type PassbackRig } from './passback-rig.ts';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';

/** Runs delivery rounds, moving the clock to each retry, until nothing is pending; returns each round. */
async function deliverUntilSettled(rig: PassbackRig, assignmentId: string, userId: string) {
  const rounds = [];
  for (let i = 0; i < 10; i++) {
    rounds.push(await rig.app.passback.deliverDue());
    const row = (await rig.app.passback.statusOf(assignmentId)).get(userId)!;
    if (row.status !== 'pending') return rounds;
    rig.advance(row.nextAttemptAt - Date.now() + 1);
  }
  return rounds;
}

describe('grades back to the LMS, through labgate', () => {
  let rig: PassbackRig;
  let outcomes: OutcomesReceiver;
  let platform: TestPlatform;
  let ags: AgsPlatform;

  beforeAll(async () => {
    rig = await startPassbackRig();
    outcomes = await startOutcomesReceiver(moodle);
    platform = await startTestPlatform();
    ags = await startAgsPlatform({ jwks: rig.jwks, clientId: platformClientId });
    await rig.registerPlatform(platform.jwksUrl, ags.tokenUrl);
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    await outcomes?.close();
    await platform?.close();
    await ags?.close();
  });

  it('delivers an LTI 1.1 grade exactly once after the LMS answered 500 three times', async () => {
    await rig.launch11({
      user_id: 'ana',
      lis_outcome_service_url: outcomes.url,
      lis_result_sourcedid: 'src-ana',
    });
    await rig.launch11({ user_id: 'nolink' });
    const ana = await rig.userOf('ana');
    const queued = await rig.app.passback.queueGrades(rig.ex11.id, [
      { userId: ana, score: 7, maxScore: 10 },
      { userId: await rig.userOf('nolink'), score: 3, maxScore: 10 },
    ]);
    expect(queued).toEqual({ queued: [ana], unchanged: [], noLmsLink: [await rig.userOf('nolink')] });
    outcomes.plan('http500', 'http500', 'http500');
    const rounds = await deliverUntilSettled(rig, rig.ex11.id, ana);
    expect(rounds.map((r) => [r.sent, r.retrying])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(outcomes.calls()).toBe(4);
    expect(outcomes.received.map((r) => [r.sourcedId, r.score])).toEqual([['src-ana', 0.7]]);
    const status = (await rig.app.passback.statusOf(rig.ex11.id)).get(ana)!;
    expect(status).toMatchObject({ status: 'sent', attempts: 4, answer: 'Score for src-ana is now 0.7' });
    expect(await rig.app.passback.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0, superseded: 0 });
    expect(rig.logs()).toMatch(/grade not delivered \(retry\)/);
    expect(rig.logs()).not.toContain('s3cret');
  });

  it('delivers an LTI 1.3 score through AGS after three 500s: one line item, one score', async () => {
    const login = await beginLogin(rig.asTestApp, { login_hint: 'sub-42' });
    const claim = { scope: [agsScopes.lineitem, agsScopes.score], lineitems: ags.lineitems };
    const idToken = await platform.sign(
      platform.claims(login.nonce, { [`${lti}custom`]: { assignment: 'ex1' }, [agsEndpointClaim]: claim }),
    );
    expect(
      (await postIdToken(rig.asTestApp, { idToken, state: login.state, cookies: login.cookies })).statusCode,
    ).toBe(303);
    const learner = await rig.userOf('sub-42');
    const scoredAt = Date.UTC(2026, 11, 3, 9, 0, 0);
    await rig.app.passback.queueGrades(rig.ex13.id, [
      { userId: learner, score: 8, maxScore: 10, comment: 'Bien joué', scoredAt },
    ]);
    ags.plan.scores.push('http500', 'http500', 'http500');
    await deliverUntilSettled(rig, rig.ex13.id, learner);
    expect(ags.items).toHaveLength(1);
    expect(ags.items[0]).toMatchObject({
      label: 'Exercice 1',
      tag: 'ex1',
      resourceId: rig.ex13.id,
      resourceLinkId: 'rl-1',
    });
    expect(ags.scores).toHaveLength(1);
    const body = ags.scores[0]!.body;
    expect(body).toMatchObject({ userId: 'sub-42', scoreGiven: 8, scoreMaximum: 10, comment: 'Bien joué' });
    // Each retry is a later timestamp than the attempt before (the LMS may have kept one it never confirmed).
    expect(Date.parse(body.timestamp as string)).toBe(scoredAt + 3);
    expect((await rig.app.passback.statusOf(rig.ex13.id)).get(learner)).toMatchObject({ status: 'sent' });
  });

  it('never marks a newer grade sent by a send that was already on its way', async () => {
    const learner = await rig.userOf('sub-42');
    await rig.app.passback.queueGrades(rig.ex13.id, [{ userId: learner, score: 4, maxScore: 10 }]);
    ags.plan.scores.push('slow');
    const running = rig.app.passback.deliverDue();
    await new Promise((r) => setTimeout(r, 500));
    await rig.app.passback.queueGrades(rig.ex13.id, [{ userId: learner, score: 9, maxScore: 10 }]);
    expect(await running).toEqual({ sent: 1, retrying: 0, failed: 0, superseded: 1 });
    expect(ags.scores.at(-1)!.body).toMatchObject({ scoreGiven: 9 });
    expect((await rig.app.passback.statusOf(rig.ex13.id)).get(learner)).toMatchObject({
      status: 'sent',
      score: 9,
    });
  });
});

describe('the delivery rounds of a running labgate', () => {
  it('sends a grade right after it is queued, with nobody calling deliverDue', async () => {
    const rig = await startPassbackRig({ rounds: true });
    const outcomes = await startOutcomesReceiver(moodle);
    try {
      await rig.launch11({
        user_id: 'eve',
        lis_outcome_service_url: outcomes.url,
        lis_result_sourcedid: 'src-eve',
      });
      const eve = await rig.userOf('eve');
      await rig.app.passback.queueGrades(rig.ex11.id, [{ userId: eve, score: 10, maxScore: 10 }]);
      await waitFor('the grade to arrive', async () => outcomes.received[0], 4_000);
      expect(outcomes.received.map((r) => r.score)).toEqual([1]);
      await waitFor(
        'the grade to be marked sent',
        async () =>
          (await rig.app.passback.statusOf(rig.ex11.id)).get(eve)?.status === 'sent' ? true : undefined,
        4_000,
      );
    } finally {
      await rig.close();
      await outcomes.close();
    }
  }, 120_000);
});
