// git check-ref-format's rules, in-process (the command itself would read the server's own repository
// for `@{-1}`): control characters, space, ~ ^ : ? * [ \, `..`, `@{`, `//`, a component starting with
// `.` or ending with `.lock`, a trailing `/` or `.`, and `@` alone are not names.
const forbidden = /[\p{Cc}\p{Cf} ~^:?*[\\]|\.\.|@\{|\/\//u;

/**
 * A branch, tag or full ref name as git accepts it, or a (short) sha; never an option (`-…`) nor a
 * revision expression (`main~1`, `:/text`, `HEAD@{1}`). GitLab takes only these as `ref`.
 * @see https://git-scm.com/docs/git-check-ref-format
 */
export function isRefName(name: string): boolean {
  if (!name || name.length > 1024 || name.startsWith('-') || name === '@') return false;
  if (forbidden.test(name) || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** A name a new branch may take: a ref name that is not `HEAD` and does not look like a full ref. */
export const isBranchName = (name: string) => isRefName(name) && name !== 'HEAD' && !name.startsWith('refs/');

/** A path inside a tree, as requests give them: relative, no `..`, no NUL. */
export const isTreePath = (p: string) =>
  p !== '' && !p.startsWith('/') && !p.includes('\0') && !p.split('/').includes('..');
