import type { Lang } from '../i18n.ts';

/** What labgate says about signing out and resetting an environment, in plain words. */
export const accountWords: Record<Lang, AccountWords> = {
  fr: {
    signOut: 'Se déconnecter',
    confirmTitle: 'Se déconnecter de labgate ?',
    confirmText:
      'Vous quitterez labgate, votre JupyterLab et GitLab sur ce navigateur. Vos fichiers restent dans votre espace.',
    cancel: 'Annuler',
    doneTitle: 'Vous êtes déconnecté·e',
    doneWithForge: 'Vous êtes déconnecté·e de labgate et de GitLab sur ce navigateur.',
    doneLabgate: 'Vous êtes déconnecté·e de labgate sur ce navigateur.',
    forgeByHand:
      'Si vous avez ouvert GitLab, déconnectez-vous aussi dans GitLab (menu de votre avatar), ou fermez le navigateur.',
    comeBack: 'Pour revenir, ouvrez l’activité depuis votre cours.',
    workspaceSignedOut:
      'Ce JupyterLab est fermé parce que vous n’êtes plus connecté·e à labgate. Pour y revenir, ouvrez l’activité depuis votre cours.',
    resetTitle: 'Réinitialiser mon environnement ?',
    resetKept:
      'Vos fichiers sont conservés : tout ce qui est dans votre dossier de travail (vos carnets, l’exercice) reste tel quel.',
    resetFresh:
      'Ce qui repart de zéro : JupyterLab et ses noyaux redémarrent (les variables en mémoire sont perdues), et ce qui a été installé ou enregistré hors de votre dossier de travail disparaît.',
    resetSaveFirst: 'Enregistrez d’abord vos carnets ouverts.',
    resetButton: 'Réinitialiser mon environnement',
    noWorkspace:
      'Vous n’avez pas encore d’environnement dans ce cours : ouvrez l’activité depuis votre cours.',
    backHome: 'Retour à l’accueil',
  },
  en: {
    signOut: 'Sign out',
    confirmTitle: 'Sign out of labgate?',
    confirmText:
      'You will leave labgate, your JupyterLab and GitLab on this browser. Your files stay in your workspace.',
    cancel: 'Cancel',
    doneTitle: 'You are signed out',
    doneWithForge: 'You are signed out of labgate and of GitLab on this browser.',
    doneLabgate: 'You are signed out of labgate on this browser.',
    forgeByHand: 'If you opened GitLab, sign out there too (your avatar’s menu), or close the browser.',
    comeBack: 'To come back, open the activity from your course.',
    workspaceSignedOut:
      'This JupyterLab is closed because you are no longer signed in to labgate. To come back, open the activity from your course.',
    resetTitle: 'Reset my environment?',
    resetKept:
      'Your files are kept: everything in your work folder (your notebooks, the exercise) stays as it is.',
    resetFresh:
      'What starts afresh: JupyterLab and its kernels restart (variables in memory are lost), and anything installed or saved outside your work folder is gone.',
    resetSaveFirst: 'Save your open notebooks first.',
    resetButton: 'Reset my environment',
    noWorkspace: 'You have no environment in this course yet: open the activity from your course.',
    backHome: 'Back to the home page',
  },
};

export interface AccountWords {
  signOut: string;
  confirmTitle: string;
  confirmText: string;
  cancel: string;
  doneTitle: string;
  doneWithForge: string;
  doneLabgate: string;
  forgeByHand: string;
  comeBack: string;
  workspaceSignedOut: string;
  resetTitle: string;
  resetKept: string;
  resetFresh: string;
  resetSaveFirst: string;
  resetButton: string;
  noWorkspace: string;
  backHome: string;
}
