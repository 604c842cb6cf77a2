import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readDocument } from '../documents/read-document.ts';
import { readFolder } from '../run/read-folder.ts';
import type { Files } from '../run/tar-files.ts';
import type { GradingSpec } from './grading-spec.ts';
import { parseGradingSpec, problemLine, type SpecProblem } from './spec-load.ts';
import { validateAgainstTemplate } from './spec-validate.ts';

const maxFolderBytes = 200 * 2 ** 20;

export type LoadedSpec =
  { ok: true; spec: GradingSpec; template: Files; expected: Files } | { ok: false; lines: string[] };

/**
 * A grading folder: grading.yml, the expected version of each graded file beside it, and the
 * learners' starting version under template/ (the expected files stand in for it when absent).
 */
export async function loadSpecFolder(dir: string): Promise<LoadedSpec> {
  const file = path.join(dir, 'grading.yml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      lines: [`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`],
    };
  }
  const parsed = parseGradingSpec(text);
  if (!parsed.ok) return { ok: false, lines: parsed.problems.map((p) => problemLine(file, p)) };
  const spec = parsed.spec;
  const expected: Files = new Map();
  for (const f of spec.files) {
    const bytes = await readFile(path.join(dir, f.path)).catch(() => undefined);
    if (bytes) expected.set(f.path, bytes);
  }
  const templateDir = path.join(dir, 'template');
  const template = existsSync(templateDir)
    ? await readFolder(templateDir, maxFolderBytes)
    : new Map(expected);
  const problems: SpecProblem[] = validateAgainstTemplate(spec, (p) => {
    const bytes = template.get(p);
    if (!bytes) return undefined;
    const doc = readDocument(p, bytes);
    return doc.format === 'binary' ? undefined : doc;
  });
  for (const f of spec.files)
    if (!expected.has(f.path))
      problems.push({
        line: undefined,
        column: undefined,
        path: f.path,
        message: `the expected version ${path.join(dir, f.path)} is missing`,
      });
  if (problems.length > 0) return { ok: false, lines: problems.map((p) => problemLine(file, p)) };
  return { ok: true, spec, template, expected };
}
