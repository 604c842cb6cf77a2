import { describe, expect, it } from 'vitest';
import { localPath, localPathOr } from './local-redirect.ts';

// What browsers do with a Location header: resolve it against the page's URL after WHATWG cleaning
// (tabs and newlines dropped, `\` read as `/` in special schemes). Node's URL parser does the same.
const followed = (location: string) => new URL(location, 'https://labgate.example/login/oidc').host;

const attacks = [
  '/\t/evil.example/pwn',
  '/\n/evil.example/pwn',
  '/\r\n/evil.example/pwn',
  '/\\evil.example/pwn',
  '/\\/evil.example/pwn',
  '//evil.example/pwn',
  '///evil.example/pwn',
  '/..//evil.example/pwn',
  '/ /evil.example',
  '/\u0000/evil.example',
  '/\u202e/evil.example',
  '/\u00a0/evil.example',
  '/\u200b/evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  'evil.example',
  '',
  ' /home',
];

describe('localPath: only a path on labgate’s own origin', () => {
  it.each(attacks)(
    'refuses %j, which a browser may follow off-site or does not read as it shows',
    (value) => {
      expect(localPath(value)).toBeUndefined();
      expect(localPathOr(value, '/home')).toBe('/home');
    },
  );

  it('the attack of issue 11 really leaves the site when not refused', () => {
    expect(followed('/\t/evil.example/pwn')).toBe('evil.example');
    expect(followed('/\\evil.example/pwn')).toBe('evil.example');
  });

  it('keeps labgate paths, with their query, normalized', () => {
    expect(localPath('/oidc/interaction/abc?x=1&y=%2F%2F')).toBe('/oidc/interaction/abc?x=1&y=%2F%2F');
    expect(localPath('/home')).toBe('/home');
    expect(localPath('/a/../home')).toBe('/home');
    expect(localPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
    expect(followed(localPath('/%2F%2Fevil.example')!)).toBe('labgate.example');
  });

  it('refuses what is not a string', () => {
    expect(localPath(undefined)).toBeUndefined();
    expect(localPath(['/home'])).toBeUndefined();
    expect(localPath('/' + 'a'.repeat(3000))).toBeUndefined();
  });
});
