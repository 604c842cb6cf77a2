import type { Spawner } from '../workspaces/index.ts';

/**
 * The spawner launches use while the demo's image is being built: a start waits for the image (the
 * learner's progress page says "Starting your environment" meanwhile) and fails with the build's error.
 */
export function waitingForImage(spawner: Spawner, imageReady: () => Promise<unknown>): Spawner {
  return {
    ...spawner,
    async start(spec) {
      await imageReady();
      return spawner.start(spec);
    },
  };
}
