import type { FastifyInstance } from 'fastify';
import { collectErrors, type Collector } from '../../flows/index.ts';
import { collectTarGz } from '../collect-tar.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface CollectRouteDeps extends CourseStaffDeps {
  /** Undefined without a forge: then there is nothing to collect. */
  collector: Collector | undefined;
}

type Params = { courseId: string; slug: string };

/** The roster's "Download submissions": every learner's submitted commit as nbgrader's layout, gzipped. */
export function registerCollectRoutes(server: FastifyInstance, deps: CollectRouteDeps) {
  const staff = courseStaff(deps);

  server.get('/courses/:courseId/assignments/:slug/submissions.tar.gz', async (request, reply) => {
    const p = request.params as Params;
    const { course } = await staff(request, p.courseId);
    const collector = deps.collector;
    if (!collector) throw collectErrors.noForge();
    // Refusals (no such assignment, nothing recorded yet) come before the first byte.
    const plan = await collector.prepare(course.id, p.slug);
    const slug = plan.assignment.slug;
    const body = collectTarGz(collector.collect(plan), slug, (err) =>
      request.log.error({ err, courseId: course.id, slug }, 'collecting submissions failed mid-download'),
    );
    return reply
      .type('application/gzip')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="submissions-${slug}.tar.gz"`)
      .send(body);
  });
}
