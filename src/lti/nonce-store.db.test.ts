import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database.ts';
import { createNonceStore } from './nonce-store.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => database.close());

describe('the nonce store', () => {
  it('accepts a nonce once per consumer and timestamp, even under concurrent launches', async () => {
    const nonces = createNonceStore(database.db);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        nonces.rememberNonce('lms-a', 1_800_000_000, 'n-1', 2_000_000_000_000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await nonces.rememberNonce('lms-b', 1_800_000_000, 'n-1', 2_000_000_000_000)).toBe(true);
    expect(await nonces.rememberNonce('lms-a', 1_800_000_001, 'n-1', 2_000_000_000_000)).toBe(true);
  });

  it('takes nonces of any length and alphabet (Canvas > 32 chars, Open edX 30 digits)', async () => {
    const nonces = createNonceStore(database.db);
    for (const n of ['33677257996638751431614594571', 'x'.repeat(200), 'é/+= ☃']) {
      expect(await nonces.rememberNonce('lms-a', 1_800_000_000, n, 1)).toBe(true);
    }
  });

  it('forgets expired nonces and keeps live ones', async () => {
    const nonces = createNonceStore(database.db, () => 2_000);
    await nonces.rememberNonce('lms-a', 1, 'old', 1_000);
    await nonces.rememberNonce('lms-a', 1, 'live', 5_000);
    expect(await nonces.forgetExpiredNonces()).toBe(1);
    expect(await nonces.rememberNonce('lms-a', 1, 'live', 5_000)).toBe(false);
    expect(await nonces.rememberNonce('lms-a', 1, 'old', 5_000)).toBe(true);
  });
});
