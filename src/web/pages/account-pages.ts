import type { Lang } from '../i18n.ts';
import { accountWords } from './account-words.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

/** How the forge learns of a sign-out: in labgate's redirect chain (gitlab-lite), by hand (GitLab), or no forge. */
export type ForgeSignOut = 'chained' | 'by-hand' | 'none';

/** The small Sign out form at the top of every labgate page of a signed-in person. */
export function signOutBar(lang: Lang, csrfToken: string): SafeHtml {
  return html`<form class="account" method="post" action="/sign-out" data-testid="sign-out-bar">
    <input type="hidden" name="_csrf" value="${csrfToken}" />
    <input type="hidden" name="lang" value="${lang}" />
    <button type="submit" data-testid="sign-out">${accountWords[lang].signOut}</button>
  </form>`;
}

/** `GET /sign-out`: with a session, a confirmation that posts; without, what signing out did. */
export function signOutPage(o: {
  lang: Lang;
  csrfToken: string | undefined;
  forge: ForgeSignOut;
  /** The redirect chain came back from the forge's sign-out. */
  forgeSignedOut: boolean;
}): string {
  const t = accountWords[o.lang];
  if (o.csrfToken)
    return page({
      title: t.confirmTitle,
      lang: o.lang,
      body: html`<h1>${t.confirmTitle}</h1>
        <p>${t.confirmText}</p>
        <form method="post" action="/sign-out">
          <input type="hidden" name="_csrf" value="${o.csrfToken}" />
          <input type="hidden" name="lang" value="${o.lang}" />
          <button class="primary" type="submit" data-testid="confirm-sign-out">${t.signOut}</button>
          <a class="button" href="/home?lang=${o.lang}">${t.cancel}</a>
        </form>`,
    });
  const done = o.forge === 'chained' && o.forgeSignedOut ? t.doneWithForge : t.doneLabgate;
  return page({
    title: t.doneTitle,
    lang: o.lang,
    body: html`<h1 data-testid="signed-out">${t.doneTitle}</h1>
      <p>${done}</p>
      ${o.forge === 'by-hand' ? html`<p>${t.forgeByHand}</p>` : ''}
      <p>${t.comeBack}</p>`,
  });
}

/** `GET /home/reset`: what resetting does (the files are kept), and the button that does it. */
export function resetPage(o: { lang: Lang; csrfToken: string; workspaceId: string | undefined }): string {
  const t = accountWords[o.lang];
  const back = html`<a class="button" href="/home?lang=${o.lang}"
    >${o.workspaceId ? t.cancel : t.backHome}</a
  >`;
  return page({
    title: t.resetTitle,
    lang: o.lang,
    body: o.workspaceId
      ? html`<h1>${t.resetTitle}</h1>
          <p data-testid="reset-kept"><strong>${t.resetKept}</strong></p>
          <p>${t.resetFresh}</p>
          <p>${t.resetSaveFirst}</p>
          <form method="post" action="/launch/${o.workspaceId}/reset">
            <input type="hidden" name="_csrf" value="${o.csrfToken}" />
            <button class="primary" type="submit" data-testid="confirm-reset">${t.resetButton}</button>
            ${back}
          </form>`
      : html`<h1>${t.resetTitle}</h1>
          <p data-testid="no-workspace">${t.noWorkspace}</p>
          <p>${back}</p>`,
  });
}

/** A page of a workspace opened by someone no longer signed in (they signed out, or their session ended). */
export function workspaceSignedOutPage(lang: Lang): string {
  const t = accountWords[lang];
  return page({
    title: t.doneTitle,
    lang,
    body: html`<h1 data-testid="signed-out">${t.doneTitle}</h1>
      <p>${t.workspaceSignedOut}</p>`,
  });
}
