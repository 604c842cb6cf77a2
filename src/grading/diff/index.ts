export type * from './diff-model.ts';
export { diffDocuments, diffBinary } from './document-diff.ts';
export { diffText } from './text-diff.ts';
export { alignBlocks, type Pair } from './align.ts';
export { similarity } from './similarity.ts';
