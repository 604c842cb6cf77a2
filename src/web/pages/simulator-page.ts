import { html } from './html.ts';
import { page } from './layout.ts';

const radio = (name: string, value: string, label: string, checked = false) =>
  html`<label
    ><input type="radio" name="${name}" value="${value}" ${checked ? html`checked` : ''} /> ${label}</label
  >`;

/** The LMS simulator: pick who you are and how the LMS launches, then perform a real signed launch. */
export function simulatorPage(o: { returned: boolean }): string {
  return page({
    title: 'LMS simulator',
    lang: 'en',
    body: html`
      <h1>LMS simulator</h1>
      <p class="muted">
        Performs real LTI launches into labgate, signed like FUN/Open edX or Moodle would sign them, for the
        demo course “Recherche reproductible (démo)”.
      </p>
      ${o.returned ? html`<p data-testid="returned">You came back from labgate to the course.</p>` : ''}
      <form method="get" action="/simulator/launch">
        <fieldset>
          <legend>LTI version</legend>
          ${radio('version', '1.1', 'LTI 1.1 (OAuth 1.0 signature)', true)}
          ${radio('version', '1.3', 'LTI 1.3 (OIDC + JWT)')}
        </fieldset>
        <fieldset>
          <legend>LMS</legend>
          ${radio('flavour', 'openedx', 'FUN / Open edX', true)} ${radio('flavour', 'moodle', 'Moodle')}
        </fieldset>
        <fieldset>
          <legend>Launch as</legend>
          ${radio('role', 'learner', 'Learner — Alice Martin', true)}
          ${radio('role', 'teacher', 'Teacher — Bernard Dupont')}
          <br />
          <label>Name override <input type="text" name="name" maxlength="200" /></label>
          <br />
          <label
            >Learner id
            <input
              type="text"
              name="userId"
              maxlength="200"
              list="simulator-learners"
              placeholder="another id: another learner of the same course"
              data-testid="user-id"
          /></label>
          <datalist id="simulator-learners">
            ${['learner-2', 'learner-3', 'learner-4', 'learner-5'].map((id) => html`<option value="${id}"></option>`)}
          </datalist>
        </fieldset>
        <fieldset>
          <legend>Language</legend>
          ${radio('locale', 'fr', 'Français', true)} ${radio('locale', 'en', 'English')}
        </fieldset>
        <button class="primary" type="submit" data-testid="launch">Launch</button>
      </form>
    `,
  });
}

/** What an LMS renders to launch a tool: a form that posts itself at once, so the signature is fresh. */
export function autoPostPage(action: string, fields: Array<[string, string]>): string {
  return page({
    title: 'Launching…',
    lang: 'en',
    body: html`
      <form method="post" action="${action}" id="launch">
        ${fields.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
        <noscript><button type="submit">Continue</button></noscript>
      </form>
      <p>Launching labgate…</p>
      <script>
        document.getElementById('launch').submit();
      </script>
    `,
  });
}
