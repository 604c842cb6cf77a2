import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formEncode,
  learnerParams,
  postLaunch,
  signedLaunch,
  startTestApp,
  type TestApp,
} from './support/test-app.ts';

/** Small seeded generator so that a failure can be replayed with the printed seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

type Pairs = Array<[string, string]>;
const seed = Number(process.env.LTI_FUZZ_SEED ?? Date.now() % 1_000_000);
const random = prng(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (n: number) => Math.floor(random() * n);
const alphabet = ['a', 'Z', '0', ' ', '=', '&', '%', '+', 'é', '\u0000', '\r\n', '日', '😀', '"', '<', '~'];
const junk = (n: number) => Array.from({ length: n }, () => pick(alphabet)).join('');

/** Each mutation changes what was signed (or breaks the request); none may be accepted. */
const mutations: Array<(p: Pairs) => string | Buffer> = [
  (p) => {
    const at = int(p.length);
    return formEncode(p.map(([k, v], i) => (i === at ? [k, v + junk(1 + int(3))] : [k, v])));
  },
  (p) => {
    const at = int(p.length);
    return formEncode(p.filter((_, i) => i !== at));
  },
  (p) => formEncode([...p, pick(p)]),
  (p) => formEncode(p.map(([k, v]) => (k === 'user_id' ? [k, junk(8)] : [k, v]))),
  (p) => formEncode(p.map(([k, v]) => (k === 'oauth_signature' ? [k, junk(28)] : [k, v]))),
  (p) =>
    formEncode(
      p.map(([k, v]) =>
        k === 'oauth_signature_method' ? [k, pick(['PLAINTEXT', 'RSA-SHA1', '', 'hmac-sha1'])] : [k, v],
      ),
    ),
  (p) =>
    formEncode(
      p.map(([k, v]) =>
        k === 'oauth_timestamp' ? [k, String(Number(v) + pick([-1, 1, 400, -400]))] : [k, v],
      ),
    ),
  (p) => formEncode(p.map(([k, v]) => (k === 'oauth_consumer_key' ? [k, junk(6)] : [k, v]))),
  (p) => formEncode(p.map(([k, v]) => (k === 'roles' ? [k, 'Instructor'] : [k, v]))),
  (p) => formEncode(p.map(([k, v]) => (k.startsWith('oauth_') ? [k.toUpperCase(), v] : [k, v]))),
  (p) => formEncode([...p, [`custom_${junk(3)}`, junk(10)]]),
  (p) => formEncode(p).slice(0, int(formEncode(p).length)),
  (p) => Buffer.concat([Buffer.from(formEncode(p)), Buffer.from([0xc3, 0x28, 0xff])]),
  (p) => formEncode(p) + '&x=%' + pick(['', 'G', 'zz', 'C3', 'E2%82']),
  () => junk(int(200)),
  () => Buffer.from(Array.from({ length: int(300) }, () => int(256))),
  (p) => formEncode(p).replace(/&/g, pick([';', '&amp;'])),
];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('fuzzing the LTI 1.1 launch endpoint', () => {
  it(`answers 10,000 random or mutated launches with 4xx only, accepting no forgery (seed ${seed})`, async () => {
    const statuses = new Map<number, number>();
    const accepted: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const params = learnerParams({ user_id: `fuzz-${i % 50}`, custom_i: String(i) });
      const signed = signedLaunch(t, {
        params,
        signatureMethod: pick(['HMAC-SHA1', 'HMAC-SHA256'] as const),
      });
      const mutate = pick(mutations);
      const body = mutate(signed);
      const contentType =
        random() < 0.05 ? pick(['text/plain', 'application/json', 'multipart/form-data']) : undefined;
      const res = await postLaunch(t, body, contentType ? { headers: { 'content-type': contentType } } : {});
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500)
        throw new Error(`5xx for mutation ${mutations.indexOf(mutate)}: ${res.body}`);
      if (res.statusCode < 400)
        accepted.push(`mutation ${mutations.indexOf(mutate)}: ${String(body).slice(0, 300)}`);
    }
    expect(accepted).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  });

  it('still accepts the untouched launches it mutated (the fuzzer tests a working endpoint)', async () => {
    const res = await postLaunch(t, formEncode(signedLaunch(t)));
    expect(res.statusCode).toBe(303);
  });
});
