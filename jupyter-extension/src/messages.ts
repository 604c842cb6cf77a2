import type { ChangedFileState, INotebookNote, VersionSource } from './responses';
import type { GitOperation } from './tokens';

/** Every sentence the extension shows, in plain words (learners are not git users). */
export interface IMessages {
  readonly locale: 'en' | 'fr';
  readonly category: string;
  readonly labels: Readonly<Record<GitOperation, string>>;
  readonly captions: Readonly<Record<GitOperation, string>>;
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
  readonly fileStates: Readonly<Record<ChangedFileState, string>>;
  readonly lastCommit: (shortSha: string, message: string, date: string) => string;
  readonly noCommitYet: string;
  readonly saved: (shortSha: string) => string;
  readonly committedNotPushed: (shortSha: string) => string;
  readonly alreadySaved: string;
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
  readonly unreachable: string;
  readonly unexpected: (status: number) => string;
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

export const ENGLISH: IMessages = {
  locale: 'en',
  category: 'Git',
  labels: {
    status: 'Status',
    commit: 'Commit & push',
    pull: 'Pull',
    open: 'Open in GitLab',
    check: 'Check my answer',
  },
  captions: {
    status: 'Show what changed since your last save in GitLab',
    commit: 'Save your work in GitLab',
    pull: "Get your teacher's updates (your work is kept)",
    open: 'Open this file in GitLab in a new tab',
    check: "Run your teacher's checks on your saved work",
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
    if (ahead > 0) parts.push(`${ahead} ${plural(ahead, 'save is', 'saves are')} not in GitLab yet`);
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
  unreachable: 'labgate could not be reached. Check your network connection, then try again.',
  unexpected: (status) =>
    `labgate's git service gave an unexpected answer (HTTP ${status}). Try again in a moment; if it keeps happening, tell your teacher.`,
};

export const FRENCH: IMessages = {
  locale: 'fr',
  category: 'Git',
  labels: {
    status: 'État',
    commit: 'Enregistrer (commit & push)',
    pull: 'Récupérer (pull)',
    open: 'Ouvrir dans GitLab',
    check: 'Vérifier mes réponses',
  },
  captions: {
    status: 'Voir ce qui a changé depuis votre dernier enregistrement dans GitLab',
    commit: 'Enregistrer votre travail dans GitLab',
    pull: 'Récupérer les mises à jour de votre enseignant (votre travail est conservé)',
    open: 'Ouvrir ce fichier dans GitLab dans un nouvel onglet',
    check: 'Lancer les vérifications de votre enseignant sur votre travail enregistré',
  },
  titles: {
    status: 'État',
    commit: 'Enregistré dans GitLab',
    pull: 'Mises à jour de votre enseignant',
    open: 'GitLab',
    check: 'Vos réponses',
  },
  failedTitles: {
    status: 'État indisponible',
    commit: 'Non enregistré dans GitLab',
    pull: 'Mises à jour non récupérées',
    open: "GitLab n'a pas pu être ouvert",
    check: "Vos réponses n'ont pas pu être vérifiées",
  },
  close: 'OK',
  cancel: 'Annuler',
  commitPromptTitle: 'Enregistrer votre travail dans GitLab',
  commitPromptLabel: 'Décrivez ce que vous avez fait (facultatif) :',
  commitPromptOk: 'Enregistrer',
  defaultCommitMessage: 'Travail enregistré depuis JupyterLab',
  branch: (branch) => (branch ? `Branche : ${branch}.` : "Aucune branche n'est active."),
  syncState: (ahead, behind) => {
    if (ahead === 0 && behind === 0) return 'GitLab a tout votre travail enregistré.';
    const parts = [];
    if (ahead > 0) {
      parts.push(
        `${ahead} ${plural(ahead, "enregistrement n'est", 'enregistrements ne sont')} pas encore dans GitLab`,
      );
    }
    if (behind > 0) {
      parts.push(
        `GitLab a ${behind} ${plural(behind, 'enregistrement', 'enregistrements')} que vous n'avez pas ici`,
      );
    }
    return `${parts.join(' ; ')}.`;
  },
  teacherUpdates: (count) =>
    count === 0
      ? 'Aucune nouvelle mise à jour de votre enseignant.'
      : `Votre enseignant a publié ${count} ${plural(count, 'mise à jour', 'mises à jour')} : utilisez « Récupérer » pour ${plural(count, "l'obtenir", 'les obtenir')}.`,
  noChanges: 'Aucun changement depuis votre dernier enregistrement.',
  changesHeading: (count) =>
    `${count} ${plural(count, 'fichier a changé', 'fichiers ont changé')} depuis votre dernier enregistrement :`,
  fileStates: {
    modified: 'modifié',
    added: 'nouveau',
    deleted: 'supprimé',
    untracked: 'nouveau, jamais enregistré',
    renamed: 'renommé',
  },
  lastCommit: (sha, message, date) => `Dernier enregistrement : « ${message} » (commit ${sha}, ${date}).`,
  noCommitYet: "Rien n'a encore été enregistré.",
  saved: (sha) => `Votre travail est enregistré dans GitLab (commit ${sha}).`,
  committedNotPushed: (sha) =>
    `Votre travail est enregistré ici (commit ${sha}) mais n'a pas pu être envoyé à GitLab. Réessayez dans un instant.`,
  alreadySaved: 'Rien de nouveau à enregistrer : GitLab a déjà tout votre travail.',
  nothingToSave: "Rien à enregistrer : il n'y a aucun changement.",
  pulledFirst: 'Les mises à jour de votre enseignant ont été fusionnées d’abord.',
  savedFilesHeading: 'Fichiers enregistrés :',
  upToDate: 'À jour : rien de nouveau de la part de votre enseignant.',
  merged: (count) =>
    count === 1
      ? 'La mise à jour de votre enseignant a été fusionnée avec votre travail.'
      : `Les ${count} mises à jour de votre enseignant ont été fusionnées avec votre travail.`,
  updatedFilesHeading: 'Fichiers mis à jour :',
  renamed: (from, to) =>
    `Votre fichier « ${from} » a été renommé « ${to} » : votre enseignant a ajouté un fichier de ce nom.`,
  restoredHeading: 'Fichiers que vous aviez supprimés, restaurés :',
  keptAside: (path, incoming, from) =>
    from === 'teacher'
      ? `Votre version de « ${path} » a été conservée ; celle de votre enseignant est dans « ${incoming} ».`
      : `« ${path} » a changé ici et dans la copie enregistrée dans GitLab : celle d’ici est conservée, celle de GitLab est dans « ${incoming} ».`,
  notebookNote: ({ path, kind, position }) =>
    kind === 'type-changed'
      ? `Dans « ${path} », votre enseignant a changé le type de la cellule ${position} ; votre version la suit (cellule ${position + 1}).`
      : `Dans « ${path} », votre enseignant a modifié le code de la cellule ${position} : ses anciens résultats ont été effacés, exécutez-la à nouveau.`,
  diskNearlyFull: (used, limit) =>
    `Votre espace est presque plein (${used} sur ${limit}). Supprimez les fichiers dont vous n’avez plus besoin avant qu’il ne soit plein.`,
  opened: 'GitLab est ouvert dans un nouvel onglet.',
  openAgain: 'Ouvrir à nouveau',
  saveFailed:
    "Vos fichiers ouverts n'ont pas pu être enregistrés, donc rien n'a été envoyé. Enregistrez-les (Ctrl+S), puis réessayez.",
  unreachable: 'labgate est injoignable. Vérifiez votre connexion réseau, puis réessayez.',
  unexpected: (status) =>
    `Le service git de labgate a donné une réponse inattendue (HTTP ${status}). Réessayez dans un instant ; si cela continue, prévenez votre enseignant.`,
};

/** French when JupyterLab's language or the browser's starts with "fr", English otherwise. */
export function pickMessages(languageCodes: readonly (string | null | undefined)[]): IMessages {
  return languageCodes.some((code) => code?.toLowerCase().startsWith('fr')) ? FRENCH : ENGLISH;
}
