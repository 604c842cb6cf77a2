export * from './diff/index.ts';
export { diffFiles, type FileVersion } from './diff-files.ts';
export { readFileVersion, maxDiffBytes } from './read-file-version.ts';
export type { Block, Document, Output } from './documents/document.ts';
export { readDocument, formatOf } from './documents/read-document.ts';
export { renderTerminal } from './render/render-terminal.ts';
export { renderHtml } from './render/render-html.ts';
