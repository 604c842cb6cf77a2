import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Counts read from the database at each scrape: the same on every replica (aggregate with max, not sum). */
export interface MetricSources {
  provisioningJobs?: () => Promise<Record<string, number>>;
  workspacesRunning?: () => Promise<number>;
  gradingJobs?: () => Promise<Record<string, number>>;
  passbackOutbox?: () => Promise<Record<string, number>>;
}

type Log = { warn(o: object, msg: string): void };

/**
 * labgate's metrics on a registry of its own (never prom-client's global one, so that several apps in
 * one process do not collide), with Node's process metrics. The one file that imports prom-client.
 */
export function createMetrics(o: { log: Log }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sources: MetricSources = {};

  /** A gauge by `state`, read from the database when scraped; a failed read leaves it empty, logged. */
  const stateGauge = (name: string, help: string, read: () => MetricSources['provisioningJobs']) =>
    new Gauge({
      name,
      help,
      labelNames: ['state'],
      registers,
      async collect() {
        const source = read();
        this.reset();
        if (!source) return;
        const counts = await source().catch(
          (err: unknown) => void o.log.warn({ err, metric: name }, 'metric not read'),
        );
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      },
    });

  const metrics = {
    launches: new Counter({
      name: 'labgate_workspace_launches_total',
      help: 'Workspace launches started by this process, by outcome (ready: Jupyter answered with the files; failed).',
      labelNames: ['outcome'],
      registers,
    }),
    launchesUnderWay: new Gauge({
      name: 'labgate_workspace_launches_in_progress',
      help: 'Workspace launches under way in this process.',
      registers,
    }),
    readySeconds: new Histogram({
      name: 'labgate_workspace_ready_seconds',
      help: 'Time from a launch to its workspace ready (fork, container, Jupyter answering, files cloned).',
      buckets: [1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120, 180, 300],
      registers,
    }),
    provisioningFinished: new Counter({
      name: 'labgate_provisioning_jobs_finished_total',
      help: 'Provisioning jobs (GitLab accounts and forks) this process finished, by outcome (done, failed).',
      labelNames: ['outcome'],
      registers,
    }),
    forgeRequests: new Counter({
      name: 'labgate_forge_requests_total',
      help: 'HTTP requests to GitLab (each retry counts), by method and status (0: no answer).',
      labelNames: ['method', 'status'],
      registers,
    }),
    forgeSeconds: new Histogram({
      name: 'labgate_forge_request_duration_seconds',
      help: 'Time until GitLab answered (headers), by method and API resource.',
      labelNames: ['method', 'resource'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    }),
    proxyRequests: new Counter({
      name: 'labgate_proxy_requests_total',
      help: 'HTTP requests to learners’ workspaces through labgate, by status class (2xx, 4xx, …).',
      labelNames: ['code'],
      registers,
    }),
    websockets: new Counter({
      name: 'labgate_proxy_websocket_connections_total',
      help: 'WebSocket connections asked of workspaces, by outcome (opened, refused).',
      labelNames: ['outcome'],
      registers,
    }),
    websocketsOpen: new Gauge({
      name: 'labgate_proxy_websockets_open',
      help: 'WebSocket connections to workspaces open now in this process.',
      registers,
    }),
    gitOperations: new Counter({
      name: 'labgate_git_operations_total',
      help: 'The learners’ git buttons (status, commit, pull, open, check), by operation and outcome (ok, refused, failed).',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    gitSeconds: new Histogram({
      name: 'labgate_git_operation_duration_seconds',
      help: 'Time a git button took, waiting behind the workspace’s previous operation included.',
      labelNames: ['operation'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
      registers,
    }),
    provisioningJobs: stateGauge(
      'labgate_provisioning_jobs',
      'Provisioning jobs in the database, by state (queued, running, done, failed).',
      () => sources.provisioningJobs,
    ),
    gradingJobs: stateGauge(
      'labgate_grading_jobs',
      'Grading jobs in the database, by state (queued, running, done, failed).',
      () => sources.gradingJobs,
    ),
    passbackOutbox: stateGauge(
      'labgate_passback_outbox_grades',
      'Grades in the outbox to the LMS, by state; pending is the outbox’s depth.',
      () => sources.passbackOutbox,
    ),
    workspacesRunning: new Gauge({
      name: 'labgate_workspaces_running',
      help: 'Workspaces running or starting, in the database.',
      registers,
      async collect() {
        const n = await sources.workspacesRunning?.().catch((err: unknown) => {
          o.log.warn({ err, metric: 'labgate_workspaces_running' }, 'metric not read');
        });
        this.reset();
        if (n !== undefined) this.set(n);
      },
    }),
  };
  for (const outcome of ['ready', 'failed']) metrics.launches.inc({ outcome }, 0);
  for (const outcome of ['done', 'failed']) metrics.provisioningFinished.inc({ outcome }, 0);
  for (const outcome of ['opened', 'refused']) metrics.websockets.inc({ outcome }, 0);

  return {
    ...metrics,
    /** Where the database-backed gauges read (set once the stores exist). */
    readFrom(more: MetricSources) {
      Object.assign(sources, more);
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}

export type AppMetrics = ReturnType<typeof createMetrics>;
