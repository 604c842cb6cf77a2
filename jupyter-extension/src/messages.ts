import type { ChangedFileState, INotebookNote, VersionSource } from './responses';
import type { AccountAction, GitOperation } from './tokens';
import { ENGLISH } from './messages-en';
import { FRENCH } from './messages-fr';

export { ENGLISH, FRENCH };

/** Every sentence the extension shows, in plain words (learners are not git users). */
export interface IMessages {
  readonly locale: 'en' | 'fr';
  /** The main menu's title and the command palette's category. */
  readonly category: string;
  readonly labels: Readonly<Record<GitOperation | AccountAction, string>>;
  readonly captions: Readonly<Record<GitOperation | AccountAction, string>>;
  readonly titles: Readonly<Record<GitOperation, string>>;
  readonly failedTitles: Readonly<Record<GitOperation, string>>;
  readonly close: string;
  readonly cancel: string;
  readonly commitPromptTitle: string;
  readonly commitPromptLabel: string;
  readonly commitPromptOk: string;
  readonly defaultCommitMessage: string;
  readonly branch: (branch: string | null) => string;
  readonly syncState: (ahead: number, behind: number) => string;
  readonly teacherUpdates: (count: number) => string;
  readonly noChanges: string;
  readonly changesHeading: (count: number) => string;
  /** Open documents with unsaved edits: what is on disk is not all the learner's work. */
  readonly unsavedHeading: (count: number, allNotebooks: boolean) => string;
  readonly fileStates: Readonly<Record<ChangedFileState, string>>;
  readonly lastCommit: (shortSha: string, message: string, date: string) => string;
  readonly noCommitYet: string;
  readonly saved: (shortSha: string) => string;
  readonly committedNotPushed: (shortSha: string) => string;
  readonly alreadySaved: string;
  /** Nothing to commit, but saves made here before (a Pull's) were sent: what Status counted. */
  readonly sentEarlier: (count: number) => string;
  readonly nothingToSave: string;
  readonly pulledFirst: string;
  readonly savedFilesHeading: string;
  readonly upToDate: string;
  readonly merged: (teacherCommits: number) => string;
  readonly updatedFilesHeading: string;
  readonly renamed: (from: string, to: string) => string;
  readonly restoredHeading: string;
  readonly keptAside: (path: string, incoming: string, from: VersionSource) => string;
  readonly notebookNote: (note: INotebookNote) => string;
  readonly diskNearlyFull: (used: string, limit: string) => string;
  readonly opened: string;
  readonly openAgain: string;
  readonly saveFailed: string;
  readonly resetTitle: string;
  readonly resetBody: readonly string[];
  readonly resetOk: string;
  readonly unreachable: string;
  readonly unexpected: (status: number) => string;
}

/** French when JupyterLab's language or the browser's starts with "fr", English otherwise. */
export function pickMessages(languageCodes: readonly (string | null | undefined)[]): IMessages {
  return languageCodes.some((code) => code?.toLowerCase().startsWith('fr')) ? FRENCH : ENGLISH;
}
