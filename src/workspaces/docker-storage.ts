import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
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

const volumeName = (userId: string, assignment: string) =>
  `labgate-ws-${workspaceFolder(userId, assignment)}`;

/**
 * Where a learner's folder lives: an ext4 image file on labgate's storage mounted by the engine as a
 * volume (its size is the limit), or a plain folder bind-mounted. labgate makes them; it never reads
 * or writes what is inside (that happens in the learner's sandbox).
 */
export function createWorkspaceStorage(engine: Engine, o: StorageOptions) {
  const { docker } = engine;
  const imageFile = (userId: string, assignment: string) =>
    path.join(o.root, `${workspaceFolder(userId, assignment)}.ext4`);
  const folder = (userId: string, assignment: string) =>
    path.join(o.root, workspaceFolder(userId, assignment));

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

  return {
    kind: o.kind,
    /** Makes the learner's storage when missing; the `Binds` entry that mounts it. */
    async ensure(userId: string, assignment: string, image: string): Promise<string> {
      await mkdir(o.root, { recursive: true, mode: 0o700 });
      if (o.kind === 'image') {
        const file = imageFile(userId, assignment);
        if (!existsSync(file)) await makeDiskImage(file, o.diskBytes, o.uid);
        const name = volumeName(userId, assignment);
        await ensureVolume(name, file);
        return name;
      }
      const dir = folder(userId, assignment);
      if (!existsSync(dir)) {
        await mkdir(`${dir}.new`, { recursive: true, mode: 0o700 });
        await handOver(`${dir}.new`, image);
        await rename(`${dir}.new`, dir);
      }
      return dir;
    },
    /** Deletes the learner's files for good (their container must be gone first). */
    async destroy(userId: string, assignment: string) {
      if (o.kind === 'image') {
        await docker
          .getVolume(volumeName(userId, assignment))
          .remove()
          .catch((err: unknown) => (statusOf(err) === 404 ? undefined : engineError(err)));
        await rm(imageFile(userId, assignment), { force: true });
      } else await rm(folder(userId, assignment), { recursive: true, force: true });
    },
    /** Whether the learner has storage (a workspace whose storage vanished is made again). */
    exists(userId: string, assignment: string): boolean {
      return existsSync(o.kind === 'image' ? imageFile(userId, assignment) : folder(userId, assignment));
    },
  };
}

export type WorkspaceStorage = ReturnType<typeof createWorkspaceStorage>;
