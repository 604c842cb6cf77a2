import { z } from 'zod';

/**
 * grading.yml, version 1: the teacher's grading rules, kept in the private grading repository beside
 * the expected version of each graded file. Never copied into a learner's fork or a sandbox.
 */
const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'use letters, digits, “-”, “_” or “.” (at most 64)');
const points = z.number().min(0).max(1000);
const text = z.string().min(1).max(10_000);
const pattern = z.string().min(1).max(2_000);
const flags = z
  .string()
  .regex(/^[imsu]*$/, 'regex flags are among i, m, s and u')
  .optional();

export const tolerance = z.strictObject({
  rtol: z.number().min(0).optional(),
  atol: z.number().min(0).optional(),
});

const reveal = z.enum(['none', 'result', 'diff']);

/** Where a question's block is in the template; exactly one way per locator. */
export const locator = z.union([
  z.strictObject({ cell_id: z.string().min(1).max(64) }),
  z.strictObject({ tag: z.string().min(1).max(200) }),
  z.strictObject({ grade_id: z.string().min(1).max(200) }),
  z.strictObject({ heading: z.string().min(1).max(500) }),
  z.strictObject({
    after_heading: z.string().min(1).max(500),
    kind: z.enum(['code', 'markdown']).optional(),
  }),
  z.strictObject({ chunk: z.string().min(1).max(200) }),
  z.strictObject({ name: z.string().min(1).max(200) }),
]);
export type Locator = z.infer<typeof locator>;

const common = {
  points: points.default(1),
  hidden: z.boolean().default(false),
  hint: text.optional(),
};

/** What text an output check reads from the block's outputs. */
const outputSource = z.enum(['stdout', 'stderr', 'result', 'any']).default('any');

export const textMatch = z.union([
  z.strictObject({ equals: z.string().max(100_000) }),
  z.strictObject({ normalized_equals: z.string().max(100_000) }),
  z.strictObject({ contains: z.string().min(1).max(10_000) }),
  z.strictObject({ regex: pattern, flags }),
  z.strictObject({
    keywords: z.array(z.string().min(1).max(200)).min(1).max(100),
    at_least: z.number().int().min(1).optional(),
  }),
  z.strictObject({ numbers: z.array(z.number()).min(1).max(1_000), tolerance: tolerance.optional() }),
]);
export type TextMatch = z.infer<typeof textMatch>;

export const check = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('value'),
    /** Evaluated in the learner's kernel after their code up to the question's block. */
    expr: z.string().min(1).max(2_000),
    expect: z.unknown().optional(),
    expect_error: z.string().min(1).max(200).optional(),
    tolerance: tolerance.optional(),
    unordered: z.boolean().default(false),
    equal_nan: z.boolean().default(false),
    ...common,
  }),
  z.strictObject({ type: z.literal('output'), stream: outputSource, match: textMatch, ...common }),
  z.strictObject({ type: z.literal('text'), match: textMatch, ...common }),
  z.strictObject({
    type: z.literal('source'),
    require: z.array(pattern).max(50).default([]),
    forbid: z.array(pattern).max(50).default([]),
    ...common,
  }),
  /** Free-form asserts run after the block: lower assurance, the learner's code runs in the same kernel. */
  z.strictObject({ type: z.literal('test'), code: z.string().min(1).max(20_000), ...common }),
  z.strictObject({
    type: z.literal('manual'),
    rubric: z.array(z.strictObject({ points, text })).min(1).max(50),
    hidden: z.boolean().default(false),
    hint: text.optional(),
  }),
]);
export type Check = z.infer<typeof check>;

export const question = z.strictObject({
  id,
  title: z.string().max(200).optional(),
  /** The most a question scores: its checks' points are summed, then capped here. */
  points: points.optional(),
  all_or_nothing: z.boolean().default(false),
  hint: text.optional(),
  locate: locator,
  checks: z.array(check).min(1).max(100),
});
export type Question = z.infer<typeof question>;

export const gradedFile = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(500)
    .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '..' || s === '' || s === '.git'), {
      message: 'a relative path inside the repository, without “..” or .git',
    }),
  /** The kernel that runs a notebook, when not the one its metadata names. */
  kernel: z.string().min(1).max(100).optional(),
  /** Blocks put back from the template before grading, whatever the learner did to them. */
  locked: z.array(locator).max(500).default([]),
  questions: z.array(question).min(1).max(200),
});
export type GradedFile = z.infer<typeof gradedFile>;

export const gradingSpec = z.strictObject({
  version: z.literal(1),
  defaults: z
    .strictObject({
      timeout: z
        .strictObject({
          cell_s: z.number().min(1).max(3_600).default(30),
          total_s: z.number().min(5).max(7_200).default(600),
        })
        .prefault({}),
      limits: z
        .strictObject({
          memory_mb: z.number().int().min(128).max(65_536).default(1024),
          cpus: z.number().min(0.1).max(64).default(1),
          pids: z.number().int().min(16).max(4_096).default(256),
          tmp_mb: z.number().int().min(16).max(8_192).default(256),
          output_kb: z.number().int().min(16).max(65_536).default(1024),
        })
        .prefault({}),
      tolerance: tolerance.default({ rtol: 1e-6, atol: 1e-9 }),
      reveal: z
        .strictObject({ before_deadline: reveal.default('result'), after_deadline: reveal.default('diff') })
        .prefault({}),
    })
    .prefault({}),
  files: z.array(gradedFile).min(1).max(50),
  /**
   * Files (or folders, ending in "/") the learner's version of is graded as is. Every other file of
   * the template is put back over the learner's before grading, so data and helpers are the teacher's.
   */
  learner_files: z.array(z.string().min(1).max(500)).max(500).default([]),
});
export type GradingSpec = z.infer<typeof gradingSpec>;
