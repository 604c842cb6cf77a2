import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../errors.ts';
import { oauthSignature, signatureBaseString } from './oauth1.ts';
import {
  oauthAuthorizationHeader,
  oauthBodyHash,
  readOutcomeResponse,
  replaceResultRequest,
} from './outcomes.ts';
import { readReplaceResult, verifyOutcomeRequest, type OutcomeRequestToVerify } from './outcomes-verify.ts';
import { parseXml, type XmlElement } from './pox-xml.ts';

const expectCode = async (run: () => unknown, code: string) => {
  try {
    await run();
  } catch (e) {
    expect(isAppError(e) && e.code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
};

describe('OAuth Request Body Hash draft, Appendix A.1', () => {
  it('hashes "Hello World!" and the empty body as published', () => {
    expect(oauthBodyHash('Hello World!')).toBe('Lve95gjOVATpfV8EL5X4nxwjKHE=');
    expect(oauthBodyHash(Buffer.from('Hello World!'))).toBe('Lve95gjOVATpfV8EL5X4nxwjKHE=');
    expect(oauthBodyHash('')).toBe('2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
  });

  it('puts the body hash into the signature base string as printed (the printed signature is not reproducible)', () => {
    const base = signatureBaseString('PUT', 'http://www.example.com/resource', [
      ['oauth_consumer_key', 'consumer'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1236874236'],
      ['oauth_nonce', '10369470270925'],
      ['oauth_version', '1.0'],
      ['oauth_token', 'token'],
      ['oauth_body_hash', oauthBodyHash('Hello World!')],
    ]);
    expect(base).toBe(
      'PUT&http%3A%2F%2Fwww.example.com%2Fresource&oauth_body_hash%3DLve95gjOVATpfV8EL5X4nxwjKHE%253D%26oauth_consumer_key%3Dconsumer%26oauth_nonce%3D10369470270925%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1236874236%26oauth_token%3Dtoken%26oauth_version%3D1.0',
    );
  });
});

// IMS LTI 1.1 Implementation Guide §6.1.1 and §6.1.2, as printed there (including the spaces around "=").
const imsRequest = `<?xml version = "1.0" encoding = "UTF-8"?>
<imsx_POXEnvelopeRequest xmlns = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXRequestHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>999999123</imsx_messageIdentifier>
    </imsx_POXRequestHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>
    <replaceResultRequest>
      <resultRecord>
        <sourcedGUID>
          <sourcedId>3124567</sourcedId>
        </sourcedGUID>
        <result>
          <resultScore>
            <language>en</language>
            <textString>0.92</textString>
          </resultScore>
        </result>
      </resultRecord>
    </replaceResultRequest>
  </imsx_POXBody>
</imsx_POXEnvelopeRequest>`;

const imsResponse = (codeMajor: string, description: string) => `<?xml version = "1.0" encoding = "UTF-8"?>
<imsx_POXEnvelopeResponse xmlns = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXResponseHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>4560</imsx_messageIdentifier>
      <imsx_statusInfo>
        <imsx_codeMajor>${codeMajor}</imsx_codeMajor>
        <imsx_severity>status</imsx_severity>
        <imsx_description>${description}</imsx_description>
        <imsx_messageRefIdentifier>999999123</imsx_messageRefIdentifier>
        <imsx_operationRefIdentifier>replaceResult</imsx_operationRefIdentifier>
      </imsx_statusInfo>
    </imsx_POXResponseHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>
    <replaceResultResponse/>
  </imsx_POXBody>
</imsx_POXEnvelopeResponse>`;

const shape = (e: XmlElement): unknown => [e.namespace, e.name, e.children.map(shape)];
const serviceUrl = 'https://lms.example.org/mod/lti/service.php?type=7&q=a%20b';
const sign = (over: Partial<Parameters<typeof replaceResultRequest>[0]> = {}) =>
  replaceResultRequest({
    serviceUrl,
    sourcedId: '3124567',
    score: 0.85,
    consumerKey: 'moodle-key',
    secret: 'the-secret',
    nonce: 'n-1',
    timestamp: 1_700_000_000,
    messageId: 'm-1',
    ...over,
  });

function verifying(request: ReturnType<typeof sign>, over: Partial<OutcomeRequestToVerify> = {}) {
  const seen = new Set<string>();
  return {
    seen,
    run: () =>
      verifyOutcomeRequest({
        method: 'POST',
        url: request.url,
        headers: request.headers,
        body: Buffer.from(request.body),
        secretFor: (key) => (key === 'moodle-key' ? ['old-secret', 'the-secret'] : undefined),
        rememberNonce: (key, ts, nonce) =>
          !seen.has(`${key}:${ts}:${nonce}`) && !!seen.add(`${key}:${ts}:${nonce}`),
        now: () => 1_700_000_010_000,
        ...over,
      }),
  };
}

describe('replaceResultRequest', () => {
  it('builds the body in the shape and namespace of the IMS sample, with our values', () => {
    const { body, headers, url } = sign();
    expect(shape(parseXml(body))).toEqual(shape(parseXml(imsRequest)));
    expect(readReplaceResult(body)).toMatchObject({
      messageIdentifier: 'm-1',
      sourcedId: '3124567',
      score: 0.85,
    });
    expect(body).toContain('<textString>0.85</textString>');
    expect(body).toContain('<language>en</language>');
    expect(url).toBe(serviceUrl);
    expect(headers['content-type']).toBe('application/xml');
    expect(headers.authorization).toMatch(/^OAuth oauth_version="1.0", /);
  });

  it('signs oauth_body_hash and the service URL query parameters, with HMAC-SHA1', () => {
    const { body, headers } = sign();
    const params: Array<[string, string]> = [
      ['oauth_version', '1.0'],
      ['oauth_nonce', 'n-1'],
      ['oauth_timestamp', '1700000000'],
      ['oauth_consumer_key', 'moodle-key'],
      ['oauth_body_hash', oauthBodyHash(body)],
      ['oauth_signature_method', 'HMAC-SHA1'],
    ];
    expect(signatureBaseString('POST', serviceUrl, params)).toContain('q%3Da%2520b%26type%3D7');
    const signature = oauthSignature({
      method: 'POST',
      url: serviceUrl,
      params,
      consumerSecret: 'the-secret',
    });
    expect(headers.authorization).toContain(`oauth_signature="${encodeURIComponent(signature)}"`);
  });

  it.each([1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the score %s', async (score) => {
    await expectCode(() => sign({ score }), 'LTI_OUTCOME_SCORE');
  });

  it('writes 0, 1 and tiny scores as plain decimals', () => {
    const text = (score: number) => readReplaceResult(sign({ score }).body).scoreText;
    expect([text(0), text(1), text(1e-7), text(-0)]).toEqual(['0', '1', '0.0000001', '0']);
  });

  afterEach(() => vi.restoreAllMocks());

  it('never writes 0,85 under a French locale, in-process or in a process started in fr_FR', () => {
    vi.spyOn(Number.prototype, 'toLocaleString').mockImplementation(function (this: number) {
      return new Intl.NumberFormat('fr-FR').format(this);
    });
    expect(sign().body).toContain('<textString>0.85</textString>');
    const module = path.join(import.meta.dirname, 'outcomes.ts');
    const script = `import(${JSON.stringify(module)}).then((m) => console.log((0.85).toLocaleString(), m.formatScore(0.85)))`;
    // env(1) sets the locale for the child only; ICU reads it at start-up.
    const locale = ['LC_ALL=fr_FR.UTF-8', 'LANG=fr_FR.UTF-8'];
    const out = execFileSync('env', [...locale, process.execPath, '--import', 'tsx', '-e', script], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('0,85 0.85');
  });

  it('escapes sourcedIds and gets them back identical', async () => {
    const ids = [
      `a<b&c"d'e>f`,
      '{"data":{"instanceid":"2","userid":"3","typeid":null,"launchid":1},"hash":"9f&lt;"}',
      'course-v1:FUN+X+2026:block@x:42\r\n\tend ',
      'Élève 学生 😀 ]]>',
    ];
    for (const [i, sourcedId] of ids.entries()) {
      const request = sign({ sourcedId, nonce: `n-${i}`, messageId: `<${i}&>` });
      if (i === 0) expect(request.body).toContain('<sourcedId>a&lt;b&amp;c&quot;d&apos;e&gt;f</sourcedId>');
      const verified = await verifying(request).run();
      expect(verified.sourcedId).toBe(sourcedId);
      expect(verified.messageIdentifier).toBe(`<${i}&>`);
    }
  });

  it('refuses a sourcedId XML cannot carry', async () => {
    await expectCode(() => sign({ sourcedId: 'a\u0001b' }), 'LTI_OUTCOME_TEXT');
  });
});

describe('verifyOutcomeRequest', () => {
  it('verifies a signed request and reads sourcedId and score, then refuses its replay', async () => {
    const v = verifying(sign());
    expect(await v.run()).toEqual({
      consumerKey: 'moodle-key',
      operation: 'replaceResult',
      messageIdentifier: 'm-1',
      sourcedId: '3124567',
      score: 0.85,
      scoreText: '0.85',
      language: 'en',
    });
    await expectCode(v.run, 'LTI_OUTCOME_REPLAYED');
  });

  it('refuses a wrong secret and an unknown key, recording no nonce', async () => {
    const wrong = verifying(sign({ secret: 'guessed' }));
    await expectCode(wrong.run, 'LTI_OUTCOME_BAD_SIGNATURE');
    expect(wrong.seen.size).toBe(0);
    await expectCode(verifying(sign({ consumerKey: 'other' })).run, 'LTI_OUTCOME_UNKNOWN_CONSUMER');
  });

  it('refuses a request verified at another URL or without its query', async () => {
    const request = sign();
    await expectCode(
      verifying({ ...request, url: serviceUrl.split('?')[0]! }).run,
      'LTI_OUTCOME_BAD_SIGNATURE',
    );
    await expectCode(
      verifying({ ...request, url: serviceUrl.replace('https:', 'http:') }).run,
      'LTI_OUTCOME_BAD_SIGNATURE',
    );
  });

  it('refuses a tampered body', async () => {
    const request = sign();
    const tampered = { ...request, body: request.body.replace('0.85', '1.0') };
    const e = await expectCode(verifying(tampered).run, 'LTI_OUTCOME_BODY_TAMPERED');
    expect(e.message).toMatch(/does not match its signed oauth_body_hash/);
  });

  const resign = (params: Array<[string, string]>, extra = '') => {
    const signature = oauthSignature({
      method: 'POST',
      url: serviceUrl,
      params,
      consumerSecret: 'the-secret',
    });
    return oauthAuthorizationHeader([...params, ['oauth_signature', signature]]) + extra;
  };
  const base: Array<[string, string]> = [
    ['oauth_consumer_key', 'moodle-key'],
    ['oauth_nonce', 'n-9'],
    ['oauth_timestamp', '1700000000'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_version', '1.0'],
  ];

  it('refuses a correctly signed request without oauth_body_hash, or with it twice', async () => {
    const request = sign();
    const headers = (authorization: string) => ({ ...request.headers, authorization });
    await expectCode(
      verifying({ ...request, headers: headers(resign(base)) }).run,
      'LTI_OUTCOME_MISSING_BODY_HASH',
    );
    const withHash: Array<[string, string]> = [...base, ['oauth_body_hash', oauthBodyHash(request.body)]];
    const twice = resign(withHash, `, oauth_body_hash="${encodeURIComponent(oauthBodyHash('x'))}"`);
    await expectCode(
      verifying({ ...request, headers: headers(twice) }).run,
      'LTI_OUTCOME_DUPLICATE_PARAMETER',
    );
    // The same parameters once, with a realm, are fine.
    const once = `OAuth realm="", ${resign(withHash).slice('OAuth '.length)}`;
    expect((await verifying({ ...request, headers: headers(once) }).run()).score).toBe(0.85);
  });

  it('refuses timestamps outside ±300 s both ways, a missing header and a form body', async () => {
    const request = sign();
    for (const offset of [-301, 301]) {
      const now = () => (1_700_000_000 + offset) * 1000;
      await expectCode(verifying(request, { now }).run, 'LTI_OUTCOME_CLOCK_SKEW');
    }
    await expectCode(verifying({ ...request, headers: {} as never }).run, 'LTI_OUTCOME_NO_AUTHORIZATION');
    const form = { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' };
    await expectCode(verifying({ ...request, headers: form as never }).run, 'LTI_OUTCOME_FORM_BODY');
  });

  it('refuses readResult and deleteResult as unsupported, naming the message', async () => {
    for (const op of ['readResult', 'deleteResult']) {
      const xml = imsRequest.replace(/replaceResultRequest/g, `${op}Request`);
      const params: Array<[string, string]> = [...base, ['oauth_body_hash', oauthBodyHash(xml)]];
      const request = {
        ...sign(),
        body: xml,
        headers: { 'content-type': 'application/xml', authorization: resign(params) },
      };
      const e = await expectCode(verifying(request as never).run, 'LTI_OUTCOME_UNSUPPORTED');
      expect(isAppError(e) && e.details).toEqual({ operation: op, messageIdentifier: '999999123' });
    }
  });

  it('reads the IMS sample and refuses envelopes without the IMS namespace or with a bad score', async () => {
    expect(readReplaceResult(imsRequest)).toMatchObject({
      sourcedId: '3124567',
      score: 0.92,
      language: 'en',
    });
    await expectCode(() => readReplaceResult(imsRequest.replace(/ xmlns = "[^"]*"/, '')), 'LTI_OUTCOME_XML');
    await expectCode(() => readReplaceResult(imsRequest.replace('0.92', '0,92')), 'LTI_OUTCOME_SCORE');
    await expectCode(() => readReplaceResult(imsRequest.replace('0.92', '1.5')), 'LTI_OUTCOME_SCORE');
  });
});

describe('readOutcomeResponse', () => {
  it('reads the IMS sample response', () => {
    expect(readOutcomeResponse(imsResponse('success', 'Score for 3124567 is now 0.92'))).toEqual({
      codeMajor: 'success',
      description: 'Score for 3124567 is now 0.92',
      messageRefIdentifier: '999999123',
      operationRefIdentifier: 'replaceResult',
    });
  });

  it('reads failure and unsupported, entities, CDATA and prefixed elements', () => {
    expect(
      readOutcomeResponse(imsResponse('failure', 'Score not between 0.0 and 1.0 &amp; &#233;')).description,
    ).toBe('Score not between 0.0 and 1.0 & é');
    expect(readOutcomeResponse(imsResponse('unsupported', '<![CDATA[<b>no</b>]]>')).description).toBe(
      '<b>no</b>',
    );
    const prefixed = imsResponse('failure', 'x')
      .replace(/<(\/?)imsx_/g, '<$1o:imsx_')
      .replace('xmlns = ', 'xmlns:o = ');
    expect(readOutcomeResponse(prefixed).codeMajor).toBe('failure');
  });

  it('refuses a DOCTYPE, unknown entities, an unknown status and broken XML', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${imsResponse('success', '&lol;').replace(/^<\?xml[^>]*\?>/, '')}`;
    const e = await expectCode(() => readOutcomeResponse(laughs), 'LTI_OUTCOME_XML');
    expect(e.message).toMatch(/DOCTYPE/);
    await expectCode(() => readOutcomeResponse(imsResponse('success', '&lol;')), 'LTI_OUTCOME_XML');
    await expectCode(() => readOutcomeResponse(imsResponse('great', '')), 'LTI_OUTCOME_RESPONSE');
    await expectCode(() => readOutcomeResponse(imsResponse('success', '').slice(0, -10)), 'LTI_OUTCOME_XML');
    await expectCode(() => readOutcomeResponse('<html><body>502</body></html>'), 'LTI_OUTCOME_RESPONSE');
  });
});
