/**
 * GitLab's naming rules (lib/gitlab/path_regex.rb, app/models/project.rb): what labgate turns course,
 * assignment and learner names into so that any name a teacher or an LMS sends becomes a valid one.
 */
const maxLength = 255;

const stripAccents = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');

/** A path: letters, digits, `_ - .`; starts with a letter, digit or `_`; not ending in `.`, `.git`, `.atom`. */
export function pathSlug(wish: string, fallback: string, maxChars = 60): string {
  const slug = stripAccents(wish)
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, maxChars)
    .replace(/(\.git|\.atom)$/, '')
    .replace(/[-.]+$/, '');
  return slug || fallback;
}

/** `base`, then `base-2`, `base-3`…, keeping within GitLab's 255 characters. */
export function withSuffix(base: string, attempt: number): string {
  if (attempt === 0) return base.slice(0, maxLength);
  const suffix = `-${attempt + 1}`;
  return base.slice(0, maxLength - suffix.length) + suffix;
}

/**
 * A project or group name: letters (any script), digits, emoji, `_ . + -` and spaces, starting with a
 * letter, digit, emoji or `_`. Other characters become spaces; nothing a person typed is refused.
 */
export function displayName(wish: string, fallback: string): string {
  const cleaned = wish
    .replace(/[^\p{L}\p{N}\p{Extended_Pictographic}\p{M}_.+\- ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.+\- ]+/, '');
  return [...(cleaned || fallback)].slice(0, maxLength).join('').trim();
}
