import type { GradeResult, QuestionResult, QuestionStatus } from '../grading.ts';
import type { FinalGrade, QuestionGrade } from './final-grade.ts';
import type { ReviewComment, ReviewScore } from './review-store.ts';

export type FeedbackLang = 'fr' | 'en';

/** What grading.yml says of a question, for the learner: its title and its rubric items' texts in order. */
export interface QuestionText {
  title: string | undefined;
  rubric: string[];
}

export interface FeedbackInput {
  lang: FeedbackLang;
  assignmentTitle: string;
  grade: FinalGrade;
  /** The autograder's result the grade was made from (its checks, hidden ones included: they are left out here). */
  result: GradeResult | undefined;
  reviews: ReviewScore[];
  comments: ReviewComment[];
  /** By question id; absent when the spec could not be read (rubric items are then numbered). */
  questions?: Map<string, QuestionText>;
  /** The 1-based position of an anchored cell, by `file\0cell`, when labgate could find it. */
  cellNumbers?: Map<string, number>;
}

const words = {
  en: {
    title: (a: string) => `Feedback: ${a}`,
    total: 'Total:',
    colon: ':',
    question: 'Question',
    auto: (a: string, m: string) => `Automatic score: ${a} / ${m}`,
    overridden: (f: string) => `, changed by your teacher to ${f}`,
    rubricAdded: (p: string) => `, plus ${p} for the rubric items below`,
    status: {
      passed: 'All checks passed.',
      partial: 'Some checks passed.',
      failed: 'The checks did not pass.',
      'no-response': 'No answer was found for this question.',
      error: 'Your code could not be run to the end for this question.',
      manual: 'Graded by your teacher.',
    } satisfies Record<QuestionStatus, string>,
    passed: 'passed',
    failed: 'not passed',
    hiddenChecks: 'Some hidden checks are not shown here.',
    hint: 'Hint',
    rubric: 'Rubric items your teacher ticked',
    item: (n: number) => `item ${n}`,
    teacherComment: 'Your teacher’s comment',
    fileComments: 'Comments on your files',
    cell: (n: number | string) => `cell ${n}`,
    removedCell: (n: number) => `the template’s cell ${n} (removed)`,
    line: (n: number) => `line ${n}`,
    wholeFile: 'the whole file',
    general: 'General comment',
    footer:
      'This file was written by labgate when your teacher released the feedback. It is replaced if a grade changes; your own files are not touched.',
  },
  fr: {
    title: (a: string) => `Retour sur : ${a}`,
    total: 'Total :',
    colon: ' :',
    question: 'Question',
    auto: (a: string, m: string) => `Note automatique : ${a} / ${m}`,
    overridden: (f: string) => `, changée par votre enseignant·e en ${f}`,
    rubricAdded: (p: string) => `, plus ${p} pour les critères ci-dessous`,
    status: {
      passed: 'Toutes les vérifications sont passées.',
      partial: 'Une partie des vérifications est passée.',
      failed: 'Les vérifications ne sont pas passées.',
      'no-response': 'Aucune réponse n’a été trouvée pour cette question.',
      error: 'Votre code n’a pas pu s’exécuter jusqu’au bout pour cette question.',
      manual: 'Notée par votre enseignant·e.',
    } satisfies Record<QuestionStatus, string>,
    passed: 'réussie',
    failed: 'non réussie',
    hiddenChecks: 'Certaines vérifications cachées ne sont pas montrées ici.',
    hint: 'Indice',
    rubric: 'Critères cochés par votre enseignant·e',
    item: (n: number) => `critère ${n}`,
    teacherComment: 'Commentaire de votre enseignant·e',
    fileComments: 'Commentaires sur vos fichiers',
    cell: (n: number | string) => `cellule ${n}`,
    removedCell: (n: number) => `la cellule ${n} du modèle (supprimée)`,
    line: (n: number) => `ligne ${n}`,
    wholeFile: 'tout le fichier',
    general: 'Commentaire général',
    footer:
      'Ce fichier a été écrit par labgate quand votre enseignant·e a publié les retours. Il est remplacé si une note change ; vos propres fichiers ne sont pas modifiés.',
  },
} as const;

/**
 * Text made inert for GitLab's Markdown yet readable as plain text (learners open FEEDBACK.md in
 * JupyterLab's editor too): the punctuation Markdown acts on is backslash-escaped (HTML, links, images,
 * emphasis, code, tables, math, emoji, references), and so is a list or heading marker at a line's
 * start; control and bidi characters are dropped. Commas, full stops and brackets elsewhere stay as
 * they are. @see https://spec.commonmark.org/0.31.2/#backslash-escapes
 */
