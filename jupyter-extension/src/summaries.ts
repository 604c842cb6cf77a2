import type { GitApiOutcome } from './api';
import type { IMessages } from './messages';
import type { ICommitResult, IDiskRoom, IPullResult, IStatusResult } from './responses';
import type { GitOperation } from './tokens';

export type SummaryBlock =
  | { readonly kind: 'sentence'; readonly text: string }
  | { readonly kind: 'list'; readonly heading: string; readonly items: readonly string[] }
  | {
      readonly kind: 'diff';
      readonly heading: string;
      readonly lines: readonly { readonly op: 'same' | 'add' | 'remove'; readonly text: string }[];
    };

/** What the learner reads after an operation: a title and a few sentences or lists. */
export interface IResultSummary {
  readonly operation: GitOperation;
  readonly succeeded: boolean;
  readonly title: string;
  readonly blocks: readonly SummaryBlock[];
  readonly errorCode?: string;
}

type Failure = Exclude<GitApiOutcome<unknown>, { kind: 'done' }>;

const sentence = (text: string): SummaryBlock => ({ kind: 'sentence', text });
const list = (heading: string, items: readonly string[]): SummaryBlock[] =>
  items.length > 0 ? [{ kind: 'list', heading, items }] : [];
const shortSha = (sha: string) => sha.slice(0, 7);
const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const diskWarning = (disk: IDiskRoom | null, messages: IMessages): SummaryBlock[] =>
  disk?.nearlyFull
    ? [sentence(messages.diskNearlyFull(megabytes(disk.usedBytes), megabytes(disk.limitBytes)))]
    : [];

/** What a pull changed, beyond its first sentence. */
const pullDetails = (result: IPullResult, messages: IMessages): SummaryBlock[] => [
  ...list(messages.updatedFilesHeading, result.changed),
  ...result.renamed.map(({ from, to }) => sentence(messages.renamed(from, to))),
  ...list(messages.restoredHeading, result.restored),
  ...result.keptAside.map(({ path, incoming, from }) => sentence(messages.keptAside(path, incoming, from))),
  ...result.notebookNotes.map((note) => sentence(messages.notebookNote(note))),
];

/** `unsaved`: open documents with edits not on disk yet, which git cannot see but Commit & push saves. */
export function summarizeStatus(
  result: IStatusResult,
  messages: IMessages,
  unsaved: readonly string[] = [],
): IResultSummary {
  const { lastCommit } = result;
  const changes = result.changed.map((file) => `${file.path} (${messages.fileStates[file.state]})`);
  const allNotebooks = unsaved.every((path) => path.toLowerCase().endsWith('.ipynb'));
  return {
    operation: 'status',
    succeeded: true,
    title: messages.titles.status,
    blocks: [
      sentence(messages.branch(result.branch)),
      sentence(messages.syncState(result.ahead, result.behind)),
      sentence(messages.teacherUpdates(result.teacherUpdates)),
      ...list(messages.unsavedHeading(unsaved.length, allNotebooks), unsaved),
      ...list(messages.changesHeading(changes.length), changes),
      ...(changes.length + unsaved.length === 0 ? [sentence(messages.noChanges)] : []),
      sentence(
        lastCommit
          ? messages.lastCommit(
              shortSha(lastCommit.sha),
              lastCommit.message,
              formatDate(lastCommit.date, messages),
            )
          : messages.noCommitYet,
      ),
      ...diskWarning(result.disk, messages),
    ],
  };
}

export function summarizeCommit(result: ICommitResult, messages: IMessages): IResultSummary {
  const outcome = result.committed
    ? result.pushed
      ? messages.saved(shortSha(result.sha ?? ''))
      : messages.committedNotPushed(shortSha(result.sha ?? ''))
    : !result.pushed
      ? messages.nothingToSave
      : result.sent > 0
        ? messages.sentEarlier(result.sent)
        : messages.alreadySaved;
  return {
    operation: 'commit',
    // A commit that stayed on this machine is not what the learner asked for.
    succeeded: result.pushed || !result.committed,
    title: result.committed && !result.pushed ? messages.failedTitles.commit : messages.titles.commit,
    blocks: [
      sentence(outcome),
      ...(result.pulledFirst ? [sentence(messages.pulledFirst)] : []),
      ...list(messages.savedFilesHeading, result.committed ? result.files : []),
      ...(result.pull ? pullDetails(result.pull, messages).filter((b) => b.kind === 'sentence') : []),
      ...diskWarning(result.disk, messages),
    ],
  };
}

export function summarizePull(result: IPullResult, messages: IMessages): IResultSummary {
  const nothingHappened =
    result.upToDate &&
    result.changed.length === 0 &&
    result.renamed.length === 0 &&
    result.restored.length === 0 &&
    result.keptAside.length === 0 &&
    result.notebookNotes.length === 0;
  const blocks: SummaryBlock[] = nothingHappened
    ? [sentence(messages.upToDate)]
    : [
        sentence(result.teacherCommits > 0 ? messages.merged(result.teacherCommits) : messages.upToDate),
        ...pullDetails(result, messages),
      ];
  return { operation: 'pull', succeeded: true, title: messages.titles.pull, blocks };
}

export function summarizeFailure(
  operation: GitOperation,
  failure: Failure,
  messages: IMessages,
): IResultSummary {
  const title = messages.failedTitles[operation];
  switch (failure.kind) {
    case 'refused':
      return {
        operation,
        succeeded: false,
        title,
        blocks: [sentence(failure.message)],
        errorCode: failure.code,
      };
    case 'unreachable':
      return {
        operation,
        succeeded: false,
        title,
        blocks: [sentence(messages.unreachable)],
        errorCode: 'NETWORK',
      };
    case 'unexpected':
      return {
        operation,
        succeeded: false,
        title,
        blocks: [sentence(messages.unexpected(failure.status))],
        errorCode: `HTTP_${failure.status}`,
      };
    default: {
      const unhandled: never = failure;
      return unhandled;
    }
  }
}

function formatDate(isoDate: string, messages: IMessages): string {
  const date = new Date(isoDate);
  return Number.isNaN(date.getTime())
    ? isoDate
    : date.toLocaleString(messages.locale, { dateStyle: 'medium', timeStyle: 'short' });
}
