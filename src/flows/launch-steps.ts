import type { Provisioner, Provisioning } from '../forge/index.ts';
import { cloneInto } from '../gitops/index.ts';
import type { Sandbox, SandboxSession, Workspace } from '../workspaces/index.ts';
import type { createForgeTokens } from './forge-tokens.ts';
import { findOpenFile } from './open-file.ts';

/** Work held under a lock across labgate replicas; `ran: false` when the lock was not had. */
export type Locked = <T>(
  workspaceId: string,
  work: () => Promise<T>,
) => Promise<{ ran: true; value: T } | { ran: false }>;

/** Why the course link's image is refused (this server does not allow it), if it is. */
export const refusedImage = (
  settings: { image: string; allowedImages: string[] },
  image: string | undefined,
) =>
  image && image !== settings.image && !settings.allowedImages.includes(image)
    ? `The course link asks for the environment "${image}", which this server does not allow. Your teacher should fix the link (allowed: ${[settings.image, ...settings.allowedImages].join(', ')}).`
    : undefined;

export type Fork = NonNullable<Provisioning['state']['fork']>;

/** The learner's fork once the forge has made it; rejects with the reason when it could not be made. */
export async function forkOf(job: Promise<Provisioning>): Promise<Fork> {
  const done = await job;
  if (done.status === 'failed' || !done.state.fork)
    throw new Error(done.error?.message ?? 'the fork could not be made');
  return done.state.fork;
}

/** Resolves with nothing after `ms` (a timer that keeps no process alive). */
const after = (ms: number) =>
  new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref());

/** Waits for the learner's provisioning job to end (the fork exists, or it failed). */
export function provisioned(
  provisioner: Pick<Provisioner, 'get' | 'subscribe'>,
  id: string,
): Promise<Provisioning> {
  return new Promise((resolve) => {
    const done = (job: Provisioning | undefined) => {
      if (job && (job.status === 'done' || job.status === 'failed')) {
        off();
        clearInterval(poll);
        resolve(job);
      }
    };
    const off = provisioner.subscribe(id, done);
    // Another replica may be the one working on it: read the database too.
    const poll = setInterval(() => void provisioner.get(id).then(done), 1_000);
    void provisioner.get(id).then(done);
  });
}

/**
 * The fork into the learner's folder, by git in their (just started) container, with a one-off token;
 * then the file they land in, found in the same session. The session opens while the forge may still
 * be making the fork; git waits for it. Under the workspace's git lock when there is one: a git button
 * pressed from another tab waits for the clone, on any replica.
 */
export async function cloneFork(
  deps: {
    sandbox: Sandbox;
    image: string;
    exclusive?: Locked | undefined;
    /** How long the session waits for a fork still being made (a minute when absent). */
    forkWaitMs?: number | undefined;
  },
  tokens: ReturnType<typeof createForgeTokens>,
  ws: Workspace,
  forked: Promise<Fork>,
  person: { name: string; email: string },
  open: ReadonlyArray<string | undefined>,
  /** Wraps the part that runs once both the session and the fork are there (the launch times it). */
  timed: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
): Promise<string | undefined> {
  const work = async () => {
    const token = tokens.perOperation();
    const target = { userId: ws.userId, assignment: ws.assignment, image: deps.image, network: true };
    let session: SandboxSession | undefined = await deps.sandbox.open(target);
    try {
      let fork = await Promise.race([forked, after(deps.forkWaitMs ?? 60_000)]);
      if (!fork) {
        // A busy forge: a session lives ten minutes at most, so a new one opens once the fork is there.
        await session.close();
        session = undefined;
        fork = await forked;
        session = await deps.sandbox.open(target);
      }
      const [ready, opened] = [fork, session];
      return await timed(async () => {
        // Minted while git prepares the repository (it asks at its fetch); revoked whatever happens.
        void token.get(ready.id).catch(() => {});
        const url = opened.forgeUrl(ready.httpUrl);
        await cloneInto(
          { folder: opened, author: person },
          { url, branch: ready.defaultBranch, token: () => token.get(ready.id) },
          url,
        );
        return findOpenFile(opened, open);
      });
    } finally {
      await Promise.all([session?.close(), token.revoke()]);
    }
  };
  if (!deps.exclusive) return work();
  const held = await deps.exclusive(ws.id, work);
  if (!held.ran)
    throw new Error('Another git operation on your folder took too long; open the activity again.');
  return held.value;
}