export function inertMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- dropping control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/[\\`*_[\]<>&|~!$:@#{}]/g, (c) => `\\${c}`)
      .replace(/\bwww\./gi, (w) => `${w.slice(0, -1)}\\.`)
      .replace(/^(\s*)([-+=]|\d+(?=[.)]))/, (_, space: string, marker: string) => `${space}\\${marker}`)
  );
}

/** One line of inert text (line breaks become spaces). */
const inline = (text: string) => inertMarkdown(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());

/** A grader's text as a quote, its own line breaks kept (each line inert). */
const quote = (text: string, indent = '') =>
  text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((l) => `${indent}> ${inertMarkdown(l.trim())}`.trimEnd())
    .join('  \n');

const number = (n: number, lang: FeedbackLang) => {
  const s = String(Math.round(n * 1000) / 1000);
  return lang === 'fr' ? s.replace('.', ',') : s;
};

function questionSection(
  q: QuestionGrade,
  result: QuestionResult | undefined,
  review: ReviewScore | undefined,
  i: FeedbackInput,
): string[] {
  const t = words[i.lang];
  const n = (v: number) => number(v, i.lang);
  const text = i.questions?.get(q.id);
  const out = [`## ${t.question} ${inline(text?.title ?? q.id)} — ${n(q.final)} / ${n(q.maxScore)}`, ''];
  let scoreLine = t.auto(n(q.auto), n(q.maxScore));
  if (q.manual !== undefined && q.manual !== q.auto) scoreLine += t.overridden(n(q.final));
  else if (q.manual === undefined && q.rubricPoints > 0) scoreLine += t.rubricAdded(n(q.rubricPoints));
  out.push(`${scoreLine}. ${t.status[q.status]}`, '');
  const checks = result?.checks ?? [];
  const visible = checks.filter((c) => !c.hidden && c.type !== 'manual');
  for (const c of visible)
    out.push(`- ${c.passed ? '✓' : '✗'} ${c.passed ? t.passed : t.failed}${t.colon} ${inline(c.message)}`);
  if (checks.some((c) => c.hidden)) out.push(`- ${t.hiddenChecks}`);
  if (visible.length > 0 || checks.some((c) => c.hidden)) out.push('');
  if (result?.hint && q.status !== 'passed') out.push(`*${t.hint}${t.colon}* ${inline(result.hint)}`, '');
  const ticks = review?.rubric ?? [];
  if (ticks.length > 0) {
    out.push(`**${t.rubric}${t.colon}**`, '');
    for (const tick of ticks) {
      const item = text?.rubric[tick.item] ?? t.item(tick.item + 1);
      out.push(`- [x] ${inline(item)} (+${n(tick.points)})`);
    }
    out.push('');
  }
  if (review?.comment?.trim()) out.push(`**${t.teacherComment}${t.colon}**`, '', quote(review.comment), '');
  return out;
}

function anchor(c: ReviewComment, i: FeedbackInput): string {
  const t = words[i.lang];
  if (!c.cell) return `${inline(c.file)}, ${t.wholeFile}`;
  const index = /^#(\d+)$/.exec(c.cell);
  const removed = /^-(\d+)$/.exec(c.cell);
  const position = index ? Number(index[1]) + 1 : i.cellNumbers?.get(`${c.file}\0${c.cell}`);
  const cell = removed
    ? t.removedCell(Number(removed[1]) + 1)
    : position !== undefined
      ? t.cell(position)
      : t.cell(`«${inline(c.cell)}»`);
  return `${inline(c.file)}, ${cell}${c.line !== undefined ? `, ${t.line(c.line)}` : ''}`;
}

/** The learner's comments on files, in file order then cell position then line. */
function fileComments(i: FeedbackInput): string[] {
  const onFiles = i.comments.filter((c) => c.file && c.body.trim());
  if (onFiles.length === 0) return [];
  const position = (c: ReviewComment) => {
    const index = /^#(\d+)$/.exec(c.cell);
    return index ? Number(index[1]) + 1 : (i.cellNumbers?.get(`${c.file}\0${c.cell}`) ?? (c.cell ? 1e9 : 0));
  };
  const sorted = [...onFiles].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      position(a) - position(b) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.createdAt - b.createdAt,
  );
  const out = [`## ${words[i.lang].fileComments}`, ''];
  for (const c of sorted) out.push(`- ${anchor(c, i)}${words[i.lang].colon}`, '', quote(c.body, '  '), '');
  return out;
}

/**
 * FEEDBACK.md for one learner: the total, per question the final and automatic scores, the visible
 * checks (hidden ones never listed), the rubric items ticked, the graders' comments, quoted and inert.
 */
export function feedbackMarkdown(i: FeedbackInput): string {
  const t = words[i.lang];
  const n = (v: number) => number(v, i.lang);
  const results = new Map((i.result?.questions ?? []).map((q) => [q.id, q]));
  const reviews = new Map(i.reviews.map((r) => [r.questionId, r]));
  const out = [
    `# ${t.title(inline(i.assignmentTitle))}`,
    '',
    `**${t.total} ${n(i.grade.final)} / ${n(i.grade.maxScore)}**`,
    '',
  ];
  for (const q of i.grade.questions) out.push(...questionSection(q, results.get(q.id), reviews.get(q.id), i));
  out.push(...fileComments(i));
  const general = [
    i.grade.comment,
    ...i.comments.filter((c) => !c.file && !c.cell).map((c) => c.body),
  ].filter((c): c is string => !!c?.trim());
  if (general.length > 0) {
    out.push(`## ${t.general}`, '');
    for (const g of general) out.push(quote(g), '');
  }
  out.push('---', '', `*${t.footer}*`, '');
  return out.join('\n');
}
