import { decodeJwt, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { resourceLinkItem, signDeepLinkingResponse } from './deep-linking-response.ts';

const exercise = { slug: 'ex1', title: 'Exercice 1' };

describe('the deep-linking answer', () => {
  it('opens in a new window when the LMS accepts one, else in its iframe, else as the LMS likes', () => {
    expect(resourceLinkItem(exercise, ['frame', 'iframe', 'window'])).toMatchObject({
      window: { targetName: '_blank' },
    });
    expect(resourceLinkItem(exercise, ['frame', 'iframe', 'window'])).not.toHaveProperty('iframe');
    expect(resourceLinkItem(exercise, ['iframe', 'embed'])).toMatchObject({ iframe: {} });
    const neither = resourceLinkItem({ ...exercise, text: 'Due Friday' }, ['embed']);
    expect(neither).not.toHaveProperty('window');
    expect(neither).not.toHaveProperty('iframe');
    expect(neither).toMatchObject({ text: 'Due Friday', custom: { assignment: 'ex1' } });
  });

  it('uses whole seconds even when the clock gives fractions', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await signDeepLinkingResponse(
      { signingKey: async () => ({ kid: 'k1', key: privateKey }) },
      { issuer: 'https://lms.test', clientId: 'c1', deploymentId: 'd1', targets: [], data: undefined },
      exercise,
      1_800_000_000.75,
    );
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      iat: 1_800_000_000,
      exp: 1_800_000_300,
      iss: 'c1',
      aud: 'https://lms.test',
    });
  });
});
