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
  context: { id: 'ctx-open', title: 'Course', label: undefined },
  resourceLink: { id: 'rl', title: undefined },
  role: 'learner',
  locale: 'en',
  returnUrl: undefined,
  custom: { assignment: slug, ...custom },
});

describe('the file learners land in, named when publishing', () => {
  it('is kept with the assignment, and can be changed or cleared', async () => {
    const courses = createCourseStore(d.db);
    const assignments = createAssignmentStore(d.db);
    const course = await courses.ensureCourse({ lms: 'lti11:lms', contextId: 'ctx-keep', title: 'Course' });
    const a = await assignments.addAssignment({
      courseId: course.id,
      slug: 'ex1',
      title: 'Ex 1',
      template: 't/ex1',
      openFile: 'notebooks/ex1.ipynb',
    });
    expect(a.openFile).toBe('notebooks/ex1.ipynb');
    expect((await assignments.findAssignment(course.id, 'ex1'))?.openFile).toBe('notebooks/ex1.ipynb');
    await assignments.setOpenFile(a.id, 'part 2/ex2.ipynb');
    expect((await assignments.findAssignmentById(a.id))?.openFile).toBe('part 2/ex2.ipynb');
    await assignments.setOpenFile(a.id, undefined);
    expect((await assignments.findAssignmentById(a.id))?.openFile).toBeUndefined();
  });

  it('is asked for after the link’s custom_open, which names a file for one link', async () => {
    const courses = createCourseStore(d.db);
    const assignments = createAssignmentStore(d.db);
    const course = await courses.ensureCourse({ lms: 'lti11:lms', contextId: 'ctx-open', title: 'Course' });
    await assignments.addAssignment({
      courseId: course.id,
      slug: 'named',
      title: 'Named',
      template: 't/named',
      openFile: 'tp/main.ipynb',
    });
    await assignments.addAssignment({
      courseId: course.id,
      slug: 'plain',
      title: 'Plain',
      template: 't/plain',
    });
    const asked: unknown[] = [];
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
      workspaces: { launch: async (o: { open?: unknown }) => void asked.push(o.open) as never },
    };
    const previous = { previousSessionId: undefined, fallbackLocale: 'en' as const };
    await completeLaunch(deps, launch('named'), previous);
    await completeLaunch(deps, launch('named', { open: ' tp/part2.ipynb ' }), previous);
    await completeLaunch(deps, launch('plain'), previous);
    expect(asked).toEqual([
      [undefined, 'tp/main.ipynb'],
      ['tp/part2.ipynb', 'tp/main.ipynb'],
      [undefined, undefined],
    ]);
  });
});
