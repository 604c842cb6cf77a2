import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Provisioner, Provisioning } from '../../forge/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface ProvisioningRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  provisioner: Pick<Provisioner, 'get' | 'subscribe'>;
}

/** What a progress page may show: the step, the outcome, and the fork's address; never GitLab ids or tokens. */
const view = (job: Provisioning) => ({
  id: job.id,
  kind: job.kind,
  status: job.status,
  step: job.step,
  error: job.error,
  fork: job.status === 'done' && job.state.fork ? { webUrl: job.state.fork.webUrl } : undefined,
  updatedAt: job.updatedAt,
});

const final = (job: Provisioning) => job.status === 'done' || job.status === 'failed';

/** A learner's provisioning job, as JSON and as a Server-Sent Events stream; only its owner may read it. */
export function registerProvisioningRoutes(server: FastifyInstance, deps: ProvisioningRouteDeps) {
  async function ownJob(request: FastifyRequest): Promise<Provisioning> {
    const sessionId = readSessionId(request);
    const session = sessionId ? await deps.sessions.findSession(sessionId) : undefined;
    if (!session) throw webErrors.noSession();
    const job = await deps.provisioner.get((request.params as { id: string }).id);
    // Someone else's job is as absent as a job that does not exist.
    if (!job || job.userId !== session.userId) throw webErrors.notFound(request.url);
    return job;
  }

  server.get('/provisionings/:id', async (request, reply) => {
    const job = await ownJob(request);
    return reply.header('cache-control', 'no-store').send(view(job));
  });

  server.get('/provisionings/:id/events', async (request, reply) => {
    const first = await ownJob(request);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    let last = '';
    let closed = false;
    const send = (job: Provisioning) => {
      if (closed) return;
      const data = JSON.stringify(view(job));
      if (data === last) return;
      last = data;
      res.write(`event: progress\ndata: ${data}\n\n`);
      if (final(job)) close();
    };
    // Events come from this process's workers; another replica's progress is read from the database.
    const off = deps.provisioner.subscribe(first.id, send);
    const poll = setInterval(() => {
      void deps.provisioner.get(first.id).then((job) => job && send(job));
    }, 1_000);
    const close = () => {
      if (closed) return;
      closed = true;
      off();
      clearInterval(poll);
      res.end();
    };
    request.raw.on('close', close);
    send(first);
  });
}
