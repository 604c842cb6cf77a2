import { z } from 'zod';
import type { Lang } from './i18n.ts';

const long = 10_000;
const commentText = z.string().max(long);
const bodyText = commentText.refine((s) => s.trim() !== '', { message: 'empty' });

/** `POST …/review/:userId/scores`: one question's decision (`questionId` '' for the general comment). */
export const scoreBody = z.strictObject({
  questionId: z.string().max(64),
  score: z.number().finite().nullable(),
  /** Rubric items ticked; their points are grading.yml's, whatever is sent here. */
  rubric: z
    .array(z.strictObject({ item: z.number().int().min(0).max(10_000), points: z.number().optional() }))
    .max(500),
  comment: commentText.nullable().optional(),
  version: z.number().int().min(0),
});

/** `POST …/review/:userId/comments`: a new comment on a block (`cell`, its anchor) and maybe one line. */
export const newCommentBody = z.strictObject({
  file: z.string().min(1).max(1_000),
  cell: z.string().max(300),
  line: z.number().int().min(1).max(10_000_000).nullable().optional(),
  body: bodyText,
});

/** `POST …/review/:userId/comments/:id`: a new text, or null to delete, from the version seen. */
export const changeCommentBody = z.strictObject({
  body: bodyText.nullable(),
  version: z.number().int().min(1),
});

const words = {
  en: {
    tooLong: 'A comment is at most 10,000 characters.',
    empty: 'A comment cannot be empty: use Delete to remove it.',
    score: 'The score must be a number, or empty to keep the automatic score.',
    rubric: 'The rubric items ticked were not understood.',
    version: 'This page is out of date.',
    field: (f: string) => `The field “${f}” is missing or not valid.`,
    unknown: (f: string) => `The field “${f}” is not expected here.`,
    json: 'The request must be a JSON object.',
    hint: 'Reload the page and try again.',
  },
  fr: {
    tooLong: 'Un commentaire fait au plus 10 000 caractères.',
    empty: 'Un commentaire ne peut pas être vide : utilisez « Supprimer » pour l’enlever.',
    score: 'La note doit être un nombre, ou vide pour garder la note automatique.',
    rubric: 'Les critères cochés du barème n’ont pas été compris.',
    version: 'Cette page n’est plus à jour.',
    field: (f: string) => `Le champ « ${f} » manque ou n’est pas valide.`,
    unknown: (f: string) => `Le champ « ${f} » n’est pas attendu ici.`,
    json: 'La requête doit être un objet JSON.',
    hint: 'Rechargez la page et réessayez.',
  },
} satisfies Record<Lang, unknown>;

/** What is wrong with a body, in the grader's language (the first problem found). */
export function bodyProblem(error: z.ZodError, lang: Lang): { message: string; hint: string } {
  const t = words[lang];
  const issue = error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const say = (message: string) => ({ message, hint: t.hint });
  if (!issue || !field) {
    if (issue?.code === 'unrecognized_keys') return say(t.unknown(issue.keys.join(', ').slice(0, 80)));
    return say(t.json);
  }
  if ((field === 'comment' || field === 'body') && issue.code === 'too_big') return say(t.tooLong);
  if (field === 'body' && issue.code !== 'invalid_type') return say(t.empty);
  if (field === 'score') return say(t.score);
  if (field === 'rubric') return say(t.rubric);
  if (field === 'version') return say(t.version);
  return say(t.field(field.slice(0, 40)));
}
