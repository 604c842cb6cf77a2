import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssignmentStore, createCourseStore } from '../../src/courses/index.ts';
import { completeLaunch } from '../../src/flows/index.ts';
import type { Provisioning, ProvisionSpec } from '../../src/forge/index.ts';
import { createSessionStore, createUserStore } from '../../src/identity/index.ts';
import type { VerifiedLaunch } from '../../src/lti/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';

let d: TestDatabase;
beforeAll(async () => {
  d = await openTestDatabase();
});
afterAll(async () => d?.close());

const launch = (slug: string, custom: Record<string, string> = {}): VerifiedLaunch => ({
  version: '1.1',
  identity: { kind: 'lti11', issuer: 'lms', clientId: 'lms', subject: `s-${slug}` },
  lmsKey: 'lti11:lms',
  lmsName: 'LMS',
  person: { name: 'Ana', email: 'ana@x.invalid' },
  context: { id: 'ctx', title: 'Course', label: undefined },
  resourceLink: { id: 'rl', title: undefined },
  role: 'learner',
  locale: 'en',
  returnUrl: undefined,
  custom: { assignment: slug, ...custom },
});

describe('the workspace image a teacher chose when publishing', () => {
  it('is the one a learner’s workspace starts from, over the link’s custom_image', async () => {
    const courses = createCourseStore(d.db);
    const assignments = createAssignmentStore(d.db);
    const course = await courses.ensureCourse({ lms: 'lti11:lms', contextId: 'ctx', title: 'Course' });
    await assignments.addAssignment({
      courseId: course.id,
      slug: 'r1',
      title: 'R',
      template: 't/r1',
      image: 'labgate/r:1',
    });
    await assignments.addAssignment({ courseId: course.id, slug: 'p1', title: 'P', template: 't/p1' });
    const asked: Array<string | undefined> = [];
    const deps = {
      users: createUserStore(d.db),
      courses,
      sessions: createSessionStore(d.db),
      sessionTtlSeconds: 3600,
      provisioning: {
        assignments,
        provisioner: {
          provision: async (userId: string, spec: ProvisionSpec) =>
            ({ id: `job-${userId}`, kind: spec.kind, userId, spec }) as unknown as Provisioning,
        },
      },
      workspaces: { launch: async (o: { image?: string }) => void asked.push(o.image) as never },
    };
    const previous = { previousSessionId: undefined, fallbackLocale: 'en' as const };
    await completeLaunch(deps, launch('r1', { image: 'other:2' }), previous);
    await completeLaunch(deps, launch('p1', { image: 'other:2' }), previous);
    await completeLaunch(deps, launch('p1'), previous);
    expect(asked).toEqual(['labgate/r:1', 'other:2', undefined]);
  });
});
