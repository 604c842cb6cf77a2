export type PageLocale = 'en' | 'fr';

/**
 * How the pages show notebooks and their diffs: handed in by the program embedding gitlab-lite (labgate's
 * renderer), which stays free of labgate's code. It returns safe HTML: learner content escaped or sanitized.
 */
export interface DocumentRenderer {
  /** A file to read (notebook, Markdown…), or undefined to show it as text. */
  renderFile(path: string, content: Buffer, locale: PageLocale): string | undefined;
  /** The diff of a file between two versions (absent: added or deleted), or undefined for a line diff. */
  renderDiff(
    o: { oldPath: string; newPath: string; before?: Buffer; after?: Buffer; names: [string, string] },
    locale: PageLocale,
  ): string | undefined;
  /** Styles of what the two above return. */
  css: string;
}
