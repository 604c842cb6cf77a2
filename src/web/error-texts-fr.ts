import type { AppError } from '../errors.ts';

interface Text {
  message: string;
  hint?: string;
}

const relaunch = 'Retournez sur votre cours et cliquez à nouveau sur l’activité.';
const tellTeacher = 'Retournez sur votre cours et réessayez ; si cela continue, prévenez votre enseignant·e.';
const lmsSettings =
  'L’administrateur de la plateforme doit vérifier les réglages de l’outil labgate (adresse, clé, secret).';

/** French for the errors a learner coming from FUN or Moodle may meet; others stay in English. */
const texts: Record<string, (e: AppError) => Text> = {
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
  WEB_NO_SESSION: () => ({
    message: 'Vous n’êtes pas connecté·e à labgate, ou votre session a expiré.',
    hint: 'Rouvrez l’activité depuis votre cours (FUN, Moodle…).',
  }),
  WEB_CSRF: () => ({
    message: 'Ce formulaire a été refusé : il ne vient pas d’une page de labgate, ou il est trop ancien.',
    hint: 'Rechargez la page et réessayez.',
  }),
  INTERNAL: () => ({
    message:
      'Une erreur interne s’est produite dans labgate ; elle a été journalisée (voir le numéro de requête).',
    hint: tellTeacher,
  }),
};

export function frenchText(e: AppError): Text | undefined {
  return texts[e.code]?.(e);
}
