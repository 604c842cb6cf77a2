import type { AssignmentStore, CourseStore } from '../courses/index.ts';
import type { ConsumerStore } from '../lti/index.ts';
import { demoAssignmentSlug, demoCourse, demoGradingPath, demoTemplatePath } from './personas.ts';

export const demoConsumerKey = 'labgate-demo';

/** The simulator's LTI 1.1 consumer: created once with a fresh secret, then reused. */
export async function ensureDemoConsumer(
  consumers: Pick<ConsumerStore, 'findConsumer' | 'addConsumer'>,
  publicBaseUrl: URL,
): Promise<string> {
  const existing = await consumers.findConsumer(demoConsumerKey);
  if (existing) return existing.secrets[0]!;
  const created = await consumers.addConsumer({
    key: demoConsumerKey,
    name: 'LMS simulator (demo)',
    allowedOrigin: publicBaseUrl.origin,
  });
  return created.secret;
}

/** The demo course as the simulator's LMS names it, with its one assignment on the demo template. */
export async function ensureDemoAssignment(
  stores: {
    courses: Pick<CourseStore, 'ensureCourse'>;
    assignments: Pick<AssignmentStore, 'findAssignment' | 'addAssignment' | 'setGradingRepo'>;
  },
  lms: string,
) {
  const course = await stores.courses.ensureCourse({
    lms,
    contextId: demoCourse.contextId,
    title: demoCourse.title,
    label: demoCourse.label,
  });
  const assignment =
    (await stores.assignments.findAssignment(course.id, demoAssignmentSlug)) ??
    (await stores.assignments.addAssignment({
      courseId: course.id,
      slug: demoAssignmentSlug,
      title: demoCourse.resourceLinkTitle,
      template: demoTemplatePath,
    }));
  if (!assignment.gradingRepo) await stores.assignments.setGradingRepo(assignment.id, demoGradingPath);
}
