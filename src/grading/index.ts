export * from './diff/index.ts';
export { diffFiles, type FileVersion } from './diff-files.ts';
export { readFileVersion, maxDiffBytes } from './read-file-version.ts';
export type { Block, Document, Output } from './documents/document.ts';
export { readDocument, formatOf } from './documents/read-document.ts';
export { renderTerminal } from './render/render-terminal.ts';
export { renderHtml } from './render/render-html.ts';
export { documentView, renderFileView, renderFileDiff } from './render/document-view.ts';
export {
  anchorOf,
  renderReviewDiff,
  reviewDiffCss,
  reviewDiffScript,
  type ReviewDiffOptions,
} from './render/review-diff.ts';
export { gradeSubmission, type GradingJobs, type GradeOptions } from './run/grade-submission.ts';
export { readFolder } from './run/read-folder.ts';
export { loadSpecFolder, specFromFiles, type LoadedSpec } from './spec/spec-folder.ts';
export { filesOf, tarOf, type Files } from './run/tar-files.ts';
export { createGradingJobStore, type GradingJob, type GradingJobStore } from './class/grading-job-store.ts';
export { runGradingJobs } from './class/grading-worker.ts';
export { parseGradingSpec, problemLine } from './spec/spec-load.ts';
export { locateBlocks } from './spec/block-locate.ts';
export type { GradingSpec } from './spec/grading-spec.ts';
export type { GradeResult, QuestionResult, CheckResult } from './grading.ts';
export { importNbgrader, type NbgraderImport } from './nbgrader/import-nbgrader.ts';
export * from './review/index.ts';
