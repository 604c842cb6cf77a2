import { formatOf, type Files, type GradingSpec } from '../grading/index.ts';

export type FileChange = 'modified' | 'added' | 'removed' | 'unchanged';

/** A file of the submission or the template, as the file picker lists it. */
export interface ReviewFile {
  name: string;
  change: FileChange;
  graded: boolean;
  /** The learner's size (0 when they removed it). */
  bytes: number;
}

/**
 * The files a grader looks at: the graded ones first (in grading.yml's order, changed or not: an
 * untouched graded file is an answer too), then every other file that differs from the template.
 */
export function reviewFiles(learner: Files, template: Files, spec: GradingSpec | undefined): ReviewFile[] {
  const graded = spec?.files.map((f) => f.path) ?? [];
  const changeOf = (name: string): FileChange => {
    const mine = learner.get(name);
    const theirs = template.get(name);
    if (!mine) return 'removed';
    if (!theirs) return 'added';
    return mine.equals(theirs) ? 'unchanged' : 'modified';
  };
  const entry = (name: string): ReviewFile => ({
    name,
    change: changeOf(name),
    graded: graded.includes(name),
    bytes: learner.get(name)?.length ?? 0,
  });
  const others = [...new Set([...learner.keys(), ...template.keys()])]
    .filter((n) => !graded.includes(n))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(entry)
    .filter((f) => f.change !== 'unchanged');
  return [...graded.map(entry), ...others];
}

/** The file shown first: the first graded notebook the learner has, else the first graded or changed one. */
export function defaultFile(files: ReviewFile[]): string | undefined {
  const present = files.filter((f) => f.change !== 'removed');
  return (
    present.find((f) => f.graded && formatOf(f.name) === 'notebook') ??
    present.find((f) => f.graded) ??
    files[0]
  )?.name;
}
