import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { isAppError } from '../../errors.ts';
import { createDeepLinkStore, deepLinkTtlMs } from './deep-link-store.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => database.close());

const request = {
  sessionId: 'session-a',
  userId: 'u-1',
  courseId: 'c-1',
  issuer: 'https://lms.test',
  clientId: 'client-1',
  deploymentId: 'dep-1',
  returnUrl: 'https://lms.test/mod/lti/contentitem_return.php?sesskey=S3SSK3Y',
  targets: ['iframe', 'window'],
  data: { opaque: ['kept', 1] },
};

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

describe('the deep-linking request store', () => {
  it('keeps a request under a random id, for its session only, and gives it back once', async () => {
    const store = createDeepLinkStore(database.db);
    const saved = await store.savePendingDeepLink(request);
    expect(saved.id).toMatch(/^[\w-]{43}$/);
    expect(await store.getPendingDeepLink(saved.id, 'session-a')).toMatchObject({
      userId: 'u-1',
      courseId: 'c-1',
      returnUrl: request.returnUrl,
      targets: ['iframe', 'window'],
      data: { opaque: ['kept', 1] },
    });
    expect(await codeOf(store.getPendingDeepLink(saved.id, 'session-b'))).toBe('LTI13_DEEP_LINKING_REQUEST');
    expect(await codeOf(store.takePendingDeepLink(saved.id, 'session-b'))).toBe('LTI13_DEEP_LINKING_REQUEST');
    const takes = await Promise.all(
      [1, 2, 3].map(() => codeOf(store.takePendingDeepLink(saved.id, 'session-a'))),
    );
    expect(takes.sort()).toEqual(['LTI13_DEEP_LINKING_REQUEST', 'LTI13_DEEP_LINKING_REQUEST', 'resolved']);
    expect(await codeOf(store.getPendingDeepLink(saved.id, 'session-a'))).toBe('LTI13_DEEP_LINKING_REQUEST');
  });

  it('stores the session as a hash only, and no data when the LMS sent none', async () => {
    const store = createDeepLinkStore(database.db);
    const saved = await store.savePendingDeepLink({ ...request, data: undefined });
    const row = await database.db
      .selectFrom('lti13_deep_linking_requests')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row.session_hash).not.toContain('session-a');
    expect(row.data).toBeNull();
    expect((await store.getPendingDeepLink(saved.id, 'session-a')).data).toBeUndefined();
  });

  it('forgets a request after an hour and sweeps it', async () => {
    let now = 1_000_000;
    const store = createDeepLinkStore(database.db, () => now);
    const saved = await store.savePendingDeepLink(request);
    now += deepLinkTtlMs - 1;
    expect((await store.getPendingDeepLink(saved.id, 'session-a')).id).toBe(saved.id);
    now += 1;
    expect(await codeOf(store.getPendingDeepLink(saved.id, 'session-a'))).toBe('LTI13_DEEP_LINKING_REQUEST');
    expect(await codeOf(store.takePendingDeepLink(saved.id, 'session-a'))).toBe('LTI13_DEEP_LINKING_REQUEST');
    await store.savePendingDeepLink(request);
    now += deepLinkTtlMs + 1;
    expect(await store.forgetExpiredDeepLinks()).toBe(1);
  });
});
