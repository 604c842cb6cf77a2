import type { Assignment, AssignmentStore, Course, CourseStore } from '../courses/index.ts';
import {
  signDeepLinkingResponse,
  type DeepLinkStore,
  type Locale,
  type Lti13Message,
  type PendingDeepLink,
  type ToolKeys,
} from '../lti/index.ts';
import { completeLaunch, type LaunchFlowDeps } from './learner-launch.ts';

export interface DeepLinkingDeps {
  launchFlow: LaunchFlowDeps;
  pending: Pick<DeepLinkStore, 'savePendingDeepLink' | 'getPendingDeepLink' | 'takePendingDeepLink'>;
  courses: Pick<CourseStore, 'findCourse'>;
  assignments: Pick<AssignmentStore, 'listAssignments' | 'findAssignment'>;
  toolKeys: Pick<ToolKeys, 'signingKey'>;
  now: () => number;
}

type DeepLinkingMessage = Extract<Lti13Message, { kind: 'deep-linking' }>;

/**
 * A teacher's deep-linking request (roles checked when it was read): signed in as a launch would sign
 * them in (user, course, enrolment, a fresh session), then the request kept for that session.
 */
export async function beginDeepLinking(
  deps: DeepLinkingDeps,
  message: DeepLinkingMessage,
  o: { previousSessionId: string | undefined; fallbackLocale: Locale },
) {
  const done = await completeLaunch(deps.launchFlow, message.launch, o);
  const { identity } = message.launch;
  const request = await deps.pending.savePendingDeepLink({
    sessionId: done.session.id,
    userId: done.user.id,
    courseId: done.course.id,
    issuer: identity.issuer,
    clientId: identity.clientId,
    deploymentId: message.deepLinking.deploymentId,
    returnUrl: message.deepLinking.returnUrl,
    targets: message.deepLinking.targets,
    data: message.deepLinking.data,
  });
  return { user: done.user, course: done.course, session: done.session, requestId: request.id };
}

/** What the picker shows: the request's course and its assignments. */
export async function deepLinkChoices(
  deps: DeepLinkingDeps,
  o: { requestId: string; sessionId: string },
): Promise<{ request: PendingDeepLink; course: Course | undefined; assignments: Assignment[] }> {
  const request = await deps.pending.getPendingDeepLink(o.requestId, o.sessionId);
  const [course, assignments] = await Promise.all([
    deps.courses.findCourse(request.courseId),
    deps.assignments.listAssignments(request.courseId),
  ]);
  return { request, course, assignments };
}

export type DeepLinkAnswer =
  | { kind: 'answer'; returnUrl: string; jwt: string; assignment: Assignment }
  | { kind: 'unknown-assignment'; slug: string };

/**
 * The teacher picked an exercise: the request is used up and the signed answer is for the browser to
 * post back to the LMS. An unknown slug leaves the request usable.
 */
export async function answerDeepLink(
  deps: DeepLinkingDeps,
  o: { requestId: string; sessionId: string; slug: string },
): Promise<DeepLinkAnswer> {
  const pending = await deps.pending.getPendingDeepLink(o.requestId, o.sessionId);
  const assignment = await deps.assignments.findAssignment(pending.courseId, o.slug);
  if (!assignment) return { kind: 'unknown-assignment', slug: o.slug };
  const request = await deps.pending.takePendingDeepLink(o.requestId, o.sessionId);
  const jwt = await signDeepLinkingResponse(
    deps.toolKeys,
    request,
    { slug: assignment.slug, title: assignment.title },
    Math.floor(deps.now() / 1000),
  );
  return { kind: 'answer', returnUrl: request.returnUrl, jwt, assignment };
}
