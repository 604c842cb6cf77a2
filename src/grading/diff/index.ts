export type * from './diff-model.ts';
export { diffDocuments, diffBinary } from './document-diff.ts';
export { diffText } from './text-diff.ts';
export { alignBlocks, similarity, type Pair } from './align.ts';
