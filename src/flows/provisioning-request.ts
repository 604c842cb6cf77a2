import type { AssignmentStore, Course, CourseRole } from '../courses/index.ts';
import {
  displayName,
  pathSlug,
  type Provisioner,
  type Provisioning,
  type ProvisionSpec,
} from '../forge/index.ts';
import type { VerifiedLaunch } from '../lti/index.ts';
import { forgePersonOf, type ForgeNaming } from './forge-persona.ts';

export interface ProvisioningDeps {
  provisioner: Pick<Provisioner, 'provision'>;
  assignments: Pick<AssignmentStore, 'findAssignment'>;
  /** FORGE_USERNAMES; names when absent. */
  naming?: ForgeNaming;
}

/** What a launch asked of the forge: a job under way, nothing, or why nothing could be asked. */
export type ProvisioningOutcome =
  | { job: Provisioning; image?: string; openFile?: string; assignmentId?: string }
  | { problem: 'no-assignment' | 'unknown-assignment'; slug?: string }
  | undefined;

/**
 * Learners get a fork of the assignment the LMS link names (`custom_assignment`); teachers and TAs get
 * access to the course's group. The job runs in the background; the launch never waits for GitLab.
 */
export async function requestProvisioning(
  deps: ProvisioningDeps,
  o: { userId: string; course: Course; role: CourseRole; launch: VerifiedLaunch },
): Promise<ProvisioningOutcome> {
  const person = await forgePersonOf(deps.naming, {
    userId: o.userId,
    identity: o.launch.identity,
    name: o.launch.person.name,
    email: o.launch.person.email,
  });
  const course = {
    id: o.course.id,
    path: pathSlug(o.course.label ?? o.course.title, 'course'),
    name: displayName(o.course.title, 'Course'),
  };
  if (o.role !== 'learner') {
    const spec: ProvisionSpec = { kind: 'staff', person, course, access: o.role === 'teacher' ? 40 : 20 };
    return { job: await deps.provisioner.provision(o.userId, spec) };
  }
  const slug = o.launch.custom.assignment?.trim();
  if (!slug) return { problem: 'no-assignment' };
  const assignment = await deps.assignments.findAssignment(o.course.id, slug);
  if (!assignment) return { problem: 'unknown-assignment', slug };
  const spec: ProvisionSpec = {
    kind: 'fork',
    person,
    course,
    assignment: { slug: assignment.slug, title: assignment.title, template: assignment.template },
  };
  // The workspace image the teacher chose when publishing (undefined: the service's default).
  return {
    job: await deps.provisioner.provision(o.userId, spec),
    ...(assignment.image ? { image: assignment.image } : {}),
    ...(assignment.openFile ? { openFile: assignment.openFile } : {}),
    assignmentId: assignment.id,
  };
}
