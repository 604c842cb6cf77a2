import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => t.close());

const raw = (url: string, token: string | null = rootToken, init: RequestInit = {}) =>
  fetch(t.lite.url + url, {
    ...init,
    headers: { ...(token ? { 'private-token': token } : {}), ...init.headers },
  });

async function createLearner(n: string) {
  return t.api.Users.create({
    email: `${n}@learners.labgate.invalid`,
    name: `Learner ${n}`,
    username: n,
    forceRandomPassword: true,
    skipConfirmation: true,
    externUid: `lti11:fun:${n}`,
    provider: 'openid_connect',
  });
}

describe('gitlab-lite users, through @gitbeaker/rest, against GitLab’s schemas', () => {
  it('creates a user linked to an OpenID Connect identity (201, user/admin.json)', async () => {
    const user = await createLearner('alice');
    expectSchema('public_api/v4/user/admin.json', user);
    expect(user.identities).toEqual([{ provider: 'openid_connect', extern_uid: 'lti11:fun:alice' }]);
  });

  it('finds a user by identity (admin list, user/admins.json)', async () => {
    const found = await t.api.Users.all({ externUid: 'LTI11:FUN:ALICE', provider: 'openid_connect' });
    expectSchema('public_api/v4/user/admins.json', found);
    expect(found.map((u) => u.username)).toEqual(['alice']);
    expect(await t.api.Users.all({ externUid: 'nobody', provider: 'openid_connect' })).toEqual([]);
  });

  it('shows a user to an admin (user/admin.json) and the current user to itself (user/public.json)', async () => {
    const bob = await createLearner('bob');
    expectSchema('public_api/v4/user/admin.json', await t.api.Users.show(bob.id as number));
    expectSchema('public_api/v4/user/admin.json', await t.api.Users.showCurrentUser());
    const token = await t.api.UserImpersonationTokens.create(bob.id as number, 'labgate-git', [
      'api',
      'write_repository',
    ]);
    expect(token).toMatchObject({ impersonation: true, active: true, scopes: ['api', 'write_repository'] });
    const asBob = new Gitlab({ host: t.lite.url, token: token.token as string });
    const me = await asBob.Users.showCurrentUser();
    expectSchema('public_api/v4/user/public.json', me);
    expect(me.username).toBe('bob');
    expectSchema('public_api/v4/user/basic.json', await asBob.Users.show(1));
  });

  it('answers with GitLab’s error bodies and statuses', async () => {
    await createLearner('carol');
    const again = await raw('/api/v4/users', rootToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'CAROL@learners.labgate.invalid',
        name: 'x',
        username: 'carol2',
        force_random_password: true,
      }),
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ message: 'Email has already been taken' });

    const missing = await raw('/api/v4/users', rootToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dave' }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'email is missing, name is missing' });

    expect(await (await raw('/api/v4/users/9999')).json()).toEqual({ message: '404 User Not Found' });
    const anonymous = await raw('/api/v4/user', null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: '401 Unauthorized' });
    expect(await (await raw('/api/v4/no/such/route')).json()).toEqual({ error: '404 Not Found' });
    await expect(createLearner('carol')).rejects.toMatchObject({ cause: { response: { status: 409 } } });
  });

  it('refuses invalid usernames with a validation body', async () => {
    const res = await raw('/api/v4/users', rootToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'e@x.invalid',
        name: 'E',
        username: 'bad name.git',
        force_random_password: true,
      }),
    });
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as { message: object }).message)).toEqual(['username']);
  });

  it('paginates like GitLab: X-* headers, empty next page at the end, Link in prev/next/first/last order', async () => {
    for (let i = 0; i < 12; i++) await createLearner(`page${i}`);
    const first = await raw('/api/v4/users?per_page=5');
    expect(first.headers.get('x-page')).toBe('1');
    expect(first.headers.get('x-prev-page')).toBe('');
    expect(first.headers.get('x-next-page')).toBe('2');
    const total = Number(first.headers.get('x-total'));
    const last = Math.ceil(total / 5);
    const end = await raw(`/api/v4/users?per_page=5&page=${last}`);
    expect(end.headers.get('x-next-page')).toBe('');
    const rels = [...(end.headers.get('link') ?? '').matchAll(/rel="(\w+)"/g)].map((m) => m[1]);
    expect(rels).toEqual(['prev', 'first', 'last']);
    const all = await t.api.Users.all({ perPage: 5 });
    expect(all).toHaveLength(total); // gitbeaker follows the Link headers through every page
  });

  it('keeps its data across restarts', async () => {
    await t.restart();
    expect((await t.api.Users.all({ username: 'alice' })).map((u) => u.name)).toEqual(['Learner alice']);
  });
});
