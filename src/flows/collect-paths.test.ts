import { describe, expect, it } from 'vitest';
import { fallbackFolder, isSafeFolderName, shownName, unsafePathReason } from './collect-paths.ts';

describe('paths from a learner’s archive', () => {
  it('keeps ordinary relative paths, accents and spaces included', () => {
    for (const p of ['ex.ipynb', 'data/notes.md', 'données/résumé final.txt', '...', 'a/.hidden', 'x..y'])
      expect(unsafePathReason(p), p).toBeUndefined();
  });

  it('refuses anything that could land outside the folder or trick the teacher', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty name'],
      ['/etc/passwd', 'absolute path'],
      ['../escape.txt', 'path with . or ..'],
      ['a/../../b', 'path with . or ..'],
      ['a/./b', 'path with . or ..'],
      ['a//b', 'empty path segment'],
      ['a/', 'empty path segment'],
      ['nul\u0000byte', 'control character in name'],
      ['evil\u001b[31m.txt', 'control character in name'],
      ['line\nbreak', 'control character in name'],
      ['del\u007f', 'control character in name'],
      ['txt.\u202egnp', 'control character in name'],
      ['..\\..\\windows', 'backslash in name'],
      ['.git/hooks/post-checkout', '.git folder'],
      ['sub/.GIT/config', '.git folder'],
      ['x'.repeat(256), 'name too long'],
      [`${'a/'.repeat(40)}f`, 'too many nested folders'],
      [
        `${'é'.repeat(120)}/${'é'.repeat(120)}/${'é'.repeat(120)}/${'é'.repeat(120)}/${'é'.repeat(120)}`,
        'path too long',
      ],
    ];
    for (const [p, why] of cases) expect(unsafePathReason(p), JSON.stringify(p)).toBe(why);
  });

  it('names a learner’s folder by a safe username, else by a stable hash of their id', () => {
    expect(isSafeFolderName('ada.lovelace_2-x')).toBe(true);
    for (const bad of ['', '.', '..', '.hidden', '-x', 'a/b', 'a b', 'é', 'x'.repeat(101)])
      expect(isSafeFolderName(bad), bad).toBe(false);
    expect(fallbackFolder('u-1')).toMatch(/^learner-[0-9a-f]{16}$/);
    expect(fallbackFolder('u-1')).toBe(fallbackFolder('u-1'));
    expect(isSafeFolderName(fallbackFolder('u-1'))).toBe(true);
  });

  it('shows control characters as escapes', () => {
    expect(shownName('evil\u001b[31m\n.txt')).toBe('evil\\x1b[31m\\x0a.txt');
    expect(shownName('a\u202eb')).toBe('a\\u202eb');
  });
});
