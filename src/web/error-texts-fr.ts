import type { AppError } from '../errors.ts';
import { publishTextsFr } from './publish-texts-fr.ts';
import { gradesTextsFr } from './grades-texts-fr.ts';
import { teachingTextsFr } from './teaching-texts-fr.ts';
import { reviewTextsFr } from './review-texts-fr.ts';

interface Text {
  message: string;
  hint?: string;
}

const nothingLostFr = 'Rien n’a été modifié ni perdu dans votre espace.';
const relaunch = 'Retournez sur votre cours et cliquez à nouveau sur l’activité.';
const tellTeacher = 'Retournez sur votre cours et réessayez ; si cela continue, prévenez votre enseignant·e.';
const lmsSettings =
  'L’administrateur de la plateforme doit vérifier les réglages de l’outil labgate (adresse, clé, secret).';

/** French for the errors a learner coming from FUN or Moodle may meet; others stay in English. */
const texts: Record<string, (e: AppError) => Text> = {
  ...publishTextsFr,
  ...teachingTextsFr,
  ...gradesTextsFr,
  ...reviewTextsFr,
  LTI_CLOCK_SKEW: (e) => ({
    message: `Ce lancement a été signé avec ${Math.abs(Number(e.details?.['skew (s)'] ?? 0))} s d’écart avec l’horloge de labgate, qui accepte ±${e.details?.['accepted (s)'] ?? 300} s.`,
    hint: 'Si vous venez de cliquer, l’une des deux horloges est fausse : les administrateurs doivent activer NTP. Sinon, rechargez la page du cours et cliquez à nouveau.',
  }),
  LTI_REPLAYED: () => ({
    message: 'Ce lancement a déjà servi : chaque lien ne fonctionne qu’une fois.',
    hint: relaunch,
  }),
  LTI_BAD_SIGNATURE: () => ({ message: 'La signature de ce lancement n’est pas valide.', hint: lmsSettings }),
  LTI_UNKNOWN_CONSUMER: () => ({
    message: 'Ce lancement vient d’une plateforme que labgate ne connaît pas.',
    hint: lmsSettings,
  }),
  LTI13_STATE: () => ({
    message: 'Ce lancement a déjà servi, a expiré, ou n’a pas commencé ici.',
    hint: relaunch,
  }),
  LTI13_BROWSER: () => ({
    message:
      'Ce lancement n’est pas revenu au navigateur qui l’a commencé, ou le navigateur a refusé le cookie de labgate.',
    hint: 'Rouvrez l’activité ; si votre cours l’affiche dans sa page, choisissez de l’ouvrir dans une nouvelle fenêtre.',
  }),
  LTI13_TOKEN_TIME: () => ({
    message: 'Le jeton de lancement de la plateforme n’est pas valide en ce moment.',
    hint: relaunch,
  }),
  LTI13_DEEP_LINKING: () => ({
    message:
      'La plateforme a demandé à labgate de choisir un contenu (deep linking), mais sa demande est inutilisable.',
    hint: 'L’administrateur de la plateforme doit vérifier l’inscription LTI 1.3 de labgate.',
  }),
  LTI13_DEEP_LINKING_TYPES: () => ({
    message:
      'La plateforme n’accepte pas ici de liens LTI (ltiResourceLink), le seul contenu que labgate propose.',
    hint: 'L’administrateur doit permettre à l’outil labgate d’ajouter des liens (dans Moodle : « Supporte le Deep Linking ») ; ou ajoutez l’activité à la main avec l’URL et le paramètre affichés sur la page du cours dans labgate.',
  }),
  LTI13_DEEP_LINKING_ROLE: () => ({
    message:
      'Seul·es les enseignant·es, concepteur·ices et administrateur·ices du cours peuvent y ajouter des exercices labgate.',
    hint: 'Demandez à un·e enseignant·e du cours d’ajouter l’exercice ; vous l’ouvrirez ensuite depuis le cours.',
  }),
  LTI13_DEEP_LINKING_REQUEST: () => ({
    message:
      'Ce choix d’exercice a expiré (au bout d’une heure), a déjà servi, ou a commencé dans une autre session du navigateur.',
    hint: 'Retournez sur votre cours dans la plateforme et ajoutez à nouveau un contenu labgate.',
  }),
  WEB_NO_SESSION: () => ({
    message: 'Vous n’êtes pas connecté·e à labgate, ou votre session a expiré.',
    hint: 'Rouvrez l’activité depuis votre cours (FUN, Moodle…).',
  }),
  WEB_CSRF: () => ({
    message: 'Ce formulaire a été refusé : il ne vient pas d’une page de labgate, ou il est trop ancien.',
    hint: 'Rechargez la page et réessayez.',
  }),
  WEB_WORKSPACE_NOT_YOURS: () => ({
    message: 'Cet espace de travail n’est pas le vôtre, ou il n’existe pas.',
    hint: 'Ouvrez votre propre espace depuis votre cours.',
  }),
  WEB_WORKSPACE_ENTRY: () => ({
    message: 'On entre dans un espace de travail en l’ouvrant, pas depuis une autre page.',
    hint: 'Rouvrez l’activité depuis votre cours.',
  }),
  INTERNAL: () => ({
    message:
      'Une erreur interne s’est produite dans labgate ; elle a été journalisée (voir le numéro de requête).',
    hint: tellTeacher,
  }),
  GIT_FAILED: (e) => ({
    message: `La commande git ${e.details?.['command'] ?? ''} a échoué : ${e.details?.['why'] ?? ''}.`,
    hint: `${nothingLostFr} Réessayez ; si cela continue, transmettez ce message à votre enseignant·e.`,
  }),
  GIT_NOT_A_REPOSITORY: () => ({
    message:
      'Votre dossier de travail n’est pas un dépôt git (son dossier .git manque ou n’est pas un dossier).',
    hint: 'Relancez l’activité depuis votre cours : labgate recopiera votre dépôt en mettant vos fichiers de côté.',
  }),
  GIT_UNSAFE_CONFIG: (e) => ({
    message: `Les réglages git de votre dépôt contiennent ${e.details?.['keys'] ?? ''}, qui peuvent lancer des programmes ; labgate n’utilise pas un dépôt réglé ainsi.`,
    hint: `Dans un terminal, supprimez-les (git config --unset …), puis réessayez. ${nothingLostFr}`,
  }),
  GIT_MID_OPERATION: (e) => ({
    message: `Votre dépôt est au milieu d’une opération (${e.details?.['operation'] ?? ''}) commencée hors de labgate.`,
    hint: `Terminez-la, ou annulez-la dans un terminal avec ${e.details?.['abort'] ?? ''}, puis réessayez. ${nothingLostFr}`,
  }),
  GIT_DETACHED_HEAD: (e) => ({
    message: `Votre dépôt n’est sur aucune branche (il montre le commit ${e.details?.['sha'] ?? ''} seul).`,
    hint: `Dans un terminal, lancez git switch ${e.details?.['branch'] ?? 'main'} (vos modifications suivent), puis réessayez. ${nothingLostFr}`,
  }),
  GIT_BUSY: () => ({
    message:
      'Une autre opération git sur votre espace (depuis une autre fenêtre ou un autre onglet, peut-être) est toujours en cours.',
    hint: `Attendez qu’elle se termine, puis réessayez. ${nothingLostFr}`,
  }),
  GIT_LOCKED: () => ({
    message: 'Une autre commande git travaille dans votre dépôt, ou l’une d’elles a été interrompue.',
    hint: 'Attendez un instant et réessayez. Si aucun terminal n’exécute git, supprimez le fichier .git/index.lock.',
  }),
  GIT_FILES_TOO_BIG: (e) => ({
    message: `Ces fichiers dépassent la taille maximale (${e.details?.['limit'] ?? ''}) pour GitLab : ${e.details?.['files'] ?? ''}.`,
    hint: 'Réduisez-les, ou ajoutez-les au fichier .gitignore pour les garder seulement dans votre espace. Rien n’a été enregistré ; vos fichiers sont intacts.',
  }),
  GIT_REMOTE_UNREACHABLE: (e) => ({
    message: `labgate n’a pas pu joindre GitLab : ${e.details?.['why'] ?? ''}.`,
    hint: 'Votre travail est en sécurité dans votre espace. Réessayez dans une minute.',
  }),
  GIT_REMOTE_REFUSED: (e) => ({
    message: `GitLab a refusé l’accès de labgate à votre dépôt : ${e.details?.['why'] ?? ''}.`,
    hint: 'Votre travail est en sécurité dans votre espace. Relancez l’activité depuis votre cours ; si cela continue, prévenez votre enseignant·e.',
  }),
  GIT_PUSH_REJECTED: (e) => ({
    message: `GitLab n’a pas accepté votre travail, même après avoir intégré ses changements plus récents : ${e.details?.['why'] ?? ''}.`,
    hint: 'Votre travail est enregistré dans votre espace. Réessayez dans une minute.',
  }),
  GIT_BAD_PATH: (e) => ({
    message: `« ${e.details?.['path'] ?? ''} » n’est pas un fichier de votre dépôt.`,
    hint: 'Ouvrez un fichier de votre dossier de travail, puis réessayez.',
  }),
  GIT_BAD_REQUEST: (e) => ({
    message: `La demande ${e.details?.['operation'] ?? ''} n’a pas été comprise : ${e.details?.['why'] ?? ''}.`,
    hint: 'Rechargez JupyterLab et réessayez.',
  }),
  GIT_DISK_FULL: (e) => ({
    message: `Votre espace est plein : il contient ${e.details?.['used'] ?? ''} sur les ${e.details?.['limit'] ?? ''} permis.`,
    hint: `Supprimez les fichiers dont vous n’avez plus besoin, en commençant par les plus gros (${e.details?.['biggest'] || 'aucun trouvé'}), puis réessayez. ${nothingLostFr}`,
  }),
  SANDBOX_ENDED: () => ({
    message: 'labgate a perdu le contact avec votre espace de travail.',
    hint: `Réessayez ; si votre espace a été arrêté, rouvrez l’activité depuis votre cours pour le relancer. ${nothingLostFr}`,
  }),
  SANDBOX_REFUSED: (e) => ({
    message: `Votre espace a refusé une opération de labgate (${e.details?.['op'] ?? ''}) : ${e.details?.['why'] ?? ''}.`,
    hint: `Vérifiez le fichier nommé dans votre espace, puis réessayez. ${nothingLostFr}`,
  }),
  SANDBOX_UNAVAILABLE: () => ({
    message: 'labgate n’a pas pu ouvrir votre espace de travail pour y travailler.',
    hint: `Réessayez dans une minute ; si cela continue, prévenez votre enseignant·e. ${nothingLostFr}`,
  }),
  WORKSPACE_ENGINE_UNSAFE: (e) => ({
    message: `labgate n’ouvre aucun espace de travail sur ${e.details?.['engine'] ?? 'ce moteur de conteneurs'} : lancés ensemble, les espaces pourraient s’y joindre les uns les autres.`,
    hint: 'L’administrateur doit régler network_backend = "cni" dans /etc/containers/containers.conf et redémarrer podman system service (README, « Workspace networks »).',
  }),
  WORKSPACE_DISK_IMAGE_FAILED: () => ({
    message: 'labgate n’a pas pu préparer le disque de votre espace de travail.',
    hint: tellTeacher,
  }),
  GRADING_CHECK_TOO_SOON: (e) => ({
    message: `Vous avez vérifié vos réponses il y a un instant : vous pourrez recommencer dans ${e.details?.['seconds'] ?? ''} s.`,
    hint: 'Profitez-en pour relire les indices des questions qui ne sont pas encore justes.',
  }),
  GRADING_SETUP: () => ({
    message: 'Les vérifications de cet exercice ne sont pas encore prêtes.',
    hint: 'Prévenez votre enseignant·e : le dépôt de correction de l’exercice est vide ou incomplet.',
  }),
  GRADING_WORK_TOO_BIG: () => ({
    message: 'Votre dossier de travail est trop volumineux pour être vérifié.',
    hint: 'Supprimez les gros fichiers dont vous n’avez pas besoin, puis vérifiez à nouveau.',
  }),
  COLLECT_NOTHING_RECORDED: () => ({
    message:
      'Aucun rendu n’a encore été enregistré pour cet exercice : la date limite n’est pas passée, ou il n’en a pas.',
    hint: 'Les rendus sont enregistrés au passage de la date limite ; téléchargez-les ensuite.',
  }),
  COLLECT_NO_ASSIGNMENT: () => ({ message: 'Ce cours n’a pas cet exercice.' }),
  COLLECT_NO_FORGE: () => ({
    message: 'labgate n’est relié à aucune forge (GitLab) : il n’y a pas de rendus à télécharger.',
    hint: 'L’administrateur de labgate doit régler FORGE_URL et FORGE_TOKEN.',
  }),
  ACCOUNT_DISABLED: () => ({
    message: 'Ce compte labgate est désactivé.',
    hint: 'Adressez-vous à l’équipe du cours : un administrateur l’a désactivé, et lui seul peut le réactiver.',
  }),
};

export function frenchText(e: AppError): Text | undefined {
  return texts[e.code]?.(e);
}
