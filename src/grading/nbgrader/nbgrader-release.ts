import type { SourceCell } from './nbgrader-source.ts';

/** nbgrader's default `ClearSolutions.code_stub`, by `kernelspec.language`. */
export const codeStubs: Readonly<Record<string, string>> = {
  python: '# YOUR CODE HERE\nraise NotImplementedError()',
  R: '# YOUR CODE HERE\nfail()',
  matlab: "% YOUR CODE HERE\nerror('No Answer Given!')",
  octave: "% YOUR CODE HERE\nerror('No Answer Given!')",
  sas: '/* YOUR CODE HERE */\n %notImplemented;',
  java: '// YOUR CODE HERE',
};
export const textStub = 'YOUR ANSWER HERE';

interface Markers {
  begin: string;
  end: string;
}
const solution: Markers = { begin: 'BEGIN SOLUTION', end: 'END SOLUTION' };
const hiddenTests: Markers = { begin: 'BEGIN HIDDEN TESTS', end: 'END HIDDEN TESTS' };
const markScheme: Markers = { begin: 'BEGIN MARK SCHEME', end: 'END MARK SCHEME' };
const allMarkers = [solution, hiddenTests, markScheme].flatMap((m) => [m.begin, m.end]);

interface Scan {
  source: string;
  found: boolean;
  problems: string[];
  /** Lines of the region's content, for the mark scheme's attachment check. */
  inside: string[];
}

/**
 * nbgrader's line scan: a line containing `begin` opens a region (replaced by `stub`, indented as
 * that line), one containing `end` closes it; a stray `end` line is dropped, as nbgrader drops it.
 */
function replaceRegions(source: string, m: Markers, stub: string[]): Scan {
  const kept: string[] = [];
  const inside: string[] = [];
  const problems: string[] = [];
  let open: number | undefined;
  let found = false;
  source.split('\n').forEach((line, i) => {
    if (line.includes(m.begin)) {
      if (open !== undefined)
        problems.push(`${m.begin} on line ${i + 1} is nested in the one opened on line ${open + 1}`);
      open = i;
      found = true;
      const indent = /^\s*/.exec(line)![0];
      kept.push(...stub.map((s) => indent + s));
    } else if (line.includes(m.end)) open = undefined;
    else if (open === undefined) kept.push(line);
    else inside.push(line);
  });
  if (open !== undefined) problems.push(`${m.begin} on line ${open + 1} has no ${m.end}`);
  return { source: kept.join('\n'), found, problems, inside };
}

export interface ReleasedCell {
  /** The learners' source: stubs for solutions, no hidden tests, no mark scheme. */
  source: string;
  hiddenTests: boolean;
  problems: string[];
}

// InstantiateTests expands `### AUTOTEST expr` by running the solution in a kernel.
const autotest = /^\s*(#|%|\/\/).*AUTOTEST/m;

/**
 * One cell as `nbgrader generate_assignment` releases it (ClearSolutions, ClearHiddenTests,
 * ClearMarkScheme, in its order); `problems` are what nbgrader would refuse, and more.
 */
export function releaseCell(cell: SourceCell, language: string): ReleasedCell {
  const nb = cell.nbgrader;
  const problems: string[] = [];
  if (cell.type === 'code' && autotest.test(cell.source))
    problems.push(
      'uses AUTOTEST, which nbgrader expands by running the solution in a kernel; the importer runs no code: write the asserts out',
    );
  const codeStub = codeStubs[language];
  const needsStub = Boolean(nb?.solution) || cell.source.includes(solution.begin);
  if (cell.type === 'code' && needsStub && codeStub === undefined)
    problems.push(
      `has a code solution, but nbgrader has no code stub for kernelspec.language ${JSON.stringify(language)} (it knows ${Object.keys(codeStubs).join(', ')})`,
    );
  const stub = (cell.type === 'code' ? (codeStub ?? '') : textStub).split('\n');
  const answer = replaceRegions(cell.source, solution, stub);
  problems.push(...answer.problems);
  if (answer.found && !nb?.solution)
    problems.push(
      `has a ${solution.begin} region but is not a solution cell: mark it an answer in nbgrader's toolbar, or drop the markers`,
    );
  const cleared = nb?.solution && !answer.found ? stub.join('\n') : answer.source;
  const tests = replaceRegions(cleared, hiddenTests, []);
  problems.push(...tests.problems);
  if (tests.found && !nb?.grade)
    problems.push(
      `has a ${hiddenTests.begin} region but is not a grade cell: mark it "Autograder tests", or drop the markers`,
    );
  const scheme = replaceRegions(tests.source, markScheme, []);
  problems.push(...scheme.problems);
  if (scheme.found && !nb?.task)
    problems.push(
      `has a ${markScheme.begin} region but is not a task cell: mark it "Manually graded task", or drop the markers`,
    );
  if (scheme.inside.some((l) => /!\[.*\]\(attachment:.+?\)/.test(l)))
    problems.push('has an attachment inside its mark scheme, which would leak into the released notebook');
  return { source: scheme.source, hiddenTests: tests.found, problems };
}

/** The teacher's version of a cell: solutions, hidden tests and mark scheme kept, marker lines dropped. */
export const expectedSource = (cell: SourceCell) =>
  cell.source
    .split('\n')
    .filter((line) => !allMarkers.some((m) => line.includes(m)))
    .join('\n');

/**
 * Cell metadata after LockCells and ComputeChecksums. The checksum is left out: labgate takes locked
 * cells back from the template commit, never trusting a hash stored in the learner's copy.
 */
function releasedMetadata(cell: SourceCell): Record<string, unknown> {
  const { trusted: _t, ...metadata } = (cell.json.metadata ?? {}) as Record<string, unknown>;
  if (cell.type === 'code') {
    // ClearOutput drops what only described the outputs.
    delete metadata.collapsed;
    delete metadata.scrolled;
  }
  const nb = cell.nbgrader;
  if (!nb) return metadata;
  if (nb.solution) metadata.deletable = false;
  else if (nb.locked) Object.assign(metadata, { deletable: false, editable: false });
  const { checksum: _c, ...meta } = nb.meta;
  if (nb.grade || nb.solution || nb.locked) meta.cell_type = cell.type;
  return { ...metadata, nbgrader: meta };
}

/** The cell with `source` and `id`, outputs and execution count cleared, metadata as released. */
export function clearedCell(cell: SourceCell, source: string, id: string): Record<string, unknown> {
  const { outputs: _o, execution_count: _e, ...rest } = cell.json;
  return {
    ...rest,
    id,
    metadata: releasedMetadata(cell),
    source,
    ...(cell.type === 'code' ? { outputs: [], execution_count: null } : {}),
  };
}
