import type { Block, Document } from '../documents/document.ts';
import type { Locator } from './grading-spec.ts';

const headingText = (line: string) =>
  line
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/\s+#*\s*$/, '')
    .trim()
    .toLowerCase();

/** The heading a block starts with (Markdown cell or section, Org headline path), or undefined. */
function headingOf(b: Block): string[] {
  if (b.kind === 'markdown' || (b.kind === 'prose' && b.key?.startsWith('#'))) {
    const first = b.source.split('\n').find((l) => l.trim() !== '') ?? '';
    return /^\s{0,3}#{1,6}\s/.test(first) ? [headingText(first)] : [];
  }
  // Org headlines are keyed by their outline path: "Part A / Question 1".
  if (b.kind === 'prose' && b.key) return [b.key.toLowerCase(), b.key.split(' / ').at(-1)!.toLowerCase()];
  return [];
}

const tagsOf = (b: Block) => {
  const tags = b.metadata['tags'];
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
};

const gradeIdOf = (b: Block) => {
  const nb = b.metadata['nbgrader'];
  return nb && typeof nb === 'object' ? (nb as Record<string, unknown>)['grade_id'] : undefined;
};

const isCode = (b: Block) => b.kind === 'code';
const isProse = (b: Block) => b.kind === 'markdown' || b.kind === 'prose';

/** Indices of the blocks `l` designates in `doc` (a locator must find exactly one to be usable). */
export function locateBlocks(doc: Document, l: Locator): number[] {
  const all = doc.blocks.map((b, i) => ({ b, i }));
  const where = (f: (b: Block) => boolean) => all.filter(({ b }) => f(b)).map(({ i }) => i);
  if ('cell_id' in l) return where((b) => doc.format === 'notebook' && b.key === l.cell_id);
  if ('tag' in l) return where((b) => tagsOf(b).includes(l.tag));
  if ('grade_id' in l) return where((b) => gradeIdOf(b) === l.grade_id);
  if ('chunk' in l)
    return where((b) => doc.format !== 'notebook' && doc.format !== 'org' && isCode(b) && b.key === l.chunk);
  if ('name' in l) return where((b) => doc.format === 'org' && isCode(b) && b.key === l.name);
  if ('heading' in l) return where((b) => headingOf(b).includes(headingText(l.heading)));
  const wanted = headingText(l.after_heading);
  const kind = l.kind ?? 'code';
  return all
    .filter(({ b }) => headingOf(b).includes(wanted))
    .flatMap(({ i }) => {
      const next = doc.blocks.findIndex((b, j) => j > i && (kind === 'code' ? isCode(b) : isProse(b)));
      return next < 0 ? [] : [next];
    });
}

export const describeLocator = (l: Locator) =>
  Object.entries(l)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ');
