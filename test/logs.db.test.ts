import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formEncode,
  getWithSession,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  type TestApp,
} from './support/test-app.ts';

let t: TestApp | undefined;
afterEach(async () => t?.close());

describe('logs', () => {
  it('are JSON lines that never contain secrets, signatures, cookies or the LMS return URL', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    t = await startTestApp({ logStream: stream, env: { LOG_LEVEL: 'trace' } });

    const params = learnerParams({
      launch_presentation_return_url: 'https://lms.test/mod/lti/return.php?sesskey=S3SSK3Y',
    });
    const launch = signedLaunch(t, { params });
    const res = await postLaunch(t, formEncode(launch));
    const session = sessionCookieOf(res)!;
    await getWithSession(t, '/home', session);
    await postLaunch(t, formEncode(signedLaunch(t, { secret: 'wrong-secret-value' })));

    const signature = launch.find(([k]) => k === 'oauth_signature')![1];
    expect(text).toContain('LTI 1.1 launch accepted');
    expect(text).toContain('LTI_BAD_SIGNATURE');
    for (const secret of [t.consumer.secret, signature, session, 'S3SSK3Y', 'wrong-secret-value']) {
      expect(text).not.toContain(secret);
    }
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
