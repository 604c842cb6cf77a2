/**
 * The grading model: what the sandbox observes of a submission (never judged there) and what labgate
 * concludes from it. Observations come from code the learner controls: they are parsed, never trusted.
 */

/**
 * A Python value as the sandbox encodes it: JSON for None, bools, ints, floats, strings, lists,
 * tuples and str-keyed dicts; tagged objects for the rest:
 * `{"$float": "nan"|"inf"|"-inf"}`, `{"$set": [...]}`, `{"$dict": [[k, v], ...]}` (other keys),
 * `{"$frame": {"columns": [...], "index": [...], "data": [[...]]}}` (pandas DataFrame),
 * `{"$series": {"index": [...], "data": [...]}}`, `{"$bytes": "<base64>"}`,
 * `{"$repr": "...", "$type": "module.Class"}` (anything else, never equal to an expected value),
 * `{"$truncated": true}` (too big to send).
 */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

export interface ErrorSeen {
  ename: string;
  evalue: string;
}

/** What the sandbox saw for one value check: the value of its expression, or the error it raised. */
export type ValueSeen = { ok: true; value: Encoded } | { ok: false; error: ErrorSeen };

/** What the sandbox saw for one test check: it ran to the end, or raised. */
export type TestSeen = { ok: true } | { ok: false; error: ErrorSeen };

/** The outputs of the question's block after it ran in the sandbox. */
export interface OutputsSeen {
  stdout: string;
  stderr: string;
  /** text/plain of execute_result and display_data outputs, in order. */
  result: string;
  error: ErrorSeen | null;
}

/** Why a question has no observation: its block never ran to its end. */
export interface NotRun {
  reason: 'timeout' | 'kernel-died' | 'not-reached' | 'missing-block' | 'sandbox-failed' | 'output-limit';
  message: string;
}

export type QuestionStatus = 'passed' | 'partial' | 'failed' | 'no-response' | 'error' | 'manual';

export interface CheckResult {
  type: string;
  passed: boolean;
  points: number;
  hidden: boolean;
  /** For the learner and the grader; a hidden check's never holds its expected value or test source. */
  message: string;
  /** Only on `test` checks: the learner's code shares their kernel, so a pass is lower assurance. */
  lowerAssurance?: boolean;
}

export interface QuestionResult {
  id: string;
  file: string;
  score: number;
  maxScore: number;
  status: QuestionStatus;
  checks: CheckResult[];
  hint?: string;
}

export interface GradeResult {
  score: number;
  maxScore: number;
  questions: QuestionResult[];
  gradingCommit?: string;
  durationMs: number;
}

/** Everything known about one question of one submission, gathered before any judging. */
export interface QuestionSeen {
  /** The learner's block (undefined when they deleted it). */
  source: string | undefined;
  /** The block is the template's, untouched: the question has no response. */
  unchanged: boolean;
  /** Outputs after running it in the sandbox, or saved in the file for files that are not run. */
  outputs: OutputsSeen | undefined;
  /** By check index: what the sandbox saw for value and test checks. */
  checks: Array<ValueSeen | TestSeen | undefined>;
  /** Set when the block or what precedes it did not run to its end. */
  notRun: NotRun | undefined;
}
