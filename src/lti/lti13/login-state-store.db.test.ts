import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { createLoginStateStore, hashBinding } from './login-state-store.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => database.close());

const login = { platformId: 'p-1', targetLinkUri: 'https://labgate.test/lti/1.3/launch' };

describe('the LTI 1.3 login state store', () => {
  it('makes a fresh random state, nonce and browser binding for each login', async () => {
    const logins = createLoginStateStore(database.db);
    const a = await logins.startLogin(login);
    const b = await logins.startLogin(login);
    for (const v of [a.state, a.nonce, a.binding]) expect(v).toMatch(/^[\w-]{43}$/);
    expect(new Set([a.state, a.nonce, a.binding, b.state, b.nonce, b.binding]).size).toBe(6);
    expect(await logins.consumeLogin(a.state)).toEqual({
      nonce: a.nonce,
      platformId: 'p-1',
      targetLinkUri: login.targetLinkUri,
      browserHash: hashBinding(a.binding),
    });
  });

  it('gives a state back once, even to concurrent posts of the same launch', async () => {
    const logins = createLoginStateStore(database.db);
    const { state } = await logins.startLogin(login);
    const results = await Promise.all(Array.from({ length: 10 }, () => logins.consumeLogin(state)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await logins.consumeLogin(state)).toBeUndefined();
    expect(await logins.consumeLogin('never-issued')).toBeUndefined();
  });

  it('refuses a state older than 10 minutes and sweeps expired ones', async () => {
    let now = 1_000_000;
    const logins = createLoginStateStore(database.db, () => now);
    const old = await logins.startLogin(login);
    const other = await logins.startLogin(login);
    now += 10 * 60_000 - 1;
    const live = await logins.startLogin(login);
    expect(await logins.consumeLogin(old.state)).toBeDefined();
    now += 1;
    expect(await logins.consumeLogin(other.state)).toBeUndefined();
    now += 1;
    expect(await logins.forgetExpiredLogins()).toBe(0);
    now += 10 * 60_000;
    expect(await logins.forgetExpiredLogins()).toBe(1);
    expect(await logins.consumeLogin(live.state)).toBeUndefined();
  });
});
