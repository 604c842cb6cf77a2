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

/** completeLaunch's dependencies on the test database, the workspace launches recorded by `launched`. */
function launchDeps(launched: (o: { image?: string; open?: unknown }) => void) {
  const courses = createCourseStore(d.db);
  const assignments = createAssignmentStore(d.db);
  return {
    courses,
    assignments,
    deps: {
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
      workspaces: { launch: async (o: { image?: string; open?: unknown }) => void launched(o) as never },
    },
  };
}
const previous = { previousSessionId: undefined, fallbackLocale: 'en' as const };

/** The course the launches come from (`ctx`) with these assignments, titled and templated by slug. */
async function courseWith(
  o: ReturnType<typeof launchDeps>,
  ...list: Array<{ slug: string; image?: string; openFile?: string }>
) {
  const course = await o.courses.ensureCourse({ lms: 'lti11:lms', contextId: 'ctx', title: 'Course' });
  for (const a of list)
    await o.assignments.addAssignment({ courseId: course.id, title: a.slug, template: `t/${a.slug}`, ...a });
}

describe('the workspace image a teacher chose when publishing', () => {
  it('is the one a learner’s workspace starts from, over the link’s custom_image', async () => {
    const asked: Array<string | undefined> = [];
    const o = launchDeps((launched) => asked.push(launched.image));
    const { deps } = o;
    await courseWith(o, { slug: 'r1', image: 'labgate/r:1' }, { slug: 'p1' });
    await completeLaunch(deps, launch('r1', { image: 'other:2' }), previous);
    await completeLaunch(deps, launch('p1', { image: 'other:2' }), previous);
    await completeLaunch(deps, launch('p1'), previous);
    expect(asked).toEqual(['labgate/r:1', 'other:2', undefined]);
  });
});

describe('the images of open assignments (their warm pools, WORKSPACE_WARM_POOL)', () => {
  it('are those named by an assignment without a deadline or due within the past week, each once', async () => {
    const day = 24 * 3600 * 1000;
    const today = Date.parse('2026-12-02T09:00:00Z');
    const { courses } = launchDeps(() => {});
    const assignments = createAssignmentStore(d.db, () => today);
    const course = await courses.ensureCourse({ lms: 'lti11:lms', contextId: 'ctx-imgs', title: 'Course' });
    const add = (slug: string, image: string | undefined, deadline?: number) =>
      assignments.addAssignment({
        courseId: course.id,
        slug,
        title: slug,
        template: `t/${slug}`,
        ...(image ? { image } : {}),
        ...(deadline !== undefined ? { deadline } : {}),
      });
    await add('a', 'open/r:1');
    await add('b', 'open/r:1', today + day);
    await add('c', 'open/julia:1', today - 6 * day);
    await add('d', 'open/old:1', today - 8 * day);
    await add('e', undefined, today + day);
    const other = await courses.ensureCourse({ lms: 'lti11:lms', contextId: 'ctx-imgs-2', title: 'Other' });
    await assignments.addAssignment({
      courseId: other.id,
      slug: 'a',
      title: 'a',
      template: 't/a',
      image: 'open/sage:1',
    });
    const open = (await assignments.openAssignmentImages()).filter((i) => i.startsWith('open/'));
    expect(open).toEqual(['open/julia:1', 'open/r:1', 'open/sage:1']);
    // A deadline moved back into the week brings its image back.
    const old = await assignments.findAssignment(course.id, 'd');
    await assignments.setDeadline(old!.id, today - day);
    expect(await assignments.openAssignmentImages()).toContain('open/old:1');
  });
});

describe('the file learners land in, named when publishing', () => {
  it('is kept with the assignment, and can be changed or cleared', async () => {
    const { courses, assignments } = launchDeps(() => {});
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
    const asked: unknown[] = [];
    const o = launchDeps((launched) => asked.push(launched.open));
    const { deps } = o;
    await courseWith(o, { slug: 'named', openFile: 'tp/main.ipynb' }, { slug: 'plain' });
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
