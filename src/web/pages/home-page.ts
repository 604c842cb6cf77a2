import type { Receipt } from '../../flows/index.ts';
import type { Provisioning } from '../../forge/index.ts';
import { messages, type Lang } from '../i18n.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { feedbackLinks, type FeedbackLink } from './feedback-links.ts';
import { receiptsSection } from './receipt-page.ts';
import { workspaceSetupSection } from './workspace-setup-section.ts';
import type { ImageSetupView } from '../../workspaces/index.ts';

export interface HomeView {
  lang: Lang;
  userId: string;
  name: string | undefined;
  role: 'learner' | 'ta' | 'teacher' | undefined;
  courseTitle: string | undefined;
  courseId: string | undefined;
  via: string;
  returnUrl: string | undefined;
  csrfToken: string;
  /** This person's provisioning jobs (their fork, or their course group access). */
  provisionings: Provisioning[];
  /** Their submission receipts, newest deadline first. */
  receipts?: Receipt[];
  /** Assignments whose feedback they can read. */
  feedback?: FeedbackLink[];
  /** Their workspace in this course, when workspaces run and they have one. */
  workspace?: { id: string; status: 'starting' | 'running' | 'stopped' | 'failed' } | undefined;
  /** Where an "Open in GitLab" button goes for a forge page (through labgate, signed in as them). */
  forgeLink?: (webUrl: string) => string;
  /** `npm start`'s JupyterLab image as it is prepared (workspace-setup-section.ts). */
  workspaceSetup?: ImageSetupView | undefined;
}

/** Open my JupyterLab (a stopped one starts again: a POST) and Reset my environment. */
function workspaceSection(t: (typeof messages)[Lang], v: HomeView) {
  const ws = v.workspace;
  if (!ws) return '';
  const open =
    ws.status === 'running' || ws.status === 'starting'
      ? html`<a class="button primary" data-testid="open-jupyterlab" href="/launch/${ws.id}"
          >${t.openJupyter}</a
        >`
      : html`<form class="inline" method="post" action="/launch/${ws.id}/retry">
          <input type="hidden" name="_csrf" value="${v.csrfToken}" />
          <button class="primary" type="submit" data-testid="open-jupyterlab">${t.openJupyter}</button>
        </form>`;
  return html`<section data-testid="workspace" data-status="${ws.status}">
    <h2>${t.jupyterTitle}</h2>
    ${ws.status === 'stopped' ? html`<p class="muted">${t.jupyterStopped}</p>` : ''}
    <p class="actions">
      ${open}
      <a class="button" data-testid="reset-environment" href="/home/reset?lang=${v.lang}"
        >${t.resetEnvironment}</a
      >
    </p>
  </section>`;
}

function provisioningSection(
  t: (typeof messages)[Lang],
  jobs: Provisioning[],
  link: (url: string) => string,
) {
  if (!jobs.length) return '';
  const line = (j: Provisioning) => {
    if (j.status === 'failed')
      return html`<li data-testid="provisioning" data-status="failed">
        ${t.forgeFailed} ${j.error?.message ?? ''} ${t.forgeRelaunch}
      </li>`;
    if (j.status === 'done') {
      const where = j.kind === 'fork' ? j.state.fork?.pathWithNamespace : j.state.group?.fullPath;
      const webUrl = j.kind === 'fork' ? j.state.fork?.webUrl : j.state.group?.webUrl;
      return html`<li data-testid="provisioning" data-status="done">
        ${j.kind === 'fork' ? t.forkReady : t.staffReady} <code>${where ?? ''}</code>
        ${
          webUrl
            ? html`<a
                class="button"
                data-testid="open-in-gitlab"
                data-web-url="${webUrl}"
                href="${link(webUrl)}"
                target="_blank"
                rel="noopener"
                >${t.openInGitlab}</a
              >`
            : ''
        }
      </li>`;
    }
    return html`<li data-testid="provisioning" data-status="${j.status}">
      ${t.forgeStep[j.step]} ${j.error ? html`<span class="muted">${t.forgeRetrying}</span>` : ''}
    </li>`;
  };
  return html`<section>
    <h2>${t.forgeTitle}</h2>
    <ul>
      ${jobs.map(line)}
    </ul>
  </section>`;
}

/** The landing page after a launch: who you are, from which LMS and course. */
export function homePage(v: HomeView): string {
  const t = messages[v.lang];
  const other: Lang = v.lang === 'fr' ? 'en' : 'fr';
  // Until the live progress page exists, the page refreshes itself while a job is under way.
  const underWay = v.provisionings.some((j) => j.status === 'queued' || j.status === 'running');
  return page({
    title: t.signedInTitle,
    lang: v.lang,
    ...(underWay ? { refreshSeconds: 2 } : {}),
    body: html`
      <h1>${t.signedInTitle}</h1>
      <p data-testid="whoami">
        ${t.youAre} <strong data-testid="user-name">${v.name ?? t.unnamed}</strong>${
          v.role
            ? html`, ${t.asRole(t.role[v.role])}<strong data-testid="role">${t.role[v.role]}</strong>`
            : ''
        }${
          v.courseTitle
            ? html`, ${t.inCourse} ${t.quote[0]}<strong data-testid="course-title">${v.courseTitle}</strong
                >${t.quote[1]}`
            : ''
        },
        ${t.fromLms} <strong data-testid="lms">${v.via}</strong>.
      </p>
      <p class="muted">${t.yourId} <code data-testid="user-id">${v.userId}</code></p>
      ${
        v.courseId && (v.role === 'teacher' || v.role === 'ta')
          ? html`<p>
              <a
                class="button primary"
                data-testid="course-page"
                href="/courses/${encodeURIComponent(v.courseId)}?lang=${v.lang}"
                >${t.coursePage}</a
              >
            </p>`
          : ''
      }
      ${workspaceSetupSection(v.lang, v.workspaceSetup)} ${workspaceSection(t, v)}
      ${provisioningSection(t, v.provisionings, v.forgeLink ?? ((u) => u))}
      ${receiptsSection(v.lang, v.receipts ?? [])} ${feedbackLinks(v.lang, v.feedback ?? [])}
      <p>
        ${v.returnUrl ? html`<a class="button" href="${v.returnUrl}">${t.backToCourse}</a>` : ''}
        <a class="muted" href="/home?lang=${other}" hreflang="${other}">${t.otherLanguage}</a>
      </p>
    `,
  });
}

export function welcomePage(lang: Lang, simulatorEnabled: boolean, setup?: ImageSetupView): string {
  const t = messages[lang];
  return page({
    title: t.welcomeTitle,
    lang,
    body: html`
      <h1>${t.welcomeTitle}</h1>
      <p>${t.welcomeText}</p>
      ${simulatorEnabled ? html`<p><a class="button primary" href="/simulator">${t.simulatorLink}</a></p>` : ''}
      ${workspaceSetupSection(lang, setup)}
    `,
  });
}
