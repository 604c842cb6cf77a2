import { createHash } from 'node:crypto';

// C0, DEL, C1, line separators and bidi overrides: never part of a file name written for a teacher.
const unsafeCharacter =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const maxSegmentBytes = 255;
const maxPathBytes = 1024;
const maxDepth = 32;

/**
 * Why a path taken from a learner's archive may not be written under their folder, or undefined when
 * it may: relative, `/`-separated, no `.`/`..`/empty segment, no control character, no backslash
 * (a separator once unpacked on Windows), no `.git` (its hooks would run on the teacher's machine).
 */
export function unsafePathReason(name: string): string | undefined {
  if (!name) return 'empty name';
  if (Buffer.byteLength(name) > maxPathBytes) return 'path too long';
  if (name.startsWith('/')) return 'absolute path';
  if (unsafeCharacter.test(name)) return 'control character in name';
  if (name.includes('\\')) return 'backslash in name';
  const segments = name.split('/');
  if (segments.length > maxDepth) return 'too many nested folders';
  for (const s of segments) {
    if (s === '') return 'empty path segment';
    if (s === '.' || s === '..') return 'path with . or ..';
    if (Buffer.byteLength(s) > maxSegmentBytes) return 'name too long';
    if (s.toLowerCase() === '.git') return '.git folder';
  }
  return undefined;
}

const folderPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A learner's folder name is their GitLab username when it is a safe path segment. */
export const isSafeFolderName = (name: string) =>
  folderPattern.test(name) && name.length <= 100 && name !== '.' && name !== '..';

/** The folder name for a learner whose username is missing or unsafe: stable, from their user id. */
export const fallbackFolder = (userId: string) =>
  `learner-${createHash('sha256').update(userId).digest('hex').slice(0, 16)}`;

/** A name as a person may read it in a CSV or a terminal: control characters as visible escapes. */
export function shownName(name: string): string {
  return name.replace(new RegExp(unsafeCharacter.source, 'g'), (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
