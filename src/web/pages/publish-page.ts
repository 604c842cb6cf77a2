import type { ForgeProjectChoice } from '../../forge/index.ts';
import type { CourseTemplate, PublishField } from '../../flows/index.ts';
import type { Lang } from '../i18n.ts';
import { html, SafeHtml } from './html.ts';
import { page } from './layout.ts';
import { publishWords, type PublishWords } from './publish-words.ts';

export type FormField = PublishField | 'newTemplate' | 'files';

/** What the teacher typed, kept as typed when something is refused. */
export interface PublishFormValues {
  title: string;
  slug: string;
  template: string;
  newTemplate: string;
  openFile: string;
  image: string;
  deadline: string;
  timezone: string;
  latePolicy: string;
}

export interface PublishView {
  lang: Lang;
  courseId: string;
  courseTitle: string;
  csrfToken: string;
  forgeUrl: string;
  values: PublishFormValues;
  /** The time zone was not chosen yet: the browser's replaces it. */
  zoneGuessed: boolean;
  problems: Array<{ field: FormField; message: string; hint: string | undefined }>;
  suggestions: ForgeProjectChoice[];
  accountMissing: boolean;
  /** The chosen template, when it was made here: git commands and the upload form go with it. */
  template: CourseTemplate | undefined;
  notice: string | undefined;
  images: { default: string | undefined; others: string[] };
  zones: string[];
  maxUploadMb: number;
}

const style = new SafeHtml(`<style>
  .problem { color: #a1122a; margin: .2rem 0 .6rem; } .problem small { color: #5b6472; display: block; }
  .summary { border: 1px solid #a1122a; border-radius: 6px; padding: .5rem 1rem; }
  .notice { border: 1px solid #2f7d32; border-radius: 6px; padding: .5rem 1rem; }
  .field { margin: .4rem 0; } .field label { display: block; font-weight: 600; }
  .help { color: #5b6472; font-size: .9rem; display: block; }
  pre { background: #eef0f3; padding: .6rem; border-radius: 4px; overflow-x: auto; }
  .offscreen { position: absolute; left: -9999px; }
</style>`);

// Slug suggested from the title until the teacher types one; the browser's time zone when none was chosen.
const script = new SafeHtml(`<script>
(() => {
  const f = document.getElementById('publish-form');
  const title = f.elements.title, slug = f.elements.slug, zone = f.elements.timezone;
  let typed = slug.value !== '';
  const suggest = (t) => t.normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-').replace(/^[-_]+/, '').slice(0, 60).replace(/-+$/, '');
  slug.addEventListener('input', () => { typed = slug.value !== ''; });
  title.addEventListener('input', () => { if (!typed) slug.value = suggest(title.value); });
  if (zone.dataset.guess === '1') {
    try { zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || zone.value; } catch (e) {}
  }
})();
</script>`);

function fieldParts(v: PublishView, field: FormField) {
  const mine = v.problems.filter((p) => p.field === field);
  const id = `${field}-problem`;
  return {
    attrs: mine.length ? new SafeHtml(` aria-invalid="true" aria-describedby="${id}"`) : '',
    problem: mine.length
      ? html`<div class="problem" id="${id}" role="alert">
          ${mine.map((p) => html`<p>${p.message}${p.hint ? html`<small>${p.hint}</small>` : ''}</p>`)}
        </div>`
      : '',
  };
}

function text(
  v: PublishView,
  field: keyof PublishFormValues & FormField,
  label: string,
  help: string,
  extra = '',
) {
  const f = fieldParts(v, field);
  return html`<div class="field">
    <label for="${field}">${label}</label>
    <input
      type="text"
      id="${field}"
      name="${field}"
      value="${v.values[field]}"
      ${f.attrs}${new SafeHtml(extra)}
    />
    <span class="help">${help}</span>${f.problem}
  </div>`;
}

function templateBox(v: PublishView, t: PublishWords) {
  const tpl = v.template;
  if (!tpl) return '';
  const p = tpl.project;
  const folder = p.pathWithNamespace.split('/').pop()!;
  const state = tpl.latest
    ? t.hasCommit(p.pathWithNamespace, tpl.latest.sha.slice(0, 8), tpl.latest.committedAt)
    : t.waiting(p.pathWithNamespace);
  const files = fieldParts(v, 'files');
  return html`<div data-testid="template-box" data-empty="${tpl.latest ? 'no' : 'yes'}">
    <p><strong>${state}</strong></p>
    <p>${t.gitIntro}</p>
    <pre data-testid="git-commands">
git clone ${p.httpUrl}
cd ${folder}
${t.copyHere}
git add .
git commit -m "${t.firstCommit}"
git push origin HEAD:${p.defaultBranch}</pre>
    <p>${t.upload}</p>
    <input type="file" name="files" multiple${files.attrs} />
    <button
      type="submit"
      formaction="/courses/${encodeURIComponent(v.courseId)}/publish/upload?lang=${v.lang}"
      formenctype="multipart/form-data"
      formnovalidate
    >
      ${t.uploadButton}
    </button>
    <span class="help">${t.uploadHelp(v.maxUploadMb)}</span>${files.problem}
  </div>`;
}

