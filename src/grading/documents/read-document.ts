import { createHash } from 'node:crypto';
import path from 'node:path';
import { block, type Document, type DocumentFormat } from './document.ts';
import { readMarkdown } from './markdown-reader.ts';
import { readNotebook } from './notebook-reader.ts';
import { readOrg } from './org-reader.ts';

/** A file that is not text: diffed by content only. */
export interface BinaryFile {
  format: 'binary';
  size: number;
  sha256: string;
}

const formatByExtension: Record<string, DocumentFormat> = {
  '.ipynb': 'notebook',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.rmd': 'rmarkdown',
  '.qmd': 'rmarkdown',
  '.org': 'org',
};

export const formatOf = (file: string): DocumentFormat =>
  formatByExtension[path.extname(file).toLowerCase()] ?? 'text';

/** NUL bytes or invalid UTF-8 in the first 64 KiB: not a text file, whatever its name says. */
function isBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 65_536);
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length === bytes.length ? head : trimPartial(head));
    return false;
  } catch {
    return true;
  }
}

// A multi-byte character cut by the 64 KiB window is not an encoding error.
function trimPartial(head: Buffer): Buffer {
  let end = head.length;
  while (end > 0 && end > head.length - 4 && (head[end - 1]! & 0xc0) === 0x80) end--;
  return end > 0 && head[end - 1]! >= 0xc0 ? head.subarray(0, end - 1) : head.subarray(0, end);
}

/** Reads a file as the document its name says it is (by extension), or as binary content. */
export function readDocument(file: string, bytes: Buffer, format = formatOf(file)): Document | BinaryFile {
  if (isBinary(bytes)) {
    return { format: 'binary', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  switch (format) {
    case 'notebook':
      return readNotebook(file, text);
    case 'markdown':
    case 'rmarkdown':
      return readMarkdown(text, format);
    case 'org':
      return readOrg(text);
    default:
      return { format: 'text', blocks: [block({ kind: 'text', source: text })], metadata: {}, notes: [] };
  }
}
