import type { SimulatorLink } from '../../simulator/index.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const radio = (name: string, value: string, label: string, checked = false) =>
  html`<label
    ><input type="radio" name="${name}" value="${value}" ${checked ? html`checked` : ''} /> ${label}</label
  >`;

/** A teacher adds labgate content (LTI 1.3 deep linking); learners launch the links it made. */
function deepLinkingSection(links: SimulatorLink[], linked: string | undefined) {
  const item = (l: SimulatorLink) =>
    html`<li data-link="${l.id}" ${l.id === linked ? html`data-testid="linked"` : ''}>
      <strong>${l.title}</strong>
      <span class="muted"
        >(${l.flavour === 'moodle' ? 'Moodle' : 'FUN / Open edX'}) custom:
        ${Object.entries(l.custom).map(([k, v]) => html`<code>${k}=${v}</code> `)}</span
      >
      <form method="get" action="/simulator/lti13/launch">
        <input type="hidden" name="link" value="${l.id}" />
        <input type="hidden" name="role" value="learner" />
        <input type="hidden" name="flavour" value="${l.flavour}" />
        <input type="hidden" name="locale" value="${l.locale}" />
        <label
          >Learner id
          <input
            type="text"
            name="userId"
            maxlength="200"
            placeholder="empty: Alice Martin"
            data-testid="link-user-id"
        /></label>
        <button type="submit" data-testid="launch-link">Launch as learner</button>
      </form>
    </li>`;
  return html`
    <h2 id="links">Course content linked by deep linking (LTI 1.3)</h2>
    <form method="get" action="/simulator/lti13/deep-linking">
      <input type="hidden" name="role" value="teacher" />
      <label
        >LMS
        <select name="flavour" data-testid="deep-link-flavour">
          <option value="moodle" selected>Moodle</option>
          <option value="openedx">FUN / Open edX</option>
        </select></label
      >
      <label
        >Language
        <select name="locale" data-testid="deep-link-locale">
          <option value="fr" selected>Français</option>
          <option value="en">English</option>
        </select></label
      >
      <button class="primary" type="submit" data-testid="deep-link">
        Add labgate content (deep linking) as Bernard Dupont, teacher
      </button>
    </form>
    ${
      links.length === 0
        ? html`<p class="muted" data-testid="no-links">No link yet.</p>`
        : html`<ul data-testid="links">
            ${links.map(item)}
          </ul>`
    }
  `;
}

/** The LMS simulator: pick who you are and how the LMS launches, then perform a real signed launch. */
export function simulatorPage(o: { returned: boolean; links: SimulatorLink[]; linked?: string }): string {
  return page({
    title: 'LMS simulator',
    lang: 'en',
    body: html`
      <h1>LMS simulator</h1>
      <p class="muted">
        Performs real LTI launches into labgate, signed like FUN/Open edX or Moodle would sign them, for the
        demo course “Recherche reproductible (démo)”.
      </p>
      <p>
        <a href="/simulator/gradebook" data-testid="gradebook-link"
          >Gradebook: the grades labgate sent back · Carnet de notes</a
        >
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
      ${deepLinkingSection(o.links, o.linked)}
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
