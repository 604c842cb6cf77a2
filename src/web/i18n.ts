export type Lang = 'fr' | 'en';

const roleNames = {
  fr: { learner: 'apprenant·e', ta: 'assistant·e d’enseignement', teacher: 'enseignant·e' },
  en: { learner: 'learner', ta: 'teaching assistant', teacher: 'teacher' },
} as const;

export const messages = {
  fr: {
    signedInTitle: 'Vous êtes connecté·e',
    youAre: 'Vous êtes',
    /** Before a role name: French elides before a vowel (“en tant qu’apprenant·e”). */
    asRole: (name: string) => (/^[aeiouyàâéèêh]/i.test(name) ? 'en tant qu’' : 'en tant que '),
    inCourse: 'dans le cours',
    fromLms: 'depuis',
    yourId: 'Votre identifiant labgate :',
    quote: ['« ', ' »'],
    backToCourse: 'Retour au cours',
    otherLanguage: 'English',
    welcomeTitle: 'Bienvenue sur labgate',
    welcomeText:
      'labgate s’ouvre depuis votre cours : retournez sur votre plateforme (FUN, Moodle…) et cliquez sur l’activité.',
    simulatorLink: 'Ouvrir le simulateur de LMS (démo)',
    unnamed: 'personne sans nom transmis par le LMS',
    blockedTitle: 'Ouvrir labgate dans un nouvel onglet',
    blockedText:
      'Votre navigateur n’autorise pas labgate à garder votre connexion à l’intérieur de la page du cours. Ouvrez-le dans un nouvel onglet pour continuer : ce lien ne sert qu’une fois, dans les cinq minutes.',
    blockedButton: 'Ouvrir dans un nouvel onglet',
    expiredTitle: 'Ce lien a déjà servi ou a expiré',
    expiredText: 'Retournez sur votre cours et cliquez à nouveau sur l’activité.',
    role: roleNames.fr,
    forgeTitle: 'Votre espace GitLab',
    coursePage: 'Page du cours : exercices et liste de classe',
    forgeStep: {
      account: 'création de votre compte GitLab…',
      group: 'préparation du groupe du cours…',
      template: 'lecture du modèle de l’enseignant…',
      fork: 'copie de l’exercice…',
      fork_wait: 'copie de l’exercice…',
      access: 'ouverture de vos droits…',
      membership: 'ouverture de vos droits sur le groupe du cours…',
      done: 'prêt',
    },
    forkReady: 'Votre copie de l’exercice :',
    staffReady: 'Vous avez accès au groupe du cours :',
    openInGitlab: 'Ouvrir dans GitLab',
    jupyterTitle: 'Votre JupyterLab',
    openJupyter: 'Ouvrir mon JupyterLab',
    jupyterStopped:
      'Il s’est arrêté après un moment sans activité ; l’ouvrir le redémarre, avec vos fichiers.',
    resetEnvironment: 'Réinitialiser mon environnement',
    forgeRetrying: 'GitLab ne répond pas bien ; nouvel essai automatique.',
    forgeFailed: 'La préparation a échoué :',
    forgeRelaunch: 'Relancez l’activité depuis votre cours pour réessayer.',
  },
  en: {
    signedInTitle: 'You are signed in',
    youAre: 'You are',
    asRole: (_name: string) => 'as ',
    inCourse: 'in the course',
    fromLms: 'from',
    yourId: 'Your labgate id:',
    quote: ['“', '”'],
    backToCourse: 'Back to the course',
    otherLanguage: 'Français',
    welcomeTitle: 'Welcome to labgate',
    welcomeText:
      'labgate opens from your course: go back to your learning platform (FUN, Moodle…) and click the activity.',
    simulatorLink: 'Open the LMS simulator (demo)',
    unnamed: 'a person whose name the LMS did not send',
    blockedTitle: 'Open labgate in a new tab',
    blockedText:
      'Your browser does not let labgate keep you signed in inside the course page. Open it in a new tab to continue: this link works once, within five minutes.',
    blockedButton: 'Open in a new tab',
    expiredTitle: 'This link was already used or has expired',
    expiredText: 'Go back to your course and click the activity again.',
    role: roleNames.en,
    forgeTitle: 'Your GitLab space',
    coursePage: 'Course page: assignments and rosters',
    forgeStep: {
      account: 'creating your GitLab account…',
      group: 'preparing the course group…',
      template: 'reading the teacher’s template…',
      fork: 'copying the exercise…',
      fork_wait: 'copying the exercise…',
      access: 'granting your access…',
      membership: 'granting your access to the course group…',
      done: 'ready',
    },
    forkReady: 'Your copy of the exercise:',
    staffReady: 'You have access to the course group:',
    openInGitlab: 'Open in GitLab',
    jupyterTitle: 'Your JupyterLab',
    openJupyter: 'Open my JupyterLab',
    jupyterStopped: 'It stopped after a while without use; opening it starts it again, with your files.',
    resetEnvironment: 'Reset my environment',
    forgeRetrying: 'GitLab is not answering well; retrying automatically.',
    forgeFailed: 'Preparation failed:',
    forgeRelaunch: 'Launch the activity again from your course to retry.',
  },
} as const;

/** The session's language, else the browser's first supported one, else English. */
export function pickLang(o: { query?: string; session?: string; acceptLanguage?: string }): Lang {
  for (const candidate of [o.query, o.session])
    if (candidate === 'fr' || candidate === 'en') return candidate;
  for (const tag of (o.acceptLanguage ?? '').split(',')) {
    const primary = tag.trim().slice(0, 2).toLowerCase();
    if (primary === 'fr' || primary === 'en') return primary;
  }
  return 'en';
}
