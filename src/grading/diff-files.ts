import { createHash } from 'node:crypto';
import type { Document } from './documents/document.ts';
import { formatOf, readDocument, type BinaryFile } from './documents/read-document.ts';
import type { DiffOptions, DocumentDiff } from './diff/diff-model.ts';
import { diffBinary, diffDocuments } from './diff/document-diff.ts';

export interface FileVersion {
  name: string;
  bytes: Buffer;
}

const asBinary = (bytes: Buffer): BinaryFile => ({
  format: 'binary',
  size: bytes.length,
  sha256: createHash('sha256').update(bytes).digest('hex'),
});

/**
 * Diffs two versions of a file, read as the format the right-hand name says (notebook, Markdown,
 * R Markdown, Org, text). If either side is not text, both are compared as bytes.
 */
export function diffFiles(left: FileVersion, right: FileVersion, options: DiffOptions = {}) {
  const format = formatOf(right.name);
  const a = readDocument(left.name, left.bytes, format);
  const b = readDocument(right.name, right.bytes, format);
  if (a.format === 'binary' || b.format === 'binary') {
    const diff = diffBinary(
      a.format === 'binary' ? a : asBinary(left.bytes),
      b.format === 'binary' ? b : asBinary(right.bytes),
    );
    return { diff, left: undefined, right: undefined };
  }
  const diff: DocumentDiff = diffDocuments(a, b, options);
  return { diff, left: a as Document, right: b as Document };
}
