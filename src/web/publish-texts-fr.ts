import type { AppError } from '../errors.ts';

interface Text {
  message: string;
  hint?: string;
}

const d = (e: AppError, key: string) => String(e.details?.[key] ?? '');
const mo = (size: string) => size.replace('.', ',').replace('MB', 'Mo');

/** French for what the publish form refuses (flows/publish-errors.ts): a teacher reads it beside the field. */
export const publishTextsFr: Record<string, (e: AppError) => Text> = {
  PUBLISH_TITLE: () => ({
    message: 'Le titre est vide ou dépasse 255 caractères.',
    hint: 'Donnez le nom que verront les apprenant·es.',
  }),
  PUBLISH_SLUG_INVALID: (e) => ({
    message: `« ${d(e, 'slug')} » ne peut pas être le nom court de l’exercice.`,
    hint: 'Utilisez de 1 à 60 minuscules, chiffres, - ou _, en commençant par une lettre ou un chiffre (par exemple ex1).',
  }),
  PUBLISH_SLUG_TAKEN: (e) => ({
    message: `Ce cours a déjà un exercice « ${d(e, 'slug')} » (${d(e, 'title')}).`,
    hint: 'Choisissez un autre nom court : le lien du LMS désigne l’exercice par lui.',
  }),
  PUBLISH_TEMPLATE_INVALID: (e) => ({
    message: `« ${d(e, 'template')} » n’est pas un chemin de projet GitLab.`,
    hint: 'Écrivez-le sous la forme groupe/projet, par exemple enseignants/python-101, ou créez un nouveau modèle.',
  }),
  PUBLISH_TEMPLATE_UNKNOWN: (e) => ({
    message: `Aucun projet ${d(e, 'template')} sur ${d(e, 'forge')}.`,
    hint: 'Vérifiez le chemin, ou créez un nouveau modèle.',
  }),
  PUBLISH_TEMPLATE_UNREADABLE: (e) => ({
    message: `Votre compte GitLab ${d(e, 'username')} ne peut pas lire ${d(e, 'template')} sur ${d(e, 'forge')}.`,
    hint: `Demandez à la personne responsable du projet d’ajouter ${d(e, 'username')} comme Reporter (ou plus), ou choisissez un autre modèle.`,
  }),
  PUBLISH_TEMPLATE_EMPTY: (e) => ({
    message: `Le modèle ${d(e, 'template')} n’a encore aucun commit : un dépôt vide ne peut pas être copié pour les apprenant·es.`,
    hint: 'Poussez-y un premier commit avec git, ou déposez un notebook avec le formulaire, puis publiez à nouveau.',
  }),
  PUBLISH_NO_FORGE_ACCOUNT: () => ({
    message:
      'Votre compte GitLab n’est pas encore prêt : labgate ne peut pas savoir quels modèles vous pouvez lire.',
    hint: 'labgate le crée quand vous ouvrez labgate depuis votre cours : attendez une minute et rechargez. Si cela continue, rouvrez labgate depuis votre cours.',
  }),
  PUBLISH_IMAGE_NOT_ALLOWED: (e) => ({
    message: `L’image d’espace de travail « ${d(e, 'image')} » n’est pas autorisée sur ce serveur.`,
    hint: d(e, 'allowed')
      ? `Choisissez parmi : ${d(e, 'allowed')}.`
      : 'Ce serveur n’ouvre pas d’espaces de travail (WORKSPACE_IMAGE n’est pas réglé) : laissez l’image vide.',
  }),
  PUBLISH_DEADLINE_INVALID: (e) => ({
    message: `« ${d(e, 'text')} » n’est pas une date et une heure.`,
    hint: 'Écrivez-la sous la forme 2026-12-18T18:00 (avec le fuseau horaire à côté), ou laissez l’échéance vide.',
  }),
  PUBLISH_TIMEZONE_UNKNOWN: (e) => ({
    message: `« ${d(e, 'zone')} » n’est pas un fuseau horaire.`,
    hint: 'Utilisez un nom comme Europe/Paris ou UTC.',
  }),
  PUBLISH_DEADLINE_PAST: (e) => ({
    message: `L’échéance ${d(e, 'deadline').slice(0, 16).replace('T', ' ')} UTC est déjà passée.`,
    hint: 'Choisissez une date et une heure à venir, ou laissez l’échéance vide.',
  }),
  PUBLISH_OPEN_FILE_INVALID: (e) => ({
    message: `« ${d(e, 'path')} » ne peut pas être le fichier ouvert à l’arrivée.`,
    hint: 'Donnez son chemin depuis la racine du modèle, par exemple ex1.ipynb ou notebooks/ex1.ipynb (sans .. ni nom caché), ou laissez vide pour le premier notebook.',
  }),
  PUBLISH_OPEN_FILE_MISSING: (e) => ({
    message: `Le modèle ${d(e, 'template')} n’a pas de fichier ${d(e, 'path')} sur ${d(e, 'branch')}.`,
    hint: 'Vérifiez le nom et son dossier (majuscules comprises), poussez d’abord le fichier, ou laissez vide pour le premier notebook.',
  }),
  PUBLISH_LATE_POLICY: (e) => ({
    message: `« ${d(e, 'policy')} » n’est pas une règle de retard.`,
    hint: 'Choisissez accept (les envois en retard sont gardés et marqués) ou lock (chaque copie est verrouillée à l’échéance).',
  }),
  PUBLISH_TEMPLATE_NAME: () => ({
    message: 'Le nouveau modèle a besoin d’un nom.',
    hint: 'Tapez-en un (lettres, chiffres, - ou _), ou remplissez d’abord le nom court.',
  }),
  PUBLISH_NOT_COURSE_TEMPLATE: (e) => ({
    message: `Les fichiers ne se déposent que dans les modèles créés ici, dans ${d(e, 'group')} ; ${d(e, 'template')} n’en est pas un.`,
    hint: 'Poussez vers les autres projets avec git, ou créez ici un nouveau modèle.',
  }),
  PUBLISH_NO_FILES: () => ({
    message: 'Aucun fichier n’a été choisi.',
    hint: 'Choisissez un ou plusieurs notebooks ou fichiers à déposer.',
  }),
  PUBLISH_TOO_MANY_FILES: (e) => ({
    message: `${d(e, 'count')} fichiers ont été envoyés ; un dépôt en accepte ${d(e, 'max')} au plus.`,
    hint: 'Déposez-les en plusieurs fois, ou poussez-les avec git.',
  }),
  PUBLISH_TOO_BIG: (e) => ({
    message: `Ces fichiers pèsent ${mo(d(e, 'size'))} ; un dépôt accepte ${mo(d(e, 'max'))} au plus.`,
    hint: 'Déposez moins de fichiers à la fois, ou poussez les gros fichiers avec git.',
  }),
  PUBLISH_FILE_NAME: (e) => ({
    message: `« ${d(e, 'name')} » ne peut pas être un nom de fichier du modèle.`,
    hint: 'Renommez le fichier, puis déposez-le.',
  }),
  PUBLISH_BAD_NOTEBOOK: (e) => ({
    message: `${d(e, 'name')} n’est pas un notebook que Jupyter peut ouvrir : ${d(e, 'problem')}.`,
    hint: 'Rien n’a été enregistré. Enregistrez-le à nouveau depuis Jupyter, puis déposez-le encore.',
  }),
  PUBLISH_NO_FORGE: () => ({
    message: 'Publier un exercice demande un GitLab, et ce labgate n’en a aucun de configuré.',
    hint: 'L’administrateur de labgate règle FORGE_URL et FORGE_TOKEN (voir README.md).',
  }),
};
