import type { IMessages } from './messages';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

export const FRENCH: IMessages = {
  locale: 'fr',
  category: 'labgate',
  labels: {
    status: 'État',
    commit: 'Enregistrer (commit & push)',
    pull: 'Récupérer (pull)',
    open: 'Ouvrir dans GitLab',
    check: 'Vérifier mes réponses',
    reset: 'Réinitialiser mon environnement…',
    signOut: 'Se déconnecter',
  },
  captions: {
    status: 'Voir ce qui a changé depuis votre dernier enregistrement dans GitLab',
    commit: 'Enregistrer votre travail dans GitLab',
    pull: 'Récupérer les mises à jour de votre enseignant·e (votre travail est conservé)',
    open: 'Ouvrir ce fichier dans GitLab dans un nouvel onglet',
    check: 'Lancer les vérifications de votre enseignant·e sur votre travail enregistré',
    reset: 'Relancer JupyterLab dans un environnement neuf ; vos fichiers sont conservés',
    signOut: 'Vous déconnecter de labgate sur cet ordinateur',
  },
  titles: {
    status: 'État',
    commit: 'Enregistré dans GitLab',
    pull: 'Mises à jour de votre enseignant·e',
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
        `${ahead} ${plural(ahead, "enregistrement n'est", 'enregistrements ne sont')} pas encore dans GitLab (« Enregistrer » ${plural(ahead, "l'envoie", 'les envoie')})`,
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
      ? 'Aucune nouvelle mise à jour de votre enseignant·e.'
      : `Votre enseignant·e a publié ${count} ${plural(count, 'mise à jour', 'mises à jour')} : utilisez « Récupérer » pour ${plural(count, "l'obtenir", 'les obtenir')}.`,
  noChanges: 'Aucun changement depuis votre dernier enregistrement.',
  changesHeading: (count) =>
    `${count} ${plural(count, 'fichier a changé', 'fichiers ont changé')} depuis votre dernier enregistrement :`,
  unsavedHeading: (count, allNotebooks) => {
    const what = allNotebooks
      ? plural(count, 'notebook ouvert a', 'notebooks ouverts ont')
      : plural(count, 'fichier ouvert a', 'fichiers ouverts ont');
    return `${count} ${what} des modifications non enregistrées : « Enregistrer » ${plural(count, "l'enregistre", 'les enregistre')}.`;
  },
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
  sentEarlier: (count) =>
    count === 1
      ? 'Rien de nouveau depuis votre dernier enregistrement ; celui qui n’était pas encore dans GitLab y est maintenant.'
      : `Rien de nouveau depuis votre dernier enregistrement ; les ${count} qui n’étaient pas encore dans GitLab y sont maintenant.`,
  nothingToSave: "Rien à enregistrer : il n'y a aucun changement.",
  pulledFirst: 'Les mises à jour de votre enseignant·e ont été fusionnées d’abord.',
  savedFilesHeading: 'Fichiers enregistrés :',
  upToDate: 'À jour : rien de nouveau de la part de votre enseignant·e.',
  merged: (count) =>
    count === 1
      ? 'La mise à jour de votre enseignant·e a été fusionnée avec votre travail.'
      : `Les ${count} mises à jour de votre enseignant·e ont été fusionnées avec votre travail.`,
  updatedFilesHeading: 'Fichiers mis à jour :',
  renamed: (from, to) =>
    `Votre fichier « ${from} » a été renommé « ${to} » : votre enseignant·e a ajouté un fichier de ce nom.`,
  restoredHeading: 'Fichiers que vous aviez supprimés, restaurés :',
  keptAside: (path, incoming, from) =>
    from === 'teacher'
      ? `Votre version de « ${path} » a été conservée ; celle de votre enseignant·e est dans « ${incoming} ».`
      : `« ${path} » a changé ici et dans la copie enregistrée dans GitLab : celle d’ici est conservée, celle de GitLab est dans « ${incoming} ».`,
  notebookNote: ({ path, kind, position }) =>
    kind === 'type-changed'
      ? `Dans « ${path} », votre enseignant·e a changé le type de la cellule ${position} ; votre version la suit (cellule ${position + 1}).`
      : `Dans « ${path} », votre enseignant·e a modifié le code de la cellule ${position} : ses anciens résultats ont été effacés, exécutez-la à nouveau.`,
  diskNearlyFull: (used, limit) =>
    `Votre espace est presque plein (${used} sur ${limit}). Supprimez les fichiers dont vous n’avez plus besoin avant qu’il ne soit plein.`,
  opened: 'GitLab est ouvert dans un nouvel onglet.',
  openAgain: 'Ouvrir à nouveau',
  saveFailed:
    "Vos fichiers ouverts n'ont pas pu être enregistrés, donc rien n'a été envoyé. Enregistrez-les (Ctrl+S), puis réessayez.",
  resetTitle: 'Réinitialiser votre environnement ?',
  resetBody: [
    'Vos fichiers sont conservés : tous les notebooks et fichiers de votre dossier de travail restent tels quels, y compris le travail pas encore dans GitLab.',
    'JupyterLab redémarre dans un environnement neuf : le code en cours s’arrête et ce qui a été installé hors de votre dossier est effacé. Les fichiers ouverts sont d’abord enregistrés.',
  ],
  resetOk: 'Réinitialiser',
  unreachable: 'labgate est injoignable. Vérifiez votre connexion réseau, puis réessayez.',
  unexpected: (status) =>
    `Le service git de labgate a donné une réponse inattendue (HTTP ${status}). Réessayez dans un instant ; si cela continue, prévenez votre enseignant·e.`,
};
