import type { ConsumerStore } from '../lti/index.ts';

export const demoConsumerKey = 'labgate-demo';

/** The simulator's LTI 1.1 consumer: created once with a fresh secret, then reused. */
export async function ensureDemoConsumer(
  consumers: Pick<ConsumerStore, 'findConsumer' | 'addConsumer'>,
  publicBaseUrl: URL,
): Promise<string> {
  const existing = await consumers.findConsumer(demoConsumerKey);
  if (existing) return existing.secrets[0]!;
  const created = await consumers.addConsumer({
    key: demoConsumerKey,
    name: 'LMS simulator (demo)',
    allowedOrigin: publicBaseUrl.origin,
  });
  return created.secret;
}
