import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { createGitlabForge, usernameCandidate } from '../../src/forge/index.ts';

let t: TestGitlab;
const delays: number[] = [];
const retry = {
  attempts: 5,
  baseDelayMs: 50,
  maxDelayMs: 400,
  sleep: async (ms: number) => void delays.push(ms),
  random: () => 1,
};

beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => t.close());

const alice = {
  externUid: 'lti11:fun:alice',
  username: 'alice',
  name: 'Alice Martin',
  email: 'alice@learners.labgate.invalid',
};

describe('the GitLab forge adapter, against gitlab-lite', () => {
  it('creates a learner once, linked to their labgate identity, and finds them again', async () => {
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
    const first = await forge.ensureUser(alice);
    expect(first.username).toBe('alice');
    expect(await forge.ensureUser(alice)).toEqual(first);
  });

  it('takes a free username when the wished one is taken by someone else', async () => {
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
    const other = await forge.ensureUser({
      ...alice,
      externUid: 'lti11:moodle:42',
      email: 'alice2@x.invalid',
    });
    expect(other.username).toBe('alice2');
    expect(usernameCandidate('Élodie Ñ. O’Brien', 0)).toBe('Elodie-N.-O-Brien');
  });

  it('gives a placeholder email when the LMS email already belongs to another GitLab account', async () => {
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
    const twin = await forge.ensureUser({ ...alice, externUid: 'lti13:moodle:alice', username: 'alice-m' });
    const user = await t.api.Users.show(twin.id);
    expect(user.email).toBe('lti13-moodle-alice@users.labgate.invalid');
    expect(twin.username).toBe('alice-m');
  });

  it('ends with exactly one user when the same person launches twice at once', async () => {
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
    const bob = { externUid: 'lti11:fun:bob', username: 'bob', name: 'Bob', email: 'bob@x.invalid' };
    const [a, b] = await Promise.all([forge.ensureUser(bob), forge.ensureUser(bob)]);
    expect(a.id).toBe(b.id);
  });

  it('honours Retry-After when GitLab throttles, and backs off on 502', async () => {
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
    delays.length = 0;
    t.lite.knobs.throttleNext = 2;
    t.lite.knobs.retryAfterSeconds = 3;
    t.lite.knobs.badGatewayNext = 0;
    expect((await forge.ensureUser(alice)).username).toBe('alice');
    t.lite.knobs.badGatewayNext = 1;
    expect((await forge.ensureUser(alice)).username).toBe('alice');
    expect(delays).toEqual([3000, 3000, 50]);
  });

  it('names the call and GitLab’s answer when it fails for good', async () => {
    const forge = createGitlabForge({ url: t.lite.url, token: 'wrong-token', retry });
    await expect(forge.ensureUser(alice)).rejects.toThrow(
      'GitLab call GET /users failed: GitLab answered 401 (401 Unauthorized).',
    );
    const down = createGitlabForge({ url: 'http://127.0.0.1:9', token: rootToken, retry });
    await expect(down.ensureUser(alice)).rejects.toMatchObject({ code: 'FORGE_UNREACHABLE' });
  });
});
