import { engineError, statusOf, type Engine } from './docker-engine.ts';

type EngineMessage = { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } };

/** Follows an engine's JSON message stream to its end; a message carrying `error` fails it. */
function follow(engine: Engine, stream: NodeJS.ReadableStream, onMessage: (m: EngineMessage) => void) {
  return new Promise<void>((resolve, reject) => {
    engine.docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (m: EngineMessage) => {
        if (m.error) reject(new Error(m.errorDetail?.message ?? m.error));
        else onMessage(m);
      },
    );
  });
}

/**
 * The images a workspace needs, made on the engine from local files only: nothing is pulled (a base is
 * `FROM scratch` with its root file system added from the context).
 */
export function createEngineImages(engine: Engine) {
  const { docker } = engine;
  return {
    async exists(name: string): Promise<boolean> {
      try {
        await docker.getImage(name).inspect();
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        return engineError(err);
      }
    },

    /** An image from a build context tar (a Containerfile and what it copies); reports its STEP n/m. */
    async build(o: {
      context: NodeJS.ReadableStream;
      name: string;
      dockerfile: string;
      buildArgs: Record<string, string>;
      labels: Record<string, string>;
      onFraction(f: number): void;
      signal?: AbortSignal | undefined;
    }) {
      // A file missing from the context fails its stream: say so, not that the engine is away.
      let contextFault: Error | undefined;
      o.context.on('error', (err: Error) => (contextFault = err));
      const failed = (err: unknown): never => {
        if (contextFault) throw new Error(`the build context could not be made: ${contextFault.message}`);
        return engineError(err);
      };
      const stream = await docker
        .buildImage(o.context, {
          abortSignal: o.signal,
          t: o.name,
          dockerfile: o.dockerfile,
          buildargs: o.buildArgs,
          labels: o.labels,
          rm: true,
        })
        .catch(failed);
      await follow(engine, stream, (m) => {
        // Podman says "STEP 2/3: COPY …", Docker "Step 2/3 : COPY …".
        const step = /^step (\d+)\/(\d+)/i.exec(m.stream ?? '');
        if (step) o.onFraction((Number(step[1]) - 1) / Number(step[2]));
      }).catch(failed);
      if (!(await this.exists(o.name))) throw new Error(`the engine finished the build but has no ${o.name}`);
      o.onFraction(1);
    },
  };
}

export type EngineImages = ReturnType<typeof createEngineImages>;
