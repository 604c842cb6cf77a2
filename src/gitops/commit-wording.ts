import type { GitContext } from './git-command.ts';

export type CommitLang = 'fr' | 'en';

/**
 * The messages of the commits labgate makes in a learner's repository. They show in Status as the
 * "last save" and in GitLab's history, so they are plain words in the learner's language, not git's.
 */
const en = {
  saved: 'Work saved from JupyterLab',
  savedBeforeUpdates: 'Your work, saved before bringing in updates',
  fromTeacher: 'Updates from your teacher',
  fromGitlab: 'Your work saved in GitLab, brought back here',
  teacherCopiesBeside: 'Your teacher’s version of files you both created, kept beside yours',
  gitlabCopiesBeside: 'The version saved in GitLab, kept beside yours where they differ',
  notebooksRepaired: 'Notebooks the update touched, repaired so that they open in Jupyter',
};
export type CommitWords = typeof en;

const fr: CommitWords = {
  saved: 'Travail enregistré depuis JupyterLab',
  savedBeforeUpdates: 'Votre travail, enregistré avant de récupérer les mises à jour',
  fromTeacher: 'Mises à jour de l’enseignant·e',
  fromGitlab: 'Votre travail enregistré dans GitLab, récupéré ici',
  teacherCopiesBeside:
    'Version de l’enseignant·e des fichiers créés des deux côtés, gardée à côté de la vôtre',
  gitlabCopiesBeside: 'Version enregistrée dans GitLab, gardée à côté de la vôtre là où elles diffèrent',
  notebooksRepaired: 'Notebooks touchés par la mise à jour, réparés pour s’ouvrir dans Jupyter',
};

export const commitWords = (ctx: Pick<GitContext, 'lang'>): CommitWords => (ctx.lang === 'fr' ? fr : en);

/** The language of a locale as labgate's sessions carry it (`fr`, `fr-CA`, `en-GB`…). */
export const commitLangOf = (locale: string | undefined): CommitLang =>
  locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
