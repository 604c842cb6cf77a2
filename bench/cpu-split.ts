/**
 * Where a bench window's CPU went: the workspace containers (their cgroups, from the engine's stats:
 * Jupyter Server and the git run in them), this process (labgate with its in-process forge, and the
 * bench's own requests), the engine's service, and the rest of the machine from /proc/stat (runc,
 * conmon, network plugins, the forge's git, the kernel). Figures in CPU-seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { labels } from '../src/workspaces/workspace-names.ts';

/** The machine's busy CPU time so far in seconds (all processes). */
function busyCpuSeconds() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100; // USER_HZ
}

const processSeconds = (pid: string) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime
  } catch {
    return 0; // gone meanwhile
  }
};

/** `podman system service` or dockerd, whichever serves the engine's API here. */
function engineServiceSeconds() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (/(^|\/)podman\0system\0service\0|(^|\/)dockerd\0/.test(cmd)) total += processSeconds(pid);
  }
  return total;
}

async function containerSeconds(docker: Docker) {
  const listed = await docker.listContainers({ filters: { label: [`${labels.managed}=true`] } });
  const seconds = new Map<string, number>();
  for (const c of listed) {
    const stats = (await docker.getContainer(c.Id).stats({ stream: false })) as {
      cpu_stats?: { cpu_usage?: { total_usage?: number } };
    };
    seconds.set(c.Id, (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9);
  }
  return seconds;
}

export async function startCpuSplit(socketPath: string) {
  const docker = new Docker({ socketPath });
  const before = {
    machine: busyCpuSeconds(),
    self: process.cpuUsage(),
    engine: engineServiceSeconds(),
    containers: await containerSeconds(docker),
  };
  return {
    /** The window's end: the machine, this process and the engine now; the containers' stats next. */
    async stop() {
      const machine = busyCpuSeconds() - before.machine;
      const used = process.cpuUsage(before.self);
      const self = (used.user + used.system) / 1e6;
      const engine = engineServiceSeconds() - before.engine;
      let containers = 0;
      for (const [id, s] of await containerSeconds(docker))
        containers += s - (before.containers.get(id) ?? 0);
      return { machine, containers, self, engine, rest: machine - containers - self - engine };
    },
  };
}
