import type { IMessages } from './messages';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

export const ENGLISH: IMessages = {
  locale: 'en',
  category: 'labgate',
  labels: {
    status: 'Status',
    commit: 'Commit & push',
    pull: 'Pull',
    open: 'Open in GitLab',
    check: 'Check my answer',
    reset: 'Reset my environment…',
    signOut: 'Sign out',
  },
  captions: {
    status: 'Show what changed since your last save in GitLab',
    commit: 'Save your work in GitLab',
    pull: "Get your teacher's updates (your work is kept)",
    open: 'Open this file in GitLab in a new tab',
    check: "Run your teacher's checks on your saved work",
    reset: 'Start JupyterLab again in a fresh environment; your files are kept',
    signOut: 'Sign out of labgate on this computer',
  },
  titles: {
    status: 'Status',
    commit: 'Saved in GitLab',
    pull: "Teacher's updates",
    open: 'GitLab',
    check: 'Your answers',
  },
  failedTitles: {
    status: 'Status unavailable',
    commit: 'Not saved in GitLab',
    pull: 'Updates not received',
    open: 'GitLab could not be opened',
    check: 'Your answers could not be checked',
  },
  close: 'OK',
  cancel: 'Cancel',
  commitPromptTitle: 'Save your work in GitLab',
  commitPromptLabel: 'Describe what you did (optional):',
  commitPromptOk: 'Save',
  defaultCommitMessage: 'Work saved from JupyterLab',
  branch: (branch) => (branch ? `Branch: ${branch}.` : 'No branch is checked out.'),
  syncState: (ahead, behind) => {
    if (ahead === 0 && behind === 0) return 'GitLab has all your saved work.';
    const parts = [];
    if (ahead > 0)
      parts.push(
        `${ahead} ${plural(ahead, 'save is', 'saves are')} not in GitLab yet (Commit & push sends ${plural(ahead, 'it', 'them')})`,
      );
    if (behind > 0)
      parts.push(`GitLab has ${behind} ${plural(behind, 'save', 'saves')} you do not have here`);
    return `${parts.join('; ')}.`;
  },
  teacherUpdates: (count) =>
    count === 0
      ? 'No new update from your teacher.'
      : `Your teacher published ${count} ${plural(count, 'update', 'updates')}: use Pull to get ${plural(count, 'it', 'them')}.`,
  noChanges: 'No changes since your last save.',
  changesHeading: (count) =>
    `${count} ${plural(count, 'file has', 'files have')} changed since your last save:`,
  unsavedHeading: (count, allNotebooks) => {
    const what = allNotebooks ? plural(count, 'notebook', 'notebooks') : plural(count, 'file', 'files');
    return `${count} open ${what} ${plural(count, 'has', 'have')} unsaved changes: ${plural(count, 'it is', 'they are')} saved with Commit & push.`;
  },
  fileStates: {
    modified: 'modified',
    added: 'new',
    deleted: 'deleted',
    untracked: 'new, never saved',
    renamed: 'renamed',
  },
  lastCommit: (sha, message, date) => `Last save: “${message}” (commit ${sha}, ${date}).`,
  noCommitYet: 'Nothing has been saved yet.',
  saved: (sha) => `Your work is saved in GitLab (commit ${sha}).`,
  committedNotPushed: (sha) =>
    `Your work is saved here (commit ${sha}) but could not be sent to GitLab. Try again in a moment.`,
  alreadySaved: 'Nothing new to save: GitLab already has all your work.',
  sentEarlier: (count) =>
    count === 1
      ? 'Nothing new since your last save; the save that was not in GitLab yet is now there.'
      : `Nothing new since your last save; the ${count} saves that were not in GitLab yet are now there.`,
  nothingToSave: 'Nothing to save: there are no changes.',
  pulledFirst: "Your teacher's updates were merged first.",
  savedFilesHeading: 'Files saved:',
  upToDate: 'Up to date: nothing new from your teacher.',
  merged: (count) =>
    `Your teacher's ${plural(count, 'update was', `${count} updates were`)} merged with your work.`,
  updatedFilesHeading: 'Files updated:',
  renamed: (from, to) => `Your file “${from}” was renamed “${to}”: your teacher added a file with that name.`,
  restoredHeading: 'Files you had deleted, restored:',
  keptAside: (path, incoming, from) =>
    from === 'teacher'
      ? `Your version of “${path}” was kept; your teacher's version is in “${incoming}”.`
      : `“${path}” here and the copy saved in GitLab both changed: this one was kept, GitLab's is in “${incoming}”.`,
  notebookNote: ({ path, kind, position }) =>
    kind === 'type-changed'
      ? `In “${path}”, your teacher changed the kind of cell ${position}; your version follows it as cell ${position + 1}.`
      : `In “${path}”, your teacher changed the code of cell ${position}: its old outputs were removed, run it again.`,
  diskNearlyFull: (used, limit) =>
    `Your workspace is nearly full (${used} of ${limit}). Delete files you no longer need before it fills up.`,
  opened: 'GitLab opened in a new tab.',
  openAgain: 'Open again',
  saveFailed: 'Your open files could not be saved, so nothing was sent. Save them (Ctrl+S), then try again.',
  resetTitle: 'Reset your environment?',
  resetBody: [
    'Your files are kept: every notebook and file in your work folder stays as it is, including work not yet in GitLab.',
    'JupyterLab starts again in a fresh environment: running code stops and what was installed outside your folder is removed. Open files are saved first.',
  ],
  resetOk: 'Reset',
  unreachable: 'labgate could not be reached. Check your network connection, then try again.',
  unexpected: (status) =>
    `labgate's git service gave an unexpected answer (HTTP ${status}). Try again in a moment; if it keeps happening, tell your teacher.`,
};
