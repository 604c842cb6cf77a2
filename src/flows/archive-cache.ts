import type { RepoReader } from './assignment-spec.ts';

/**
 * The forge's reader with commit archives kept in memory (newest used first, up to `maxBytes` in all):
 * a commit's files never change, so a grader going from learner to learner fetches the template and
 * the grading repository once per commit.
 */
export function cachedArchives<F extends RepoReader>(forge: F, maxBytes = 64 * 2 ** 20): F {
  const kept = new Map<string, Buffer>();
  let total = 0;
  const archive = async (projectId: number, sha: string, limit: number) => {
    const key = `${projectId}@${sha}/${limit}`;
    const hit = kept.get(key);
    if (hit) {
      kept.delete(key);
      kept.set(key, hit);
      return hit;
    }
    const tar = await forge.archive(projectId, sha, limit);
    if (tar.length <= maxBytes / 4) {
      kept.set(key, tar);
      total += tar.length;
      for (const [k, v] of kept) {
        if (total <= maxBytes) break;
        kept.delete(k);
        total -= v.length;
      }
    }
    return tar;
  };
  return new Proxy(forge, {
    get: (target, prop, receiver) =>
      prop === 'archive' ? archive : (Reflect.get(target, prop, receiver) as unknown),
  });
}
