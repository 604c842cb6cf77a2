import type { JupyterFrontEnd } from '@jupyterlab/application';

import { saveDirtyDocuments } from './documents';
import type { SessionModel } from './session-model';
import type { AccountAction } from './tokens';
import { confirmReset } from './widgets/reset-dialog';

export interface IAccountContext {
  readonly shell: JupyterFrontEnd.IShell;
  readonly session: SessionModel;
}

/**
 * Leaves JupyterLab for one of labgate's pages, which asks for confirmation and does the work
 * (labgate's forms refuse requests from a workspace's origin). `top`: the whole tab, even when an
 * LMS shows labgate in a frame, as signing out must.
 */
export function leaveFor(url: string, o: { top: boolean }): void {
  try {
    if (o.top && window.top) return window.top.location.assign(url);
  } catch {
    // A frame the LMS forbids to move its page: this frame goes instead.
  }
  window.location.assign(url);
}

/** The flow behind each labgate menu item that is not git: open files saved, then labgate's page. */
export const ACCOUNT_FLOWS: Readonly<Record<AccountAction, (context: IAccountContext) => Promise<void>>> = {
  reset: async ({ shell, session }) => {
    if (!(await confirmReset(session.messages))) return;
    await saveOpenFiles(shell);
    leaveFor(session.links.reset, { top: false });
  },
  signOut: async ({ shell, session }) => {
    await saveOpenFiles(shell);
    leaveFor(session.links.signOut, { top: true });
  },
};

// Nothing typed is lost on the way out; should saving fail, JupyterLab asks before the page is left.
async function saveOpenFiles(shell: JupyterFrontEnd.IShell): Promise<void> {
  await saveDirtyDocuments(shell).catch(() => undefined);
}
