import type { AppError } from '../errors.ts';

const d = (e: AppError, key: string) => String(e.details?.[key] ?? '');
const reload = 'Rechargez la page : grading.yml a peut-être changé.';

/** French for the refusals of the grader's desk. */
export const reviewTextsFr: Record<string, (e: AppError) => { message: string; hint?: string }> = {
  REVIEW_NO_ASSIGNMENT: (e) => ({
    message: `Ce cours n’a pas d’exercice ${d(e, 'slug')}.`,
    hint: 'Ouvrez l’exercice depuis la page du cours.',
  }),
  REVIEW_NO_LEARNER: () => ({
    message: 'Cette personne n’est pas apprenant·e de ce cours.',
    hint: 'Ouvrez un·e apprenant·e depuis la liste de classe de l’exercice.',
  }),
  REVIEW_NO_SPEC: () => ({
    message: 'Cet exercice n’a pas de grading.yml utilisable : ses questions ne peuvent pas être notées.',
    hint: 'Déposez grading.yml et les fichiers attendus dans le dépôt de correction de l’exercice ; les commentaires restent possibles.',
  }),
  REVIEW_UNKNOWN_QUESTION: (e) => ({
    message: `grading.yml n’a pas de question ${d(e, 'question')}.`,
    hint: reload,
  }),
  REVIEW_SCORE_RANGE: (e) => ({
    message: `La note de ${d(e, 'question')} doit être comprise entre 0 et ${d(e, 'max')}.`,
    hint: 'Tapez un nombre dans cet intervalle, ou videz le champ pour garder la note automatique.',
  }),
  REVIEW_UNKNOWN_RUBRIC_ITEM: (e) => ({
    message: `La question ${d(e, 'question')} n’a pas de critère ${d(e, 'item')} dans son barème.`,
    hint: reload,
  }),
  REVIEW_GENERAL_SCORE: () => ({
    message: 'Le commentaire général ne prend ni note ni critère du barème.',
  }),
  REVIEW_BAD_BODY: (e) => ({
    message: `Cette requête n’a pas été comprise : ${d(e, 'why')}.`,
    hint: 'Rechargez la page et réessayez.',
  }),
};
