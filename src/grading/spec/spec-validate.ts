import type { Document } from '../documents/document.ts';
import { describeLocator, locateBlocks } from './block-locate.ts';
import type { GradingSpec, Locator } from './grading-spec.ts';
import type { SpecProblem } from './spec-load.ts';

/** The template's version of each graded file, read as documents (undefined: not in the template). */
export type TemplateFiles = (path: string) => Document | undefined;

const executes = new Set(['value', 'test', 'output']);

/** The kernel a notebook runs with, as grading picks it: the spec's, else the notebook's own. */
const isPython = (doc: Document, kernel: string | undefined) => {
  const spec = doc.metadata['kernelspec'] as { name?: unknown } | undefined;
  return /^python/i.test(kernel ?? (typeof spec?.name === 'string' ? spec.name : 'python3'));
};
/**
 * Checks a parsed spec against the template it grades: every graded file is there, every question
 * and locked block resolves to exactly one block, and each check fits its block and file.
 */
export function validateAgainstTemplate(spec: GradingSpec, template: TemplateFiles): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const say = (path: string, message: string) =>
    problems.push({ line: undefined, column: undefined, path, message });
  const seen = new Set<string>();
  spec.files.forEach((file, f) => {
    const doc = template(file.path);
    const at = `files[${f}]`;
    if (!doc) return say(`${at}.path`, `${file.path} is not in the template`);
    const resolve = (l: Locator, where: string) => {
      const found = locateBlocks(doc, l);
      if (found.length !== 1)
        say(
          where,
          found.length === 0
            ? `${describeLocator(l)} matches no block of ${file.path}`
            : `${describeLocator(l)} matches ${found.length} blocks of ${file.path} (blocks ${found.map((i) => i + 1).join(', ')}); it must match one`,
        );
      return found.length === 1 ? doc.blocks[found[0]!] : undefined;
    };
    file.locked.forEach((l, i) => resolve(l, `${at}.locked[${i}]`));
    file.questions.forEach((q, i) => {
      const where = `${at}.questions[${i}]`;
      if (seen.has(q.id)) say(`${where}.id`, `question id ${q.id} is used twice`);
      seen.add(q.id);
      const b = resolve(q.locate, `${where}.locate`);
      q.checks.forEach((c, j) => {
        const cw = `${where}.checks[${j}]`;
        if (c.type === 'value' && (c.expect === undefined) === (c.expect_error === undefined))
          say(cw, 'a value check takes either expect or expect_error');
        if (c.type === 'value' && doc.format === 'notebook' && !isPython(doc, file.kernel))
          say(
            cw,
            `value checks run Python; ${file.path} has another kernel: use test, output, text and source checks`,
          );
        if (executes.has(c.type) && doc.format !== 'notebook' && c.type !== 'output')
          say(
            cw,
            `${c.type} checks run code; ${file.path} is graded by its static checks and saved results only`,
          );
        if (b && executes.has(c.type) && b.kind !== 'code')
          say(cw, `${c.type} checks need a code block; ${describeLocator(q.locate)} is ${b.kind}`);
        if (b && c.type === 'text' && b.kind === 'code')
          say(cw, 'text checks read prose; this block is code');
      });
      const max = q.checks.reduce(
        (s, c) => s + (c.type === 'manual' ? c.rubric.reduce((t, r) => t + r.points, 0) : c.points),
        0,
      );
      if (q.points !== undefined && q.points > max && !q.checks.some((c) => c.type === 'manual'))
        say(`${where}.points`, `${q.points} points, but its checks give at most ${max}`);
    });
  });
  return problems;
}
