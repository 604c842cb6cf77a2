/** Each part of a path encoded, the slashes kept: `a b/c#d` → `a%20b/c%23d`. */
export const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

const suffix = (path: string | undefined) => (path ? `/${encodePath(path)}` : '');

/** The addresses of a project's pages, shaped as GitLab's (`/<namespace>/<project>/-/…`). */
export function projectLinks(fullPath: string) {
  const home = `/${encodePath(fullPath)}`;
  return {
    home,
    tree: (ref: string, path?: string) => `${home}/-/tree/${encodePath(ref)}${suffix(path)}`,
    blob: (ref: string, path: string) => `${home}/-/blob/${encodePath(ref)}/${encodePath(path)}`,
    raw: (ref: string, path: string) => `${home}/-/raw/${encodePath(ref)}/${encodePath(path)}`,
    commits: (ref: string, path?: string) => `${home}/-/commits/${encodePath(ref)}${suffix(path)}`,
    commit: (sha: string) => `${home}/-/commit/${sha}`,
  };
}

export type ProjectLinks = ReturnType<typeof projectLinks>;

/** The same address with `name` set to `value` (or removed): pagination and language links. */
export function withQuery(url: string, name: string, value: string | undefined) {
  const u = new URL(url, 'http://x');
  if (value === undefined) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
}
