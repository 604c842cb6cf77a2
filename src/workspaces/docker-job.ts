import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { confinement, learnerHome } from './container-spec.ts';
import { engineError, statusOf, type Engine } from './docker-engine.ts';
import { labels } from './workspace-names.ts';
import { workspaceErrors } from './workspace-errors.ts';

/** A one-shot job on untrusted input: a fresh container, no network, confined, removed after. */
export interface JobSpec {
  image: string;
  /** Run by exec in the container as `uid`, its stdin fed `input`; its stdout is the answer. */
  command: string[];
  input: Buffer;
  uid: number;
  memoryBytes: number;
  cpus: number;
  pids: number;
  tmpBytes: number;
  timeoutMs: number;
  outputCapBytes: number;
}

export interface JobOutcome {
  stdout: Buffer;
  /** The job printed more than `outputCapBytes`: it was stopped there. */
  overflowed: boolean;
  timedOut: boolean;
  exitCode: number | null;
  /** The end of what it wrote on stderr, for the operator's logs. */
  stderrTail: string;
}

async function confinedContainer(engine: Engine, s: JobSpec) {
  try {
    return await engine.docker.createContainer({
      name: `labgate-job-${randomBytes(8).toString('hex')}`,
      Image: s.image,
      User: `${s.uid}:${s.uid}`,
      // Nothing runs but sleep until the job's exec; the container outlives no job by much.
      Cmd: ['sleep', String(Math.ceil(s.timeoutMs / 1000) + 60)],
      WorkingDir: learnerHome,
      Env: [`HOME=${learnerHome}`],
      NetworkDisabled: true,
      Labels: { [labels.managed]: 'job' },
      HostConfig: {
        ...confinement({ uid: s.uid, tmpBytes: s.tmpBytes, engine: await engine.kind() }),
        NetworkMode: 'none',
        Memory: s.memoryBytes,
        MemorySwap: s.memoryBytes,
        NanoCpus: Math.round(s.cpus * 1e9),
        PidsLimit: s.pids,
        Init: false,
        // Gone by itself when its sleep ends, should labgate die before removing it.
        AutoRemove: true,
      },
    });
  } catch (err) {
    if (statusOf(err) === 404) throw workspaceErrors.imageMissing(s.image);
    return engineError(err);
  }
}

function collect(stream: NodeJS.ReadableStream, engine: Engine, capBytes: number, onOverflow: () => void) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  engine.docker.modem.demuxStream(stream, stdout, stderr);
  const chunks: Buffer[] = [];
  let size = 0;
  let tail = '';
  stdout.on('data', (c: Buffer) => {
    if (size > capBytes) return;
    size += c.length;
    if (size > capBytes) onOverflow();
    else chunks.push(c);
  });
  stderr.on('data', (c: Buffer) => (tail = (tail + c.toString('utf8')).slice(-2000)));
  const done = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  return {
    done,
    result: () => ({ stdout: Buffer.concat(chunks), stderrTail: tail, overflowed: size > capBytes }),
  };
}

/** Runs jobs on untrusted input in throwaway containers of the Docker (or Podman) engine. */
export function createDockerJobs(engine: Engine) {
  return {
    async run(s: JobSpec): Promise<JobOutcome> {
      const container = await confinedContainer(engine, s);
      const kill = () => container.remove({ force: true }).catch(() => {});
      let timedOut = false;
      try {
        await container.start();
        const exec: Docker.Exec = await container.exec({
          Cmd: s.command,
          User: `${s.uid}:${s.uid}`,
          WorkingDir: learnerHome,
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
        });
        // Podman delivers stdin only on a hijacked connection (isolation.md §1).
        const stream = (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream;
        const out = collect(stream, engine, s.outputCapBytes, () => void kill());
        const timer = setTimeout(() => {
          timedOut = true;
          void kill();
        }, s.timeoutMs);
        stream.write(s.input);
        await out.done;
        clearTimeout(timer);
        const code = await exec.inspect().then(
          (i) => i.ExitCode ?? null,
          () => null,
        );
        return { ...out.result(), timedOut, exitCode: code };
      } catch (err) {
        if (timedOut)
          return { stdout: Buffer.alloc(0), overflowed: false, timedOut, exitCode: null, stderrTail: '' };
        return engineError(err);
      } finally {
        await kill();
      }
    },
  };
}

export type DockerJobs = ReturnType<typeof createDockerJobs>;
