import { accountDisabled } from './account-disabled.ts';
import type { CourseStore, GradeTargetStore } from '../courses/index.ts';
import type { SessionStore, UserStore } from '../identity/index.ts';
import type { Locale, VerifiedLaunch } from '../lti/index.ts';
import { requestProvisioning, type ProvisioningDeps } from './provisioning-request.ts';
import type { WorkspaceLauncher } from './workspace-launch.ts';

export interface LaunchFlowDeps {
  users: Pick<UserStore, 'ensureUser'>;
  courses: Pick<CourseStore, 'ensureCourse' | 'enrol'>;
  sessions: Pick<SessionStore, 'startSession' | 'endSession'>;
  sessionTtlSeconds: number;
  /** Absent when no GitLab is configured. */
  provisioning?: ProvisioningDeps;
  /** Absent unless workspaces are configured. */
  workspaces?: Pick<WorkspaceLauncher, 'launch'>;
  /** Where learners' grades go back, kept from their newest launch of each assignment. */
  gradeTargets?: Pick<GradeTargetStore, 'saveTarget'>;
}

/** A learner's launch of an assignment that says where their grade goes back: remembered for passback. */
async function rememberGradeTarget(
  deps: LaunchFlowDeps,
  launch: VerifiedLaunch,
  userId: string,
  assignmentId: string | undefined,
) {
  const service = launch.gradeService;
  if (!deps.gradeTargets || !service || !assignmentId || !launch.resourceLink) return;
  const common = {
    assignmentId,
    userId,
    lmsKey: launch.lmsKey,
    resourceLinkId: launch.resourceLink.id,
  };
  await deps.gradeTargets.saveTarget(
    service.kind === 'outcomes'
      ? { ...common, service }
      : { ...common, service, ltiUserId: launch.identity.subject },
  );
}

/**
 * After a verified launch (1.1 or 1.3): the person, their course and role, then a fresh session.
 * Any session the browser already had is ended, never merged (login CSRF, lti.md §9.5).
 */
export async function completeLaunch(
  deps: LaunchFlowDeps,
  launch: VerifiedLaunch,
  o: { previousSessionId: string | undefined; fallbackLocale: Locale },
) {
  const user = await deps.users.ensureUser(launch.identity, {
    ...(launch.person.name ? { name: launch.person.name } : {}),
    ...(launch.person.email ? { email: launch.person.email } : {}),
  });
  if (user.disabled) throw accountDisabled();
  const course = await deps.courses.ensureCourse({
    lms: launch.lmsKey,
    contextId: launch.context.id,
    title: launch.context.title,
    ...(launch.context.label ? { label: launch.context.label } : {}),
  });
  await deps.courses.enrol(course.id, user.id, launch.role);
  const provisioning =
    deps.provisioning &&
    (await requestProvisioning(deps.provisioning, { userId: user.id, course, role: launch.role, launch }));
  if (launch.role === 'learner' && provisioning && 'job' in provisioning)
    await rememberGradeTarget(deps, launch, user.id, provisioning.assignmentId);
  if (deps.workspaces && provisioning && 'job' in provisioning && provisioning.job.kind === 'fork') {
    await deps.workspaces.launch({
      userId: user.id,
      courseId: course.id,
      assignment: provisioning.job.spec.kind === 'fork' ? provisioning.job.spec.assignment.slug : '',
      provisioningId: provisioning.job.id,
      person: { name: provisioning.job.spec.person.name, email: provisioning.job.spec.person.email },
      // The link's file (one link per part of an exercise), else the one named when publishing.
      open: [launch.custom.open?.trim(), provisioning.openFile],
      // The teacher's choice at publishing wins over a link's `custom_image`.
      ...((provisioning.image ?? launch.custom.image)
        ? { image: provisioning.image ?? launch.custom.image }
        : {}),
    });
  }
  if (o.previousSessionId) await deps.sessions.endSession(o.previousSessionId);
  const session = await deps.sessions.startSession({
    userId: user.id,
    courseId: course.id,
    role: launch.role,
    via: launch.lmsName,
    locale: launch.locale ?? o.fallbackLocale,
    returnUrl: launch.returnUrl,
    ttlSeconds: deps.sessionTtlSeconds,
  });
  // The next page checks that the cookie arrived; if an iframe blocked it, the handoff continues in a new tab.
  const next = new URLSearchParams({ handoff: session.handoff, lang: launch.locale ?? o.fallbackLocale });
  return { user, course, session, provisioning, redirectTo: `/launch/continue?${next}` };
}
