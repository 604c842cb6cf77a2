import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwksCache } from '../src/lti/index.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';
import { beginLogin, postIdToken, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

const seed = Number(process.env.LTI_FUZZ_SEED ?? Date.now() % 1_000_000);
let state = seed >>> 0;
const random = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 4294967296;
};
const int = (n: number) => Math.floor(random() * n);
const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Each mutation changes the signed bytes or the token's structure; none may be accepted. */
const mutations: Array<(token: string) => string> = [
  // Only before the signature: its last base64url character has spare bits that decode to the same bytes.
  (tk) => {
    const i = int(tk.lastIndexOf('.'));
    const c = b64[int(b64.length)]!;
    return tk[i] === c || tk[i] === '.' ? tk + 'x' : tk.slice(0, i) + c + tk.slice(i + 1);
  },
  (tk) => tk.slice(0, int(tk.length)),
  (tk) => tk.split('.').slice(0, 2).join('.') + '.',
  (tk) => {
    const [, p, s] = tk.split('.');
    return [Buffer.from('{"alg":"none"}').toString('base64url'), p, s].join('.');
  },
  (tk) => tk.split('.').reverse().join('.'),
  () => Array.from({ length: int(400) }, () => b64[int(b64.length)]).join(''),
  (tk) => tk + '.' + tk,
];

let t: TestApp;
let platform: TestPlatform;
beforeAll(async () => {
  t = await startTestApp({ jwks: createJwksCache({ cooldownMs: 60_000 }) });
  platform = await startTestPlatform();
  await platform.register(t);
});
afterAll(async () => {
  await t.close();
  await platform.close();
});

describe('fuzzing the LTI 1.3 launch endpoint', () => {
  it(`answers 1,000 mutated id_tokens with 4xx only, accepting none (seed ${seed})`, async () => {
    const accepted: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const login = await beginLogin(t);
      const token = await platform.sign(platform.claims(login.nonce));
      const mutate = mutations[int(mutations.length)]!;
      const res = await postIdToken(t, {
        idToken: mutate(token),
        state: login.state,
        cookies: login.cookies,
      });
      if (res.statusCode >= 500)
        throw new Error(`5xx for mutation ${mutations.indexOf(mutate)}: ${res.body}`);
      if (res.statusCode < 400) accepted.push(`mutation ${mutations.indexOf(mutate)}`);
    }
    expect(accepted).toEqual([]);
  });
});
