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
 * A grading repository's files: grading.yml and the expected version of each graded file, checked
 * against the learners' starting version (`template`; without one, the expected files stand in).
 */
export function specFromFiles(
  grading: Files,
  template: Files | undefined,
  where = 'grading.yml',
): LoadedSpec {
  const text = grading.get('grading.yml');
  if (!text) return { ok: false, lines: [`${where}: there is no grading.yml`] };
  const parsed = parseGradingSpec(text.toString('utf8'));
  if (!parsed.ok) return { ok: false, lines: parsed.problems.map((p) => problemLine(where, p)) };
  const spec = parsed.spec;
  const expected: Files = new Map();
  for (const f of spec.files) {
    const bytes = grading.get(f.path);
    if (bytes) expected.set(f.path, bytes);
  }
  const starting = template ?? new Map(expected);
  const problems: SpecProblem[] = validateAgainstTemplate(spec, (p) => {
    const bytes = starting.get(p);
    if (!bytes) return undefined;
    try {
      const doc = readDocument(p, bytes);
      return doc.format === 'binary' ? undefined : doc;
    } catch {
      return undefined;
    }
  });
  const say = (p: string, message: string) =>
    problems.push({ line: undefined, column: undefined, path: p, message });
  for (const f of spec.files)
    if (!expected.has(f.path)) say(f.path, `the expected version of ${f.path} is missing`);
  if (problems.length > 0) return { ok: false, lines: problems.map((p) => problemLine(where, p)) };
  return { ok: true, spec, template: starting, expected };
}

/** A grading folder on disk: grading.yml, expected files beside it, the template under template/. */
export async function loadSpecFolder(dir: string): Promise<LoadedSpec> {
  const file = path.join(dir, 'grading.yml');
  let text: Buffer;
  try {
    text = await readFile(file);
  } catch (err) {
    return {
      ok: false,
      lines: [`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`],
    };
  }
  const grading: Files = new Map([['grading.yml', text]]);
  const parsed = parseGradingSpec(text.toString('utf8'));
  for (const f of parsed.ok ? parsed.spec.files : []) {
    const bytes = await readFile(path.join(dir, f.path)).catch(() => undefined);
    if (bytes) grading.set(f.path, bytes);
  }
  const templateDir = path.join(dir, 'template');
  const template = existsSync(templateDir) ? await readFolder(templateDir, maxFolderBytes) : undefined;
  return specFromFiles(grading, template, file);
}
