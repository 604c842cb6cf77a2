import { existsSync } from 'node:fs';
import { link, mkdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { makeDiskImage } from './disk-image.ts';
import { engineError, statusOf, type Engine } from './docker-engine.ts';
import { labels, workspaceFolder } from './workspace-names.ts';

export type StorageKind = 'image' | 'folder';

export interface StorageOptions {
  /** `image`: a file system of `diskBytes` per learner, mounted by the engine (a hard limit). */
  kind: StorageKind;
  root: string;
  diskBytes: number;
  uid: number;
}

/** Storage is named by a key: the workspace's folder name, or a warm pool entry's `pool-…`. */
const volumeName = (key: string) => `labgate-ws-${key}`;

/**
 * Where a learner's folder lives: an ext4 image file on labgate's storage mounted by the engine as a
 * volume (its size is the limit), or a plain folder bind-mounted. labgate makes them; it never reads
 * or writes what is inside (that happens in the learner's sandbox).
 */
export function createWorkspaceStorage(engine: Engine, o: StorageOptions) {
  const { docker } = engine;
  const imageFile = (key: string) => path.join(o.root, `${key}.ext4`);
  const folder = (key: string) => path.join(o.root, key);

  async function ensureVolume(name: string, device: string) {
    try {
      const info = await docker.getVolume(name).inspect();
      if ((info.Options as Record<string, string> | null)?.device === device) return;
      // Made for another WORKSPACES_ROOT: point it at this one (it is in use by no container then).
      await docker.getVolume(name).remove();
    } catch (err) {
      if (statusOf(err) !== 404) engineError(err);
    }
    await docker
      .createVolume({
        Name: name,
        Driver: 'local',
        DriverOpts: { type: 'ext4', device, o: 'loop,nosuid,nodev' },
        Labels: { [labels.managed]: 'true' },
      })
      .catch(engineError);
  }

  /** A new folder handed to the learner's uid by a one-shot container that may only chown. */
  async function handOver(dir: string, image: string) {
    const c = await docker.createContainer({
      Image: image,
      User: '0:0',
      Cmd: ['chown', `${o.uid}:${o.uid}`, '/w'],
      Labels: { [labels.managed]: 'setup' },
      HostConfig: {
        Binds: [`${dir}:/w`],
        CapDrop: ['ALL'],
        CapAdd: ['CHOWN'],
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        SecurityOpt: ['no-new-privileges'],
      },
    });
    try {
      await c.start();
      await c.wait();
    } finally {
      await c.remove({ force: true }).catch(() => {});
    }
  }

  /** Makes the storage named `key` when missing; the `Binds` entry that mounts it. */
  async function ensureAt(key: string, image: string): Promise<string> {
    await mkdir(o.root, { recursive: true, mode: 0o700 });
    if (o.kind === 'image') {
      const file = imageFile(key);
      if (!existsSync(file)) await makeDiskImage(file, o.diskBytes, o.uid);
      await ensureVolume(volumeName(key), file);
      return volumeName(key);
    }
    const dir = folder(key);
    if (!existsSync(dir)) {
      await mkdir(`${dir}.new`, { recursive: true, mode: 0o700 });
      await handOver(`${dir}.new`, image);
      await rename(`${dir}.new`, dir);
    }
    return dir;
  }

  async function destroyAt(key: string) {
    if (o.kind === 'image') {
      await docker
        .getVolume(volumeName(key))
        .remove()
        .catch((err: unknown) => (statusOf(err) === 404 ? undefined : engineError(err)));
      await rm(imageFile(key), { force: true });
    } else await rm(folder(key), { recursive: true, force: true });
  }

  const exists = (key: string) => existsSync(o.kind === 'image' ? imageFile(key) : folder(key));

  return {
    kind: o.kind,
    /** Where and how learners' files are kept (a warm pool is made for one such place). */
    where: `${o.kind}:${path.resolve(o.root)}`,
    /** Makes the learner's storage when missing; the `Binds` entry that mounts it. */
    ensure: (userId: string, assignment: string, image: string) =>
      ensureAt(workspaceFolder(userId, assignment), image),
    /** Deletes the learner's files for good (their container must be gone first). */
    destroy: (userId: string, assignment: string) => destroyAt(workspaceFolder(userId, assignment)),
    /** Whether the learner has storage (a workspace whose storage vanished is made again). */
    exists: (userId: string, assignment: string): boolean => exists(workspaceFolder(userId, assignment)),
    /** A warm pool entry's (empty) storage, made ahead of any learner. */
    ensurePooled: ensureAt,
    destroyPooled: destroyAt,
    /**
     * A pool entry's storage becomes the learner's, under their name (its container keeps it mounted).
     * Refuses, changing nothing, when the learner has storage already: nothing of theirs is replaced.
     */
    async giveTo(key: string, userId: string, assignment: string) {
      const mine = workspaceFolder(userId, assignment);
      if (exists(mine)) throw new Error('the learner has storage already');
      if (o.kind === 'image') {
        // link(2) fails if the name exists, where rename(2) would replace a file made meanwhile.
        await link(imageFile(key), imageFile(mine));
        await unlink(imageFile(key));
        await ensureVolume(volumeName(mine), imageFile(mine));
      } else await rename(folder(key), folder(mine)); // fails on a folder with anything in it
    },
    /** The pool volume a claimed container mounts: removed with the container (its file is the learner's). */
    pooledVolume: (key: string) => (o.kind === 'image' ? volumeName(key) : undefined),
  };
}

export type WorkspaceStorage = ReturnType<typeof createWorkspaceStorage>;
