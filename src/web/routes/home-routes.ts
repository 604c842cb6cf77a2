import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CourseStore } from '../../courses/index.ts';
import type { Receipts } from '../../flows/index.ts';
import type { Provisioner } from '../../forge/index.ts';
import type { WorkspaceStore } from '../../workspaces/index.ts';
import type { SessionStore, UserStore } from '../../identity/index.ts';
import { pickLang } from '../i18n.ts';
import type { FeedbackLink } from '../pages/feedback-links.ts';
import { homePage, welcomePage } from '../pages/home-page.ts';
import { receiptPage } from '../pages/receipt-page.ts';
import { clearSessionCookie, readSessionId, type SessionCookieOptions } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface HomeRouteDeps {
  sessions: Pick<SessionStore, 'findSession' | 'endSession'>;
  users: Pick<UserStore, 'findUser'>;
  courses: Pick<CourseStore, 'findCourse'>;
  cookie: SessionCookieOptions;
  simulatorEnabled: boolean;
  provisioner: Pick<Provisioner, 'listForUser'> | undefined;
  /** A learner's submission receipts (their home lists them; each has its page). */
  receipts?: Pick<Receipts, 'receiptsOf' | 'receipt'>;
  /** Assignments whose feedback is released to a learner (their home links to each). */
  feedback?: { releasedFeedbackOf(userId: string): Promise<FeedbackLink[]> };
  /** When workspaces run: a learner coming from a launch goes on to their workspace. */
  workspaces?: Pick<WorkspaceStore, 'findFor'>;
}

const langQuery = (request: FastifyRequest) => (request.query as { lang?: string } | undefined)?.lang;

export function registerHomeRoutes(server: FastifyInstance, deps: HomeRouteDeps) {
  const currentSession = async (request: FastifyRequest) => {
    const id = readSessionId(request);
    return id ? deps.sessions.findSession(id) : undefined;
  };

  server.get('/', async (request, reply) => {
    if (await currentSession(request)) return reply.redirect('/home', 303);
    const lang = pickLang({ query: langQuery(request), acceptLanguage: request.headers['accept-language'] });
    return reply.type('text/html; charset=utf-8').send(welcomePage(lang, deps.simulatorEnabled));
  });

  server.get('/home', async (request, reply) => {
    const session = await currentSession(request);
    if (!session) throw webErrors.noSession();
    const user = await deps.users.findUser(session.userId);
    if (!user) throw webErrors.noSession();
    const workspace = session.courseId && (await deps.workspaces?.findFor(user.id, session.courseId));
    if (workspace && (request.query as { stay?: string }).stay === undefined)
      return reply.redirect(`/launch/${workspace.id}`, 303);
    const course = session.courseId ? await deps.courses.findCourse(session.courseId) : undefined;
    const role =
      session.role === 'learner' || session.role === 'ta' || session.role === 'teacher'
        ? session.role
        : undefined;
    const page = homePage({
      lang: pickLang({ query: langQuery(request), session: session.locale }),
      userId: user.id,
      name: user.displayName,
      role,
      courseTitle: course?.title,
      courseId: course?.id,
      via: session.via,
      returnUrl: session.returnUrl,
      csrfToken: session.csrfToken,
      provisionings: (await deps.provisioner?.listForUser(user.id)) ?? [],
      receipts: (await deps.receipts?.receiptsOf(user.id)) ?? [],
      feedback: (await deps.feedback?.releasedFeedbackOf(user.id)) ?? [],
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
  });

  server.get('/receipts/:courseId/:slug', async (request, reply) => {
    const session = await currentSession(request);
    if (!session) throw webErrors.noSession();
    const p = request.params as { courseId: string; slug: string };
    const receipt = await deps.receipts?.receipt(session.userId, p.courseId, p.slug);
    if (!receipt) throw webErrors.noReceipt();
    const lang = pickLang({ query: langQuery(request), session: session.locale });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(receiptPage(lang, receipt));
  });

  server.post('/logout', async (request, reply) => {
    const id = readSessionId(request);
    if (id) await deps.sessions.endSession(id);
    clearSessionCookie(reply, deps.cookie);
    return reply.redirect('/', 303);
  });

  server.get('/healthz', async () => ({ ok: true }));
}