function imageField(v: PublishView, t: PublishWords) {
  const f = fieldParts(v, 'image');
  const option = (value: string, label: string) =>
    html`<option value="${value}" ${v.values.image === value ? new SafeHtml(' selected') : ''}>
      ${label}
    </option>`;
  return html`<fieldset>
    <legend>${t.workspace}</legend>
    <div class="field">
      <label for="image">${t.image}</label>
      <select id="image" name="image" ${f.attrs}>
        ${option('', t.defaultImage(v.images.default))}
        ${v.images.others.filter((i) => i !== v.images.default).map((i) => option(i, i))}
        ${v.values.image && v.values.image !== v.images.default && !v.images.others.includes(v.values.image) ? option(v.values.image, v.values.image) : ''}
      </select>
      ${v.images.default ? '' : html`<span class="help">${t.noWorkspaces}</span>`}${f.problem}
    </div>
    ${text(v, 'openFile', t.openFile, t.openFileHelp, ' maxlength="255" autocomplete="off" placeholder="ex1.ipynb"')}
  </fieldset>`;
}

function deadlineField(v: PublishView, t: PublishWords) {
  const d = fieldParts(v, 'deadline');
  const z = fieldParts(v, 'timezone');
  const l = fieldParts(v, 'latePolicy');
  const radio = (value: string, label: string) =>
    html`<label
      ><input
        type="radio"
        name="latePolicy"
        value="${value}"
        ${v.values.latePolicy === value ? new SafeHtml(' checked') : ''}
      />
      ${label}</label
    >`;
  return html`<fieldset>
    <legend>${t.deadline}</legend>
    <div class="field">
      <label for="deadline">${t.deadlineAt}</label>
      <input type="datetime-local" id="deadline" name="deadline" value="${v.values.deadline}" ${d.attrs} />
      ${d.problem}
      <label for="timezone">${t.zone}</label>
      <input
        type="text"
        id="timezone"
        name="timezone"
        list="zones"
        value="${v.values.timezone}"
        data-guess="${v.zoneGuessed ? '1' : '0'}"
        ${z.attrs}
      />
      <datalist id="zones">${v.zones.map((zone) => html`<option value="${zone}"></option>`)}</datalist>
      <span class="help">${t.deadlineHelp}</span>${z.problem}
    </div>
    <p><strong>${t.late}</strong></p>
    ${radio('accept', t.accept)} ${radio('lock', t.lock)} ${l.problem}
  </fieldset>`;
}

/** The form to publish an exercise: every refusal shown beside its field, every value kept. */
export function publishPage(v: PublishView): string {
  const t = publishWords[v.lang];
  const course = `/courses/${encodeURIComponent(v.courseId)}`;
  const tpl = fieldParts(v, 'template');
  const fresh = fieldParts(v, 'newTemplate');
  return page({
    title: t.heading(v.courseTitle),
    lang: v.lang,
    body: html`${style}
      <h1>${t.heading(v.courseTitle)}</h1>
      <p><a href="${course}?lang=${v.lang}#publish">${t.back}</a></p>
      ${
        v.problems.length
          ? html`<div class="summary" role="alert" data-testid="refused">
              <p><strong>${t.refused(v.problems.length)}</strong></p>
              <ul>
                ${v.problems.map((p) => html`<li><a href="#${p.field}">${p.message}</a></li>`)}
              </ul>
            </div>`
          : ''
      }
      ${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
      <form id="publish-form" method="post" action="${course}/publish?lang=${v.lang}">
        <input type="hidden" name="_csrf" value="${v.csrfToken}" />
        <button type="submit" class="offscreen" tabindex="-1" aria-hidden="true">${t.publish}</button>
        <fieldset>
          <legend>${t.exercise}</legend>
          ${text(v, 'title', t.title, t.titleHelp, ' required maxlength="255"')}
          ${text(v, 'slug', t.slug, t.slugHelp, ' maxlength="60" autocomplete="off"')}
        </fieldset>
        <fieldset id="template-choice">
          <legend>${t.template}</legend>
          <p class="help">${t.templateIntro}</p>
          ${v.accountMissing ? html`<p class="help">${t.noAccount}</p>` : ''}
          <div class="field">
            <label for="template">${t.existing}</label>
            <input
              type="text"
              id="template"
              name="template"
              list="templates"
              value="${v.values.template}"
              autocomplete="off"
              ${tpl.attrs}
            />
            <datalist id="templates">
              ${v.suggestions.map((s) => html`<option value="${s.pathWithNamespace}">${s.name}</option>`)}
            </datalist>
            <span class="help">${t.existingHelp(v.forgeUrl)}</span>${tpl.problem}
          </div>
          ${templateBox(v, t)}
          <p><em>${t.or}</em></p>
          <div class="field">
            <label for="newTemplate">${t.fresh}</label>
            <input
              type="text"
              id="newTemplate"
              name="newTemplate"
              value="${v.values.newTemplate}"
              ${fresh.attrs}
            />
            <button type="submit" formaction="${course}/publish/template?lang=${v.lang}" formnovalidate>
              ${t.create}
            </button>
            <span class="help">${t.freshHelp}</span>${fresh.problem}
          </div>
        </fieldset>
        ${imageField(v, t)} ${deadlineField(v, t)}
        <p><button type="submit" class="primary">${t.publish}</button></p>
      </form>
      ${script}`,
  });
}
