import type { AppError } from '../errors.ts';

const d = (e: AppError, key: string) => String(e.details?.[key] ?? '');

/** French for the refusals of the roster's deadline and extension forms. */
export const teachingTextsFr: Record<string, (e: AppError) => { message: string; hint?: string }> = {
  WEB_NO_RECEIPT: () => ({
    message: 'Rien n’a encore été enregistré pour vous dans cet exercice.',
    hint: 'L’accusé de rendu apparaît une fois la date limite passée, pour le travail que GitLab a reçu de vous avant ; si vous n’avez jamais ouvert l’exercice depuis votre cours, ouvrez-le d’abord.',
  }),
  TEACHING_DEADLINE_PAST: (e) => ({
    message: `La date limite ${d(e, 'when')} (UTC) est déjà passée.`,
    hint: 'Donnez une date et une heure à venir.',
  }),
  TEACHING_BAD_TIME: (e) => ({
    message: `« ${d(e, 'value')} » n’est pas une date et une heure que labgate sait lire.`,
    hint: 'Écrivez-la sous la forme 2026-12-18T18:00 (avec un fuseau comme Europe/Paris), ou +N jours pour une prolongation.',
  }),
  TEACHING_BAD_ZONE: (e) => ({
    message: `« ${d(e, 'zone')} » n’est pas un fuseau horaire.`,
    hint: 'Utilisez un nom comme Europe/Paris, America/Montreal ou UTC.',
  }),
  TEACHING_NOT_IN_COURSE: (e) => ({
    message: `Aucun·e apprenant·e de ce cours ne correspond à « ${d(e, 'who')} ».`,
    hint: 'Donnez son nom, son courriel, son identifiant LMS ou son compte GitLab tels que la liste de classe les affiche ; une personne qui n’a jamais ouvert le cours depuis le LMS n’en fait pas encore partie.',
  }),
  TEACHING_AMBIGUOUS_LEARNER: (e) => ({
    message: `${d(e, 'count')} apprenant·es de ce cours correspondent à « ${d(e, 'who')} ».`,
    hint: 'Donnez plutôt son courriel, son identifiant LMS ou son compte GitLab.',
  }),
  TEACHING_NO_DEADLINE: () => ({
    message: 'Cet exercice n’a pas encore de date limite : « +N jours » ne peut pas se compter.',
    hint: 'Fixez d’abord la date limite de l’exercice, ou donnez la prolongation sous forme de date.',
  }),
  TEACHING_NO_SANDBOX: () => ({
    message:
      'Les copies se comparent et se mettent à jour dans des bacs à sable, et ce labgate n’a pas de moteur de conteneurs.',
    hint: 'L’administrateur doit régler WORKSPACE_DOCKER_SOCKET (voir le README) et redémarrer labgate.',
  }),
  PASSBACK_NOTHING_TO_SEND: () => ({
    message: 'Aucune note de cet·te apprenant·e n’est encore partie vers le LMS : il n’y a rien à renvoyer.',
    hint: 'Les notes partent vers le LMS une fois données ; rechargez la liste de classe pour voir où en est chacune.',
  }),
};
