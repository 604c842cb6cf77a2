import type { Forge, ForgeGroup } from './forge.ts';

export interface CourseGroups {
  find(courseId: string): Promise<ForgeGroup | undefined>;
  remember(courseId: string, group: ForgeGroup): Promise<ForgeGroup>;
}

/** The course's group under the operator's top group (FORGE_GROUP), made and remembered on first need. */
export async function ensureCourseGroup(
  forge: Forge,
  rootGroupPath: string,
  course: { id: string; path: string; name: string },
  groups: CourseGroups,
): Promise<ForgeGroup> {
  const known = await groups.find(course.id);
  if (known) return known;
  // An empty marker adopts whatever group the operator made at FORGE_GROUP.
  const root = await forge.ensureGroup({ path: rootGroupPath, name: rootGroupPath, marker: '' });
  const made = await forge.ensureGroup({
    path: course.path,
    name: course.name,
    parentId: root.id,
    marker: `labgate course ${course.id}`,
  });
  // Two first launches at once both find the marked group; the first one remembered wins.
  return groups.remember(course.id, made);
}
