import type { Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const texts = {
  en: {
    signInTitle: 'Sign in through your course',
    signInBody: (client: string) =>
      `${client} asks labgate who you are, but you are not signed in to labgate in this browser.`,
    signInHow:
      'Open your course in your LMS (FUN, Moodle…) and click the exercise’s activity: labgate signs you in there. Then come back here, or use the “Open in GitLab” button of your workspace.',
    directLogin: (name: string) => `Or sign in with ${name}`,
    consentTitle: 'Allow access?',
    consentBody: (client: string) => `${client} asks for your name, your username and your e-mail address.`,
    allow: 'Allow',
    deny: 'Refuse',
    errorTitle: 'The sign-in could not go on',
    errors: {
      invalid_client: 'The application asking is not registered with labgate.',
      invalid_redirect_uri: 'The application asked to send you back to an address it did not register.',
      invalid_request: 'The application’s request was incomplete or malformed.',
      access_denied: 'Access was refused.',
      invalid_grant: 'This sign-in link was already used or has expired.',
      login_required: 'You need to sign in through your course first.',
    } as Record<string, string>,
    errorHint: 'Go back to the application and try again; if it keeps failing, tell the administrators.',
  },
  fr: {
    signInTitle: 'Connectez-vous par votre cours',
    signInBody: (client: string) =>
      `${client} demande à labgate qui vous êtes, mais vous n’êtes pas connecté·e à labgate dans ce navigateur.`,
    signInHow:
      'Ouvrez votre cours sur votre plateforme (FUN, Moodle…) et cliquez sur l’activité de l’exercice : labgate vous y connecte. Revenez ensuite ici, ou utilisez le bouton « Ouvrir dans GitLab » de votre espace.',
    directLogin: (name: string) => `Ou connectez-vous avec ${name}`,
    consentTitle: 'Autoriser l’accès ?',
    consentBody: (client: string) =>
      `${client} demande votre nom, votre identifiant et votre adresse électronique.`,
    allow: 'Autoriser',
    deny: 'Refuser',
    errorTitle: 'La connexion n’a pas pu continuer',
    errors: {
      invalid_client: 'L’application qui demande n’est pas enregistrée auprès de labgate.',
      invalid_redirect_uri:
        'L’application a demandé à vous renvoyer vers une adresse qu’elle n’a pas enregistrée.',
      invalid_request: 'La demande de l’application était incomplète ou mal formée.',
      access_denied: 'L’accès a été refusé.',
      invalid_grant: 'Ce lien de connexion a déjà servi ou a expiré.',
      login_required: 'Vous devez d’abord vous connecter par votre cours.',
    } as Record<string, string>,
    errorHint: 'Revenez à l’application et réessayez ; si cela continue, prévenez les administrateurs.',
  },
};

export function signInThroughCoursePage(lang: Lang, client: string, direct?: { name: string; href: string }) {
  const t = texts[lang];
  return page({
    title: t.signInTitle,
    lang,
    body: html`<h1>${t.signInTitle}</h1>
      <p data-testid="oidc-sign-in">${t.signInBody(client)}</p>
      <p>${t.signInHow}</p>
      ${
        direct
          ? html`<p>
              <a class="button primary" data-testid="direct-login" href="${direct.href}"
                >${t.directLogin(direct.name)}</a
              >
            </p>`
          : ''
      }`,
  });
}

export function consentPage(lang: Lang, client: string, action: string) {
  const t = texts[lang];
  return page({
    title: t.consentTitle,
    lang,
    body: html`<h1>${t.consentTitle}</h1>
      <p>${t.consentBody(client)}</p>
      <form method="post" action="${action}">
        <button class="primary" name="decision" value="allow" data-testid="oidc-allow">${t.allow}</button>
        <button name="decision" value="deny">${t.deny}</button>
      </form>`,
  });
}

/** An OAuth error shown to the person (the standard code stays visible for whoever helps them). */
export function oidcErrorPage(lang: Lang, error: string, description: string | undefined) {
  const t = texts[lang];
  return page({
    title: t.errorTitle,
    lang,
    body: html`<h1>${t.errorTitle}</h1>
      <p data-testid="oidc-error">${t.errors[error] ?? description ?? error}</p>
      ${description && t.errors[error] ? html`<p class="muted">${description}</p>` : ''}
      <p>${t.errorHint}</p>
      <p class="muted">OAuth: <code>${error}</code></p>`,
  });
}
