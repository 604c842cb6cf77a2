import type { CourseRole } from './launch.ts';

const rank: Record<CourseRole, number> = { learner: 0, ta: 1, teacher: 2 };
const higher = (a: CourseRole, b: CourseRole) => (rank[b] > rank[a] ? b : a);

const teacherNames = new Set(['instructor', 'administrator', 'contentdeveloper']);

function roleFromName(name: string, subRole: string | undefined): CourseRole {
  if (subRole?.toLowerCase() === 'teachingassistant' || name.toLowerCase() === 'teachingassistant')
    return 'ta';
  return teacherNames.has(name.toLowerCase()) ? 'teacher' : 'learner';
}

// Context roles only: short names and urn:lti:role:ims/lis/…; sysrole and instrole never grant anything.
const lti11Context = /^(?:urn:lti:role:ims\/lis\/)?([A-Za-z]+)(?:\/([A-Za-z]+))?$/i;

/** Maps an LTI 1.1 `roles` list (comma-separated) to the one course role it grants. */
export function courseRoleFromLti11(roles: string): CourseRole {
  let role: CourseRole = 'learner';
  for (const token of roles.split(',')) {
    const m = lti11Context.exec(token.trim());
    if (m) role = higher(role, roleFromName(m[1]!, m[2]));
  }
  return role;
}

const lti13Membership =
  /^http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership(?:\/([A-Za-z]+))?#([A-Za-z]+)$/;

/** Maps the LTI 1.3 roles claim; deprecated bare names are read as context roles. */
export function courseRoleFromLti13(roles: readonly string[]): CourseRole {
  let role: CourseRole = 'learner';
  for (const uri of roles) {
    const m = lti13Membership.exec(uri);
    if (m) {
      role = higher(role, m[1] ? roleFromName(m[1], m[2]) : roleFromName(m[2]!, undefined));
    } else if (/^[A-Za-z]+$/.test(uri)) {
      role = higher(role, roleFromName(uri, undefined));
    }
  }
  return role;
}
