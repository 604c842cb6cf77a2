import { describe, expect, it } from 'vitest';
import { oauthSignature, percentEncode, signatureBaseString } from './oauth1.ts';

// Published vectors; each request's scheme is as the documents give it.
describe('RFC 5849 §1.2 example (printer and photos)', () => {
  const consumerSecret = 'kd94hf93k423kf44';
  it('signs the temporary-credential request (HTTPS)', () => {
    const signature = oauthSignature({
      method: 'POST',
      url: 'https://photos.example.net/initiate',
      params: [
        ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '137131200'],
        ['oauth_nonce', 'wIjqoS'],
        ['oauth_callback', 'http://printer.example.com/ready'],
      ],
      consumerSecret,
    });
    expect(signature).toBe('74KNZJeDHnMBp0EMJ9ZHt/XKycU=');
  });

  it('signs the token request with the temporary token secret (HTTPS)', () => {
    const signature = oauthSignature({
      method: 'POST',
      url: 'https://photos.example.net/token',
      params: [
        ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
        ['oauth_token', 'hh5s93j4hdidpola'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '137131201'],
        ['oauth_nonce', 'walatlh'],
        ['oauth_verifier', 'hfdp7dh39dks9884'],
      ],
      consumerSecret,
      tokenSecret: 'hdhd0244k9j7ao03',
    });
    expect(signature).toBe('gKgrFCywp7rO0OXSjdot/IHF7IU=');
  });

  it('signs the photo request over http, with its query parameters, and not over https', () => {
    const sign = (scheme: string) =>
      oauthSignature({
        method: 'GET',
        url: `${scheme}://photos.example.net/photos?file=vacation.jpg&size=original`,
        params: [
          ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
          ['oauth_token', 'nnch734d00sl2jdk'],
          ['oauth_signature_method', 'HMAC-SHA1'],
          ['oauth_timestamp', '137131202'],
          ['oauth_nonce', 'chapoH'],
        ],
        consumerSecret,
        tokenSecret: 'pfkkdhi9sl3r4s00',
      });
    expect(sign('http')).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    expect(sign('https')).not.toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });
});

describe('RFC 5849 §3.4.1.1 signature base string', () => {
  it('collects query and body, decodes +, keeps duplicates and empty values, sorts by encoded bytes', () => {
    const base = signatureBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', [
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''],
      ['a3', '2 q'],
    ]);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('lower-cases scheme and host and drops default ports (§3.4.1.2)', () => {
    expect(signatureBaseString('get', 'HTTP://EXAMPLE.COM:80/r%20v/X?id=123', [])).toBe(
      'GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&id%3D123',
    );
    expect(signatureBaseString('GET', 'https://www.example.net:8080/?q=1', [])).toBe(
      'GET&https%3A%2F%2Fwww.example.net%3A8080%2F&q%3D1',
    );
  });
});

describe('OAuth Core 1.0 Appendix A', () => {
  it('gives the published HMAC-SHA1 signature for the photos request', () => {
    const signature = oauthSignature({
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      params: [
        ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
        ['oauth_token', 'nnch734d00sl2jdk'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '1191242096'],
        ['oauth_nonce', 'kllo9940pd9333jh'],
        ['oauth_version', '1.0'],
      ],
      consumerSecret: 'kd94hf93k423kf44',
      tokenSecret: 'pfkkdhi9sl3r4s00',
    });
    expect(signature).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });
});

describe('an LTI 1.1 test consumer launch', () => {
  // A launch signed by Instructure's public LTI test consumer, published in harvard-edtech/caccl-lti's fixtures.
  it('verifies with the consumer secret', () => {
    const params: Array<[string, string]> = [
      ['oauth_consumer_key', '5b6ee40cc9fcdaede550654a93307dcd'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1536162929'],
      ['oauth_nonce', 'gF0HZHJPGyeicNv8eW0NFlhLyv0l60mkT7albdBaws'],
      ['oauth_version', '1.0'],
      ['context_id', 'b716c3bf45'],
      ['context_title', 'Course 517'],
      ['launch_presentation_return_url', 'https://learn-lti.herokuapp.com/tool_return/signature_check/2/628'],
      ['lis_person_name_full', 'Dong Jones'],
      ['lti_message_type', 'basic-lti-launch-request'],
      ['lti_version', 'LTI-1p0'],
      ['resource_link_id', 'ca96a54273'],
      ['roles', 'urn:lti:instrole:ims/lis/administrator'],
      ['tool_consumer_instance_name', 'Class 465'],
      ['user_id', 'b0a13934a8'],
    ];
    const signature = oauthSignature({
      method: 'POST',
      url: 'https://localhost:8080/launch',
      params,
      consumerSecret: 'c64d84750dcb21febd995058588f019f',
    });
    expect(signature).toBe('s182wI2czmouKeqG5Bj7aX7N5BQ=');
  });
});

describe('encoding and ordering traps', () => {
  it("encodes the characters encodeURIComponent leaves alone: ! ' ( ) *", () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
    expect(percentEncode('é ~')).toBe('%C3%A9%20~');
  });

  it('sorts custom_x before custom_x2 (by name, then value), unlike a sort of whole name=value strings', () => {
    const base = signatureBaseString('POST', 'https://t.example/launch', [
      ['custom_x2', 'a'],
      ['custom_x', 'b'],
    ]);
    expect(decodeURIComponent(base.split('&')[2]!)).toBe('custom_x=b&custom_x2=a');
  });

  it('HMAC-SHA256 differs from HMAC-SHA1 and is reproducible', () => {
    const o = {
      method: 'POST',
      url: 'https://t.example/launch',
      params: [['a', '1']] as Array<[string, string]>,
    };
    const sha256 = oauthSignature({ ...o, consumerSecret: 's', signatureMethod: 'HMAC-SHA256' });
    expect(sha256).toBe(oauthSignature({ ...o, consumerSecret: 's', signatureMethod: 'HMAC-SHA256' }));
    expect(Buffer.from(sha256, 'base64')).toHaveLength(32);
    expect(sha256).not.toBe(oauthSignature({ ...o, consumerSecret: 's' }));
  });
});
