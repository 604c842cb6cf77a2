import { describe, expect, it } from 'vitest';
import { agsScopes, readAgsEndpoint, readOutcomeService, shownUrl } from './grade-service.ts';

const url = 'https://moodle.example.org/mod/lti/service.php';

describe('the LTI 1.1 outcome service of a launch', () => {
  it('takes the URL and the sourcedId together, exactly as sent', () => {
    const sourcedId = '{"data":{"instanceid":"2","userid":"4","typeid":"1","launchid":1},"hash":"ab"}';
    expect(readOutcomeService(url, sourcedId)).toEqual({
      service: { kind: 'outcomes', serviceUrl: url, sourcedId },
    });
  });

  it('has no service when one of the two is missing (an ungraded activity)', () => {
    expect(readOutcomeService(url, undefined)).toEqual({});
    expect(readOutcomeService(undefined, 'x')).toEqual({});
    expect(readOutcomeService('  ', 'x')).toEqual({});
  });

  it('ignores, with a reason that never quotes the URL, what cannot be used', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['javascript:alert(1)', 'x', /scheme is javascript:/],
      ['ftp://lms.test/outcomes?token=s3cret', 'x', /not http/],
      ['/relative/path', 'x', /not an absolute URL/],
      [`https://lms.test/${'a'.repeat(2048)}`, 'x', /longer than 2048/],
      ['https://lms.test/a b', 'x', /spaces or control/],
      ['https://user:pw@lms.test/o', 'x', /user name or password/],
      [url, 'x'.repeat(1025), /longer than 1024/],
      [url, 'a\u0000b', /control characters/],
      [url, 'a\u0001b', /control characters/],
      [url, '\ud800', /control characters/],
    ];
    for (const [u, s, reason] of cases) {
      const read = readOutcomeService(u, s);
      expect(read.service, u.slice(0, 40)).toBeUndefined();
      expect(read.problem).toMatch(reason);
      expect(read.problem).not.toContain('s3cret');
    }
    expect(readOutcomeService(url, 'x'.repeat(1024)).service).toBeDefined();
    expect(readOutcomeService(`https://lms.test/${'a'.repeat(2030)}`, 'x').service).toBeDefined();
  });

  it('keeps the service on the consumer’s registered origin, when it has one', () => {
    expect(readOutcomeService(url, 'x', 'https://moodle.example.org').service).toBeDefined();
    expect(readOutcomeService(url, 'x', 'https://moodle.example.org/').service).toBeDefined();
    const elsewhere = readOutcomeService('http://169.254.169.254/latest', 'x', 'https://moodle.example.org');
    expect(elsewhere.service).toBeUndefined();
    expect(elsewhere.problem).toMatch(/not on the LMS's registered origin https:\/\/moodle\.example\.org/);
  });

  it('shows a service URL without its query', () => {
    expect(shownUrl('https://lms.test/outcomes?token=s3cret#x')).toBe('https://lms.test/outcomes');
    expect(shownUrl('nonsense')).toBe('(not a URL)');
  });
});

describe('the LTI 1.3 AGS claim of a launch', () => {
  const container = 'https://lms.test/api/lti/courses/7/line_items';

  it('reads scopes, the container and the link’s line item', () => {
    const read = readAgsEndpoint({
      scope: [agsScopes.lineitem, agsScopes.score, agsScopes.score],
      lineitems: container,
      lineitem: `${container}/3?type_id=2`,
    });
    expect(read).toEqual({
      service: {
        kind: 'ags',
        scopes: [agsScopes.lineitem, agsScopes.score],
        lineitems: container,
        lineitem: `${container}/3?type_id=2`,
      },
    });
    expect(readAgsEndpoint({ scope: [agsScopes.score], lineitem: `${container}/3` }).service).toBeDefined();
  });

  it('has no service without a claim, and ignores a malformed one with a reason', () => {
    expect(readAgsEndpoint(undefined)).toEqual({});
    const bad: unknown[] = [
      'https://lms.test',
      { lineitems: container },
      { scope: 'score', lineitems: container },
      { scope: [agsScopes.score], lineitems: 7 },
      { scope: [agsScopes.score], lineitems: 'file:///etc/passwd' },
      { scope: [agsScopes.score], lineitem: `https://lms.test/${'x'.repeat(2048)}` },
      { scope: [agsScopes.score] },
      { scope: Array.from({ length: 21 }, () => agsScopes.score), lineitems: container },
    ];
    for (const claim of bad) {
      const read = readAgsEndpoint(claim);
      expect(read.service, JSON.stringify(claim).slice(0, 60)).toBeUndefined();
      expect(read.problem).toMatch(/^the AGS claim ignored/);
    }
  });
});
