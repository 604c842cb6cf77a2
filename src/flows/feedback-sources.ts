import type { Forge } from '../forge/index.ts';
import {
  filesOf,
  parseGradingSpec,
  readDocument,
  type GradingSpec,
  type QuestionText,
  type ReviewComment,
} from '../grading/index.ts';

export type FeedbackForge = Pick<Forge, 'findProject' | 'archive'>;

/** Each question's title and rubric items' texts (numbered across its `manual` checks, as graders tick them). */
export function questionTexts(spec: GradingSpec): Map<string, QuestionText> {
  return new Map(
    spec.files.flatMap((f) =>
      f.questions.map((q): [string, QuestionText] => [
        q.id,
        {
          title: q.title,
          rubric: q.checks.flatMap((c) => (c.type === 'manual' ? c.rubric : [])).map((r) => r.text),
        },
      ]),
    ),
  );
}

/**
 * What FEEDBACK.md is written from beyond the database, read from the forge once per delivery round:
 * grading.yml at the grading commit a learner was graded with (question titles, rubric texts), and the
 * learner's submitted files when a comment names a cell by its id (to say "cell 4").
 */
export function createFeedbackSources(forge: FeedbackForge, maxBytes: number) {
  const specs = new Map<string, Promise<Map<string, QuestionText> | undefined>>();

  /** Undefined when the grading repository or its grading.yml at that commit cannot be read. */
  function questionsAt(gradingRepo: string | undefined, commit: string) {
    if (!gradingRepo) return Promise.resolve(undefined);
    const key = `${gradingRepo}@${commit}`;
    let found = specs.get(key);
    if (!found) {
      found = (async () => {
        const project = await forge.findProject(gradingRepo);
        if (!project) return undefined;
        const files = await filesOf(await forge.archive(project.id, commit, maxBytes), maxBytes);
        const yml = files.get('grading.yml');
        const parsed = yml ? parseGradingSpec(yml.toString('utf8')) : undefined;
        return parsed?.ok ? questionTexts(parsed.spec) : undefined;
      })().catch(() => undefined);
      specs.set(key, found);
    }
    return found;
  }

  /** The 1-based position of each cell the comments name by id, in the submitted file (`file\0cell`). */
  async function cellNumbers(forkId: number, commit: string, comments: ReviewComment[]) {
    const named = comments.filter((c) => c.file && c.cell && !/^[#-]\d+$/.test(c.cell));
    const numbers = new Map<string, number>();
    if (named.length === 0) return numbers;
    const files = await filesOf(await forge.archive(forkId, commit, maxBytes), maxBytes).catch(
      () => undefined,
    );
    for (const file of new Set(named.map((c) => c.file))) {
      const bytes = files?.get(file);
      const doc = bytes && readDocument(file, bytes);
      if (!doc || !('blocks' in doc)) continue;
      doc.blocks.forEach((b, i) => {
        if (b.key !== undefined) numbers.set(`${file}\0${b.key}`, i + 1);
      });
    }
    return numbers;
  }

  return { questionsAt, cellNumbers };
}

export type FeedbackSources = ReturnType<typeof createFeedbackSources>;
