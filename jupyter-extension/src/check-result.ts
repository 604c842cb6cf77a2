import type { IMessages } from './messages';
import { InvalidResponseError } from './responses';
import type { IResultSummary, SummaryBlock } from './summaries';

/** One question as Check my answer shows it; what is shown depends on the teacher's reveal policy. */
export interface ICheckedQuestion {
  readonly id: string;
  readonly status: 'passed' | 'not-yet' | 'no-response';
  readonly hint?: string;
  readonly checks?: readonly { readonly passed: boolean; readonly message: string }[];
  readonly diff?: readonly { readonly op: 'same' | 'add' | 'remove'; readonly text: string }[];
}

export interface ICheckResult {
  readonly questions: readonly ICheckedQuestion[];
  readonly nextCheckInSeconds: number;
}

const STATUSES = ['passed', 'not-yet', 'no-response'];
const OPS = ['same', 'add', 'remove'];
type Json = Record<string, unknown>;
const obj = (v: unknown, what: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidResponseError(`${what} is not an object`);
  return v as Json;
};
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new InvalidResponseError(`${what} is not a string`);
  return v;
};
const list = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new InvalidResponseError(`${what} is not an array`);
  return v;
};

export function parseCheckResult(value: unknown): ICheckResult {
  const r = obj(value, 'the check result');
  const next = r.nextCheckInSeconds;
  if (typeof next !== 'number') throw new InvalidResponseError('nextCheckInSeconds is not a number');
  const questions = list(r.questions, 'questions').map((item): ICheckedQuestion => {
    const q = obj(item, 'a question');
    const status = str(q.status, 'status');
    if (!STATUSES.includes(status)) throw new InvalidResponseError(`unknown status ${status}`);
    return {
      id: str(q.id, 'id'),
      status: status as ICheckedQuestion['status'],
      ...(q.hint === undefined ? {} : { hint: str(q.hint, 'hint') }),
      ...(q.checks === undefined
        ? {}
        : {
            checks: list(q.checks, 'checks').map((c) => {
              const o = obj(c, 'a check');
              if (typeof o.passed !== 'boolean') throw new InvalidResponseError('passed is not a boolean');
              return { passed: o.passed, message: str(o.message, 'message') };
            }),
          }),
      ...(q.diff === undefined
        ? {}
        : {
            diff: list(q.diff, 'diff').map((l) => {
              const o = obj(l, 'a diff line');
              const op = str(o.op, 'op');
              if (!OPS.includes(op)) throw new InvalidResponseError(`unknown diff op ${op}`);
              return { op: op as 'same' | 'add' | 'remove', text: str(o.text, 'text') };
            }),
          }),
    };
  });
  return { questions, nextCheckInSeconds: next };
}

const WORDS = {
  en: {
    passed: 'right',
    'not-yet': 'not yet',
    'no-response': 'no answer yet',
    none: 'Your teacher has no checks you can run for this exercise.',
    summary: (right: number, all: number) =>
      `${right} of ${all} ${all === 1 ? 'question' : 'questions'} right.`,
    hint: (h: string) => `Hint: ${h}`,
    diff: 'Your answer (−) against the expected one (+):',
  },
  fr: {
    passed: 'juste',
    'not-yet': 'pas encore',
    'no-response': 'pas encore de réponse',
    none: "Votre enseignant·e n'a pas de vérification à lancer pour cet exercice.",
    summary: (right: number, all: number) =>
      `${right} ${right > 1 ? 'questions justes' : 'question juste'} sur ${all}.`,
    hint: (h: string) => `Indice : ${h}`,
    diff: 'Votre réponse (−) et celle attendue (+) :',
  },
};

export function summarizeCheck(result: ICheckResult, messages: IMessages): IResultSummary {
  const w = WORDS[messages.locale];
  const right = result.questions.filter((q) => q.status === 'passed').length;
  const blocks: SummaryBlock[] = [
    { kind: 'sentence', text: result.questions.length ? w.summary(right, result.questions.length) : w.none },
  ];
  for (const q of result.questions) {
    const marks = (q.checks ?? []).map((c) => `${c.passed ? '✓' : '✗'} ${c.message}`);
    blocks.push({
      kind: 'list',
      heading: `${q.status === 'passed' ? '✓' : '✗'} ${q.id}: ${w[q.status]}`,
      items: marks,
    });
    if (q.hint) blocks.push({ kind: 'sentence', text: w.hint(q.hint) });
    if (q.diff?.length) blocks.push({ kind: 'diff', heading: w.diff, lines: q.diff });
  }
  return { operation: 'check', succeeded: true, title: messages.titles.check, blocks };
}
