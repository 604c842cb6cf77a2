import { createHash } from 'node:crypto';

/** The demo course and people the LMS simulator launches as. */
export const demoCourse = {
  contextId: 'course-v1:labgate+RR101+demo',
  title: 'Recherche reproductible (démo)',
  label: 'RR101',
  resourceLinkId: 'block-v1:labgate+RR101+demo+type@lti_consumer+block@notebook-1',
  resourceLinkTitle: 'Exercice 1 — premiers pas avec Jupyter',
};

/** The demo course's one assignment: a fork of this template in the embedded forge. */
export const demoAssignmentSlug = 'exercise-1';
export const demoTemplatePath = 'teachers/demo-exercise';
/** Its grading repository: grading.yml and the expected notebook (templates/demo-grading). */
export const demoGradingPath = 'teachers/demo-exercise-grading';

export type PersonaRole = 'learner' | 'teacher';
export type LmsFlavour = 'openedx' | 'moodle';

export const personas: Record<PersonaRole, { id: string; name: string; email: string }> = {
  learner: { id: 'alice', name: 'Alice Martin', email: 'alice.martin@example.org' },
  teacher: { id: 'bernard', name: 'Bernard Dupont', email: 'bernard.dupont@example.org' },
};

/** Open edX sends a course-scoped anonymous id of 32 hex characters; Moodle its numeric user id. */
export function lmsUserId(flavour: LmsFlavour, personaId: string): string {
  if (flavour === 'moodle')
    return String(parseInt(createHash('sha256').update(personaId).digest('hex').slice(0, 6), 16));
  return createHash('sha256').update(`${demoCourse.contextId}:${personaId}`).digest('hex').slice(0, 32);
}
