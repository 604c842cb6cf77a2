export { compareValue } from './value-compare.ts';
export { matchText, checkSource, safeTest } from './text-match.ts';
export { scoreQuestion } from './score-question.ts';
