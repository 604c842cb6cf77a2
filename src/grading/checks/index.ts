export { compareValue, type ValueCheck, type Verdict } from './value-compare.ts';
export { matchText, type TextVerdict } from './text-match.ts';
export { checkSource } from './source-check.ts';
export { scoreQuestion, noResponse } from './score-question.ts';
export { manualMessage } from './check-judge.ts';
export { regexTimeoutMs } from './regex-run.ts';
export type { Tolerance } from './number-close.ts';
