import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootToken, startTestGitlab, type TestGitlab } from './gitlab-lite.ts';
import { startTestApp, type TestApp } from './test-app.ts';

export const metricsToken = 'scrape-me-0123456789abcdef';

/**
 * The app with METRICS_TOKEN on gitlab-lite, the template teachers/ex1 and the course RR101 whose
 * assignment ex1 uses it, listening on a loopback port; `env` adds the workspace settings.
 */
export async function startMetricsApp(
  env: (dir: string) => Record<string, string>,
): Promise<{ gitlab: TestGitlab; t: TestApp; dir: string; close(): Promise<void> }> {
  const gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  await gitlab.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-metrics-'));
  const t = await startTestApp({
    env: {
      METRICS_TOKEN: metricsToken,
      FORGE_URL: gitlab.lite.url,
      FORGE_TOKEN: rootToken,
      DATA_DIR: dir,
      WORKSPACES_ROOT: path.join(dir, 'workspaces'),
      WORKSPACE_HOST_PATTERN: 'off',
      ...env(dir),
    },
  });
  const course = await t.app.services.courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+RR101+2026',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  await t.app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template: 'teachers/ex1',
  });
  await t.app.server.listen({ port: 0, host: '127.0.0.1' });
  return {
    gitlab,
    t,
    dir,
    async close() {
      await t.close();
      await gitlab.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
