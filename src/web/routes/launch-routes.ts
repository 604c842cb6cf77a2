import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WorkspaceLauncher } from '../../flows/index.ts';
import type { Provisioner } from '../../forge/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import type { Workspace, WorkspaceStore } from '../../workspaces/index.ts';
import { pickLang } from '../i18n.ts';
import { launchPage } from '../pages/launch-page.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface LaunchRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  workspaces: Pick<WorkspaceStore, 'find'>;
  launcher: Pick<WorkspaceLauncher, 'launch' | 'reset' | 'subscribe' | 'timelineOf'>;
  provisioner: Pick<Provisioner, 'get' | 'provision'>;
  /** The Jupyter page a learner enters: `lab` or `tree`. */
  entry: string;
}

/**
 * Where a learner enters their workspace: JupyterLab (or the classic notebook) with the exercise's file
 * open when the launch found one. Each segment is encoded: the name comes from the learner's folder.
 */
export function workspaceEntryUrl(ws: Pick<Workspace, 'id' | 'openPath'>, entry: string) {
  const file = ws.openPath?.split('/').map(encodeURIComponent).join('/');
  if (file && entry === 'lab') return `/user/${ws.id}/lab/tree/${file}`;
  if (file && entry === 'tree' && /\.ipynb$/i.test(file)) return `/user/${ws.id}/notebooks/${file}`;
  return `/user/${ws.id}/${entry}`;
}

/**
 * The step a person sees (while the forge works, whether their account or their fork is being made)
 * and, from the process running the launch, where its time went so far.
 */
async function view(ws: Workspace, deps: Pick<LaunchRouteDeps, 'provisioner' | 'launcher' | 'entry'>) {
  let step: string = ws.step;
  if (ws.step === 'forge') {
    const job = await deps.provisioner.get(ws.provisioningId);
    step = !job || job.step === 'account' || job.step === 'group' ? 'account' : 'fork';
  }
  const timeline =
    ws.status === 'starting' || ws.status === 'running' ? deps.launcher.timelineOf(ws.id) : undefined;
  return {
    status: ws.status,
    step,
    error: ws.error,
    ...(timeline ? { timeline } : {}),
    // Where to go once running: the launch found the file to open only now.
    ...(ws.status === 'running' ? { enter: workspaceEntryUrl(ws, deps.entry) } : {}),
  };
}

/** The launch progress page, its event stream, and its retry button; each for the workspace's owner only. */
export function registerLaunchRoutes(server: FastifyInstance, deps: LaunchRouteDeps) {
  const enterUrl = (ws: Workspace) => workspaceEntryUrl(ws, deps.entry);
  async function own(request: FastifyRequest) {
    const id = readSessionId(request);
    const session = id ? await deps.sessions.findSession(id) : undefined;
    if (!session) throw webErrors.noSession();
    const ws = await deps.workspaces.find((request.params as { id: string }).id);
    if (!ws || ws.userId !== session.userId) throw webErrors.notFound(request.url);
    return { session, ws };
  }

  server.get('/launch/:id', async (request, reply) => {
    const { session, ws } = await own(request);
    if (ws.status === 'running') return reply.redirect(enterUrl(ws), 303);
    const lang = pickLang({ session: session.locale });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        launchPage({
          lang,
          ws,
          step: (await view(ws, deps)).step,
          csrfToken: session.csrfToken,
          enterUrl: enterUrl(ws),
        }),
      );
  });

  server.get('/launch/:id/events', async (request, reply) => {
    const { ws } = await own(request);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    let last = '';
    let closed = false;
    const send = async (w: Workspace) => {
      const data = JSON.stringify(await view(w, deps));
      if (closed || data === last) return;
      last = data;
      res.write(`event: progress\ndata: ${data}\n\n`);
      if (w.status === 'running' || w.status === 'failed') close();
    };
    const off = deps.launcher.subscribe(ws.id, (w) => void send(w));
    // Also read the database: another replica may run the launch, and the forge's steps are its own.
    const poll = setInterval(() => void deps.workspaces.find(ws.id).then((w) => w && send(w)), 500);
    const close = () => {
      if (closed) return;
      closed = true;
      off();
      clearInterval(poll);
      res.end();
    };
    request.raw.on('close', close);
    await send(ws);
  });

  server.post('/launch/:id/retry', async (request, reply) => {
    const { ws } = await own(request);
    const job = await deps.provisioner.get(ws.provisioningId);
    // A failed fork is queued again first; the launch then waits for it as on a first launch.
    if (job?.status === 'failed') await deps.provisioner.provision(job.userId, job.spec);
    if (job?.spec.kind === 'fork') {
      await deps.launcher.launch({
        userId: ws.userId,
        courseId: ws.courseId,
        assignment: ws.assignment,
        provisioningId: ws.provisioningId,
        person: { name: job.spec.person.name, email: job.spec.person.email },
      });
    }
    return reply.redirect(`/launch/${ws.id}`, 303);
  });

  // "Reset my environment": a fresh container; the files in the workspace folder are kept.
  server.post('/launch/:id/reset', async (request, reply) => {
    const { ws } = await own(request);
    const job = await deps.provisioner.get(ws.provisioningId);
    if (job?.spec.kind === 'fork') {
      await deps.launcher.reset({
        userId: ws.userId,
        courseId: ws.courseId,
        assignment: ws.assignment,
        provisioningId: ws.provisioningId,
        person: { name: job.spec.person.name, email: job.spec.person.email },
      });
    }
    return reply.redirect(`/launch/${ws.id}`, 303);
  });
}
