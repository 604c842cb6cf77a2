import type { AppError } from '../errors.ts';

const d = (e: AppError, key: string) => String(e.details?.[key] ?? '');

/** French for the refusals of the grades page and the release of feedback. */
export const gradesTextsFr: Record<string, (e: AppError) => { message: string; hint?: string }> = {
  GRADES_NO_COURSE: (e) => ({
    message: `Il n’y a pas de cours ${d(e, 'courseId')}.`,
    hint: '`labgate courses list` donne les identifiants des cours.',
  }),
  GRADES_NO_ASSIGNMENT: (e) => ({
    message: `Le cours ${d(e, 'courseId')} n’a pas d’exercice ${d(e, 'slug')}.`,
    hint: 'La page du cours liste ses exercices.',
  }),
  GRADES_NO_PASSBACK: () => ({
    message: 'Ce labgate n’envoie pas les notes aux LMS.',
    hint: 'Exportez les notes en CSV et saisissez-les dans le LMS.',
  }),
};
