import {
  anchorOf,
  type FinalGrade,
  type QuestionGrade,
  type ReviewScore,
  locateBlocks,
  type CheckResult,
  type Document,
  type DocumentDiff,
  type GradeResult,
  type GradingSpec,
  type QuestionResult,
} from '../grading/index.ts';

export type SpecQuestion = GradingSpec['files'][number]['questions'][number];
type SpecCheck = SpecQuestion['checks'][number];

/** One rubric item of a question's `manual` checks, numbered across them in order (what graders tick). */
export interface RubricItem {
  item: number;
  text: string;
  points: number;
}

const possible = (c: SpecCheck) =>
  c.type === 'manual' ? c.rubric.reduce((s, r) => s + r.points, 0) : c.points;

/** The most a question scores, as the autograder counts it. */
export const questionMax = (q: SpecQuestion) => q.points ?? q.checks.reduce((s, c) => s + possible(c), 0);

export const rubricItems = (q: SpecQuestion): RubricItem[] =>
  q.checks
    .flatMap((c) => (c.type === 'manual' ? c.rubric : []))
    .map((r, item) => ({ item, text: r.text, points: r.points }));

export const specQuestions = (spec: GradingSpec) =>
  spec.files.flatMap((f) => f.questions.map((q) => ({ file: f.path, question: q })));

export function findQuestion(spec: GradingSpec, id: string) {
  return specQuestions(spec).find((x) => x.question.id === id);
}

/**
 * A result with every question at 0 for a submission nobody graded yet, so graders can score it by
 * hand; `status: 'manual'` says no automatic check ran.
 */
export function ungraded(spec: GradingSpec): GradeResult {
  const questions: QuestionResult[] = specQuestions(spec).map(({ file, question }) => ({
    id: question.id,
    file,
    score: 0,
    maxScore: questionMax(question),
    status: 'manual',
    checks: [],
  }));
  return { score: 0, maxScore: questions.reduce((s, q) => s + q.maxScore, 0), questions, durationMs: 0 };
}

/** Where each question of `file` is in the learner's document: the anchor of its block in the diff. */
export function questionAnchors(
  spec: GradingSpec | undefined,
  file: string,
  doc: Document | undefined,
  diff: DocumentDiff | undefined,
): Map<string, string> {
  const anchors = new Map<string, string>();
  const graded = spec?.files.find((f) => f.path === file);
  if (!graded || !doc || !diff) return anchors;
  for (const q of graded.questions) {
    const [index] = locateBlocks(doc, q.locate);
    const block = index === undefined ? undefined : diff.blocks.find((b) => b.right === index);
    if (block) anchors.set(q.id, anchorOf(block));
  }
  return anchors;
}

/** A check as a learner may see it: hidden ones are only counted. */
export const visibleChecks = (checks: CheckResult[]) => ({
  checks: checks.filter((c) => !c.hidden && c.type !== 'manual'),
  hidden: checks.filter((c) => c.hidden).length,
});

/** A question as the grader scores it: the spec's rubric, the autograder's result, the graders' decision. */
export interface ReviewQuestion {
  id: string;
  title: string | undefined;
  file: string;
  maxScore: number;
  rubric: RubricItem[];
  result: QuestionResult | undefined;
  review: ReviewScore | undefined;
  grade: QuestionGrade | undefined;
}

/** Every question of grading.yml (and of the last grading, if grading.yml has changed since). */
export function reviewQuestions(
  spec: GradingSpec | undefined,
  result: GradeResult | undefined,
  final: FinalGrade,
  scores: ReviewScore[],
): ReviewQuestion[] {
  const fromSpec = spec ? specQuestions(spec) : [];
  const ids = [
    ...new Set([...fromSpec.map((x) => x.question.id), ...(result?.questions ?? []).map((q) => q.id)]),
  ];
  return ids.map((id) => {
    const x = fromSpec.find((y) => y.question.id === id);
    const r = result?.questions.find((q) => q.id === id);
    return {
      id,
      title: x?.question.title,
      file: x?.file ?? r?.file ?? '',
      maxScore: x ? questionMax(x.question) : (r?.maxScore ?? 0),
      rubric: x ? rubricItems(x.question) : [],
      result: r,
      review: scores.find((sc) => sc.questionId === id),
      grade: final.questions.find((g) => g.id === id),
    };
  });
}
