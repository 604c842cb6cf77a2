import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agsEndpointClaim, agsScopes } from '../../src/lti/index.ts';
import { beginLogin, postIdToken, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { startPassbackRig, type PassbackRig } from './passback-rig.ts';

let rig: PassbackRig;
let platform: TestPlatform;
const outcomeUrl = 'https://moodle.example.org/mod/lti/service.php?id=12&token=s3cret';
const lti = 'https://purl.imsglobal.org/spec/lti/claim/';

beforeAll(async () => {
  rig = await startPassbackRig();
  platform = await startTestPlatform();
  await rig.registerPlatform(platform.jwksUrl, undefined);
}, 120_000);
afterAll(async () => {
  await rig?.close();
  await platform?.close();
});

async function launch13(sub: string, over: Record<string, unknown>) {
  const login = await beginLogin(rig.asTestApp, { login_hint: sub });
  const idToken = await platform.sign(
    platform.claims(login.nonce, { sub, [`${lti}custom`]: { assignment: 'ex1' }, ...over }),
  );
  return postIdToken(rig.asTestApp, { idToken, state: login.state, cookies: login.cookies });
}

describe('where a learner’s grade goes back, remembered from their launches', () => {
  it('keeps the LTI 1.1 outcome service of a learner’s launch, replaced by their newest launch', async () => {
    const first = await rig.launch11({
      user_id: 'ana',
      lis_outcome_service_url: outcomeUrl,
      lis_result_sourcedid: 'sourced-1',
    });
    expect(first.res.statusCode).toBe(303);
    expect(await rig.targetOf(rig.ex11.id, 'ana')).toMatchObject({
      version: '1.1',
      lms_key: 'lti11:moodle-1',
      resource_link_id: 'rl-11',
      outcome_url: outcomeUrl,
      sourcedid: 'sourced-1',
      lti_user_id: null,
      ags_scopes: null,
    });
    await rig.launch11({
      user_id: 'ana',
      resource_link_id: 'rl-11b',
      lis_outcome_service_url: 'https://moodle.example.org/mod/lti/service.php',
      lis_result_sourcedid: 'sourced-2',
    });
    expect(await rig.targetOf(rig.ex11.id, 'ana')).toMatchObject({
      resource_link_id: 'rl-11b',
      outcome_url: 'https://moodle.example.org/mod/lti/service.php',
      sourcedid: 'sourced-2',
    });
  });

  it('lets a learner in when the outcome service is malformed, remembering nothing and warning', async () => {
    const res = await rig.launch11({
      user_id: 'bea',
      lis_outcome_service_url: 'javascript:alert(1)//?token=s3cret',
      lis_result_sourcedid: 'sourced-3',
    });
    expect(res.res.statusCode).toBe(303);
    expect(await rig.targetOf(rig.ex11.id, 'bea')).toBeUndefined();
    expect(rig.logs()).toMatch(/lis_outcome_service_url ignored: its scheme is javascript:/);
    const long = await rig.launch11({
      user_id: 'bea',
      lis_outcome_service_url: outcomeUrl,
      lis_result_sourcedid: 'x'.repeat(1025),
    });
    expect(long.res.statusCode).toBe(303);
    expect(await rig.targetOf(rig.ex11.id, 'bea')).toBeUndefined();
    expect(rig.logs()).toMatch(/lis_result_sourcedid ignored: longer than 1024/);
    expect(rig.logs()).not.toContain('s3cret');
  });

  it('remembers nothing for a teacher, nor for a learner whose activity is ungraded', async () => {
    await rig.launch11({
      user_id: 'prof',
      roles: 'Instructor',
      lis_outcome_service_url: outcomeUrl,
      lis_result_sourcedid: 'sourced-p',
    });
    await rig.launch11({ user_id: 'cid', lis_outcome_service_url: outcomeUrl });
    const rows = await rig.db.selectFrom('grade_targets').select('user_id').execute();
    expect(rows.map((r) => r.user_id)).not.toContain(await rig.userOf('prof'));
    expect(rows.map((r) => r.user_id)).not.toContain(await rig.userOf('cid'));
  });

  it('keeps the AGS endpoint of an LTI 1.3 learner’s launch, with their sub', async () => {
    const claim = {
      scope: [agsScopes.lineitem, agsScopes.score],
      lineitems: 'https://lms.test/mod/lti/services.php/2/lineitems?type_id=1',
      lineitem: 'https://lms.test/mod/lti/services.php/2/lineitems/9/lineitem?type_id=1',
    };
    const res = await launch13('sub-ana', { [agsEndpointClaim]: claim });
    expect(res.statusCode).toBe(303);
    const target = await rig.targetOf(rig.ex13.id, 'sub-ana');
    expect(target).toMatchObject({
      version: '1.3',
      lms_key: 'lti13:https://lms.test',
      resource_link_id: 'rl-1',
      lti_user_id: 'sub-ana',
      ags_lineitems: claim.lineitems,
      ags_lineitem: claim.lineitem,
      outcome_url: null,
    });
    expect(JSON.parse(target!.ags_scopes!)).toEqual(claim.scope);
  });

  it('lets an LTI 1.3 learner in when the AGS claim is malformed', async () => {
    const res = await launch13('sub-bea', { [agsEndpointClaim]: { scope: 'score', lineitems: 42 } });
    expect(res.statusCode).toBe(303);
    expect(await rig.targetOf(rig.ex13.id, 'sub-bea')).toBeUndefined();
    expect(rig.logs()).toMatch(/the AGS claim ignored: scope is malformed/);
  });
});
