import { discardEntry, placeOf, poolEntries } from './docker-pool-entries.ts';
import { createWarmPool, type WarmPool, type WarmPoolOptions } from './docker-pool.ts';
import type { WorkspaceSpec } from './spawner.ts';

export interface WarmPoolsOptions extends Omit<WarmPoolOptions, 'size' | 'serial'> {
  /** The default image (`WORKSPACE_IMAGE`): pooled from the start. */
  image: string;
  /** The other images a launch may ask for: each pooled from the first launch that asks for it. */
  allowedImages: string[];
  /** Containers kept waiting per image. */
  size: number;
  /** Another size for some images (0: never pooled); an image named here is pooled from the start. */
  sizes?: Record<string, number>;
}

/**
 * A warm pool per image (`WORKSPACE_WARM_POOL`). The default image's is there from the start, as are
 * those of images given their own size; another allowed image gets its pool when labgate is told it is
 * wanted (`want`: the images of open assignments) or a first launch asks for it (that launch starts
 * cold, the next ones need not). Pools fill one container at a time between them, and each tends only
 * its own image's containers.
 */
export function createWarmPools(o: WarmPoolsOptions) {
  const pools = new Map<string, WarmPool>();
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>) => {
    const next = turn.then(work);
    turn = next.catch(() => {});
    return next;
  };
  const sizeOf = (image: string) => o.sizes?.[image] ?? o.size;
  const poolFor = (image: string) => {
    const allowed = image === o.image || o.allowedImages.includes(image);
    if (!pools.has(image) && allowed && sizeOf(image) > 0)
      pools.set(image, createWarmPool({ ...o, image, size: sizeOf(image), serial }));
    return pools.get(image);
  };
  // Pooled from the start whatever assignments name: the default image, and those given their own size.
  const fixed = new Set([o.image, ...Object.keys(o.sizes ?? {})]);
  for (const image of fixed) poolFor(image);
  const place = placeOf(o.storage);
  // When a launch last asked for each image (ms).
  const askedAt = new Map<string, number>();
  let closed = false;
  /**
   * Pools these images too, each filled after the refill delay: the images of open assignments (at
   * start, before `fill`, and every so often), and a launch's. Ignored: images not allowed here, those
   * sized 0, and those pooled already.
   */
  const want = (images: Iterable<string>) => {
    if (closed) return;
    for (const image of images) if (!pools.has(image)) poolFor(image)?.fillSoon();
  };

  return {
    /** Makes a waiting container of the launch's image the learner's; false: start it cold. */
    async claim(spec: WorkspaceSpec, name: string): Promise<boolean> {
      if (closed) return false;
      askedAt.set(spec.image, Date.now());
      const known = pools.get(spec.image);
      if (known) return known.claim(spec, name);
      want([spec.image]);
      return false;
    },
    want,
    /**
     * Closes the pools no longer wanted, their waiting containers removed: those of images neither the
     * default nor given their own size, named by no open assignment (`keep`), and asked for by no launch
     * here for `idleMs` (an hour). A later launch or assignment asking for one pools it again.
     */
    async retire(keep: Iterable<string>, idleMs = 3_600_000) {
      const kept = new Set(keep);
      for (const [image, pool] of [...pools]) {
        if (fixed.has(image) || kept.has(image) || Date.now() - (askedAt.get(image) ?? 0) < idleMs) continue;
        pools.delete(image);
        o.log.info({ image }, 'a warm pool no longer wanted is closed');
        await pool.close({ drain: true });
      }
    },
    /**
     * Fills every pool, one after the other. Waiting containers of an image no longer pooled here (a
     * change of settings, an assignment closed, an image only a launch asked for before a restart) go first.
     */
    async fill() {
      const listed = await poolEntries(o.engine).catch((err: unknown) => {
        o.log.warn({ err }, 'the warm pools could not list their containers');
        return [];
      });
      const strays = listed.filter((e) => e.place === place && !pools.has(e.image ?? ''));
      for (const e of strays) await discardEntry(o, e).catch(() => {});
      for (const pool of pools.values()) await pool.fill();
    },
    /** The names of the containers waiting for a learner, all images together. */
    async waiting() {
      return (await Promise.all([...pools.values()].map((p) => p.waiting()))).flat();
    },
    /** The images pooled now. */
    images: () => [...pools.keys()],
    /** Stops refilling; `drain` also removes the waiting containers. */
    async close(options: { drain?: boolean } = {}) {
      closed = true;
      for (const pool of pools.values()) await pool.close(options);
    },
  };
}

export type WarmPools = ReturnType<typeof createWarmPools>;
