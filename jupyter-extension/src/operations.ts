import type { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, Notification } from '@jupyterlab/apputils';
import type { IDefaultFileBrowser } from '@jupyterlab/filebrowser';

import type { GitApiOutcome, IGitApi } from './api';
import { summarizeCheck } from './check-result';
import {
  currentDocumentPath,
  normalizePath,
  revertDocuments,
  saveDirtyDocuments,
  unsavedDocumentPaths,
} from './documents';
import type { IMessages } from './messages';
import type { IPullResult } from './responses';
import type { IResultSummary } from './summaries';
import { summarizeCommit, summarizeFailure, summarizePull, summarizeStatus } from './summaries';
import type { GitOperation } from './tokens';
import { showResultDialog } from './widgets/result-dialog';

export interface IOperationContext {
  readonly shell: JupyterFrontEnd.IShell;
  readonly api: IGitApi;
  readonly messages: IMessages;
  readonly fileBrowser: IDefaultFileBrowser | null;
}

/** The flow behind each button: save what must be saved, call labgate, update the open documents, tell. */
export const GIT_FLOWS: Readonly<Record<GitOperation, (context: IOperationContext) => Promise<void>>> = {
  status: async ({ shell, api, messages }) => {
    const outcome = await api.status();
    const unsaved = unsavedDocumentPaths(shell);
    await report('status', outcome, (value) => summarizeStatus(value, messages, unsaved), messages);
  },
  commit: async ({ shell, api, messages, fileBrowser }) => {
    const message = await askCommitMessage(messages);
    if (message === null || !(await saveOrReport('commit', shell, messages))) return;
    const outcome = await api.commit(message);
    // GitLab had newer work: it was merged in first, so open documents may have changed on disk.
    if (outcome.kind === 'done' && outcome.value.pull) {
      await revertDocuments(shell, pathsRewrittenBy(outcome.value.pull));
      await fileBrowser?.model.refresh();
    }
    await report('commit', outcome, (value) => summarizeCommit(value, messages), messages);
  },
  pull: async ({ shell, api, messages, fileBrowser }) => {
    if (!(await saveOrReport('pull', shell, messages))) return;
    const outcome = await api.pull();
    if (outcome.kind === 'done') {
      await revertDocuments(shell, pathsRewrittenBy(outcome.value));
      await fileBrowser?.model.refresh();
    }
    await report('pull', outcome, (value) => summarizePull(value, messages), messages);
  },
  check: async ({ shell, api, messages }) => {
    if (!(await saveOrReport('check', shell, messages))) return;
    await report('check', await api.check(), (value) => summarizeCheck(value, messages), messages);
  },
  open: async ({ shell, api, messages }) => {
    const outcome = await api.open(currentDocumentPath(shell));
    if (outcome.kind !== 'done') {
      await showResultDialog(summarizeFailure('open', outcome, messages), messages);
      return;
    }
    const { url } = outcome.value;
    window.open(url, '_blank', 'noopener');
    Notification.info(messages.opened, {
      autoClose: 5000,
      actions: [{ label: messages.openAgain, callback: () => window.open(url, '_blank', 'noopener') }],
    });
  },
};

async function report<T>(
  operation: GitOperation,
  outcome: GitApiOutcome<T>,
  summarize: (value: T) => IResultSummary,
  messages: IMessages,
): Promise<void> {
  const summary =
    outcome.kind === 'done' ? summarize(outcome.value) : summarizeFailure(operation, outcome, messages);
  await showResultDialog(summary, messages);
}

/** The commit message, the default one when the learner just presses Enter, or null when cancelled. */
async function askCommitMessage(messages: IMessages): Promise<string | null> {
  const answer = await InputDialog.getText({
    title: messages.commitPromptTitle,
    label: messages.commitPromptLabel,
    text: messages.defaultCommitMessage,
    okLabel: messages.commitPromptOk,
    cancelLabel: messages.cancel,
  });
  if (!answer.button.accept) return null;
  return answer.value?.trim() || messages.defaultCommitMessage;
}

async function saveOrReport(operation: GitOperation, shell: JupyterFrontEnd.IShell, messages: IMessages) {
  try {
    await saveDirtyDocuments(shell);
    return true;
  } catch {
    await showResultDialog(
      {
        operation,
        succeeded: false,
        title: messages.failedTitles[operation],
        blocks: [{ kind: 'sentence', text: messages.saveFailed }],
        errorCode: 'SAVE_FAILED',
      },
      messages,
    );
    return false;
  }
}

function pathsRewrittenBy(pull: IPullResult): Set<string> {
  const paths = [...pull.changed, ...pull.restored, ...pull.renamed.map((rename) => rename.from)];
  return new Set(paths.map(normalizePath));
}
