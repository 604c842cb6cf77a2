import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CourseStore } from '../../courses/index.ts';
import type { Receipts } from '../../flows/index.ts';
import type { Provisioner } from '../../forge/index.ts';
import type { ImageSetupView, WorkspaceStore } from '../../workspaces/index.ts';
import type { SessionStore, UserStore } from '../../identity/index.ts';
import { viaLabgate, type ForgeLinks } from '../forge-links.ts';
import { pickLang } from '../i18n.ts';
import type { FeedbackLink } from '../pages/feedback-links.ts';
import { homePage, welcomePage } from '../pages/home-page.ts';
import { receiptPage } from '../pages/receipt-page.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface HomeRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  users: Pick<UserStore, 'findUser'>;
  courses: Pick<CourseStore, 'findCourse'>;
  simulatorEnabled: boolean;
  provisioner: Pick<Provisioner, 'listForUser'> | undefined;
  /** A learner's submission receipts (their home lists them; each has its page). */
  receipts?: Pick<Receipts, 'receiptsOf' | 'receipt'>;
  /** Assignments whose feedback is released to a learner (their home links to each). */
  feedback?: { releasedFeedbackOf(userId: string): Promise<FeedbackLink[]> };
  /** When workspaces run: the person's workspace in this course, to open or reset from their home. */
  workspaces?: Pick<WorkspaceStore, 'findFor'>;
  /** The forge, whose pages the home links to through labgate (signed in as this person). */
  forge?: ForgeLinks;
  /** `npm start`'s JupyterLab image as it is prepared: both home pages show where it stands. */
  workspaceSetup?: { view(): ImageSetupView };
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
    return reply
      .type('text/html; charset=utf-8')
      .send(welcomePage(lang, deps.simulatorEnabled, deps.workspaceSetup?.view()));
  });

  server.get('/home', async (request, reply) => {
    const session = await currentSession(request);
    if (!session) throw webErrors.noSession();
    const user = await deps.users.findUser(session.userId);
    if (!user) throw webErrors.noSession();
    // Home stays home: only the launch itself goes on to the workspace (handoff-routes.ts).
    const workspace = session.courseId
      ? await deps.workspaces?.findFor(user.id, session.courseId)
      : undefined;
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
      workspace: workspace && { id: workspace.id, status: workspace.status },
      forgeLink: viaLabgate(deps.forge),
      workspaceSetup: deps.workspaceSetup?.view(),
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
}
