import type { Lang } from '../i18n.ts';

const en = {
  heading: (c: string) => `Publish an exercise — ${c}`,
  back: '← Back to the course page',
  refused: (n: number) =>
    n === 1 ? 'Nothing was published: one thing to fix.' : `Nothing was published: ${n} things to fix.`,
  exercise: 'The exercise',
  title: 'Title',
  titleHelp: 'What learners see.',
  slug: 'Short name',
  slugHelp:
    'Names the exercise in the LMS link (custom parameter assignment=…) and in learners’ copies. Suggested from the title: lowercase letters, digits, - or _.',
  template: 'Template',
  templateIntro: 'The repository each learner gets their own copy of, with its history.',
  existing: 'An existing GitLab project',
  existingHelp: (forge: string) => `A project you can read on ${forge}, as group/project.`,
  or: 'or',
  fresh: 'A new empty template in the course group',
  freshHelp: 'Its name (the short name when left empty). Then push to it with git, or upload notebooks.',
  create: 'Create the template',
  created: (p: string) => `Template ${p} is ready in the course group.`,
  waiting: (p: string) => `${p} is empty: waiting for its first commit.`,
  hasCommit: (p: string, sha: string, at: string) => `${p}: latest commit ${sha} (${at}).`,
  gitIntro: 'With git, from your computer (GitLab asks for your username and a personal access token):',
  copyHere: '# copy your notebooks and files into this folder, then:',
  firstCommit: 'First version of the exercise',
  upload: 'Or upload notebooks and files (committed at the root of the template):',
  uploadHelp: (mb: number) => `At most ${mb} MB at once; notebooks are checked before anything is committed.`,
  uploadButton: 'Upload and commit',
  uploaded: (n: number, p: string) => `${n} file${n === 1 ? '' : 's'} committed to ${p}.`,
  noAccount:
    'Your GitLab account is not ready yet: template suggestions appear once it is (reload in a minute).',
  workspace: 'Workspace',
  image: 'Image learners work in',
  defaultImage: (i: string | undefined) => (i ? `The default image (${i})` : 'The default image'),
  noWorkspaces: 'This server runs no workspaces: learners work with git only.',
  openFile: 'File learners land in',
  openFileHelp:
    'Its path from the top of the template, e.g. notebooks/ex1.ipynb. Empty: the first notebook, in reading order. A link’s custom parameter open=… chooses another for that link.',
  deadline: 'Deadline',
  deadlineAt: 'Due on',
  zone: 'Time zone',
  deadlineHelp:
    'The date and time are read in this time zone (your browser’s when the page opened). Leave the date empty for no deadline.',
  late: 'After the deadline',
  accept: 'Accept late pushes, marked late',
  lock: 'Lock each learner’s copy at the deadline',
  publish: 'Publish the exercise',
};

export type PublishWords = typeof en;

/** The publish page's texts, French and English. */
export const publishWords: Record<Lang, PublishWords> = {
  en,
  fr: {
    heading: (c: string) => `Publier un exercice — ${c}`,
    back: '← Retour à la page du cours',
    refused: (n: number) =>
      n === 1
        ? 'Rien n’a été publié : un point à corriger.'
        : `Rien n’a été publié : ${n} points à corriger.`,
    exercise: 'L’exercice',
    title: 'Titre',
    titleHelp: 'Ce que voient les apprenant·es.',
    slug: 'Nom court',
    slugHelp:
      'Désigne l’exercice dans le lien du LMS (paramètre personnalisé assignment=…) et dans les copies des apprenant·es. Proposé d’après le titre : minuscules, chiffres, - ou _.',
    template: 'Modèle',
    templateIntro: 'Le dépôt dont chaque apprenant·e reçoit sa propre copie, avec son historique.',
    existing: 'Un projet GitLab existant',
    existingHelp: (forge: string) =>
      `Un projet que vous pouvez lire sur ${forge}, sous la forme groupe/projet.`,
    or: 'ou',
    fresh: 'Un nouveau modèle vide dans le groupe du cours',
    freshHelp:
      'Son nom (le nom court s’il est laissé vide). Poussez-y ensuite avec git, ou déposez des notebooks.',
    create: 'Créer le modèle',
    created: (p: string) => `Le modèle ${p} est prêt dans le groupe du cours.`,
    waiting: (p: string) => `${p} est vide : en attente de son premier commit.`,
    hasCommit: (p: string, sha: string, at: string) => `${p} : dernier commit ${sha} (${at}).`,
    gitIntro:
      'Avec git, depuis votre ordinateur (GitLab demande votre nom d’utilisateur et un jeton d’accès personnel) :',
    copyHere: '# copiez vos notebooks et fichiers dans ce dossier, puis :',
    firstCommit: 'Première version de l’exercice',
    upload: 'Ou déposez des notebooks et des fichiers (enregistrés à la racine du modèle) :',
    uploadHelp: (mb: number) =>
      `${mb} Mo au plus à la fois ; les notebooks sont vérifiés avant que rien ne soit enregistré.`,
    uploadButton: 'Déposer et enregistrer',
    uploaded: (n: number, p: string) =>
      `${n} fichier${n === 1 ? '' : 's'} enregistré${n === 1 ? '' : 's'} dans ${p}.`,
    noAccount:
      'Votre compte GitLab n’est pas encore prêt : les modèles proposés apparaîtront ensuite (rechargez dans une minute).',
    workspace: 'Espace de travail',
    image: 'Image dans laquelle travaillent les apprenant·es',
    defaultImage: (i: string | undefined) => (i ? `L’image par défaut (${i})` : 'L’image par défaut'),
    noWorkspaces:
      'Ce serveur n’ouvre pas d’espaces de travail : les apprenant·es travaillent avec git seulement.',
    openFile: 'Fichier ouvert à l’arrivée',
    openFileHelp:
      'Son chemin depuis la racine du modèle, par exemple notebooks/ex1.ipynb. Vide : le premier notebook, dans l’ordre de lecture. Le paramètre personnalisé open=… d’un lien en choisit un autre pour ce lien.',
    deadline: 'Échéance',
    deadlineAt: 'À rendre le',
    zone: 'Fuseau horaire',
    deadlineHelp:
      'La date et l’heure sont lues dans ce fuseau (celui de votre navigateur à l’ouverture de la page). Laissez la date vide pour ne pas fixer d’échéance.',
    late: 'Après l’échéance',
    accept: 'Accepter les envois en retard, marqués en retard',
    lock: 'Verrouiller la copie de chaque apprenant·e à l’échéance',
    publish: 'Publier l’exercice',
  },
};
