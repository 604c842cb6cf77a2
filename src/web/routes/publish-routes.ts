import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AssignmentStore } from '../../courses/index.ts';
import type { AppError } from '../../errors.ts';
import {
  publishAssignment,
  publishErrors,
  suggestSlug,
  type CourseTemplates,
  type PublishDeps,
  type PublishProblem,
  type WorkspaceImages,
} from '../../flows/index.ts';
import { frenchText } from '../error-texts-fr.ts';
import { isFormBody } from '../form-body.ts';
import { isMultipartBody, registerMultipartParser } from '../multipart-body.ts';
import { publishPage, type FormField, type PublishFormValues } from '../pages/publish-page.ts';
import { publishWords } from '../pages/publish-words.ts';
import { isTimeZone, timeZones, zonedTime } from '../zoned-time.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface PublishRouteDeps extends CourseStaffDeps {
  assignments: Pick<AssignmentStore, 'findAssignment' | 'addAssignment'>;
  images: WorkspaceImages;
  now: () => number;
  /** Absent without a forge: the pages then say publishing needs one. */
  publishing: { forge: NonNullable<PublishDeps['forge']>; templates: CourseTemplates } | undefined;
  maxUploadBytes: number;
}

type Problem = { field: FormField; error: AppError };
const fieldNames = [
  'title',
  'slug',
  'template',
  'newTemplate',
  'openFile',
  'image',
  'deadline',
  'timezone',
  'latePolicy',
];

function readValues(p: URLSearchParams): PublishFormValues {
  const get = (k: string) => (p.get(k) ?? '').slice(0, 1000);
  return {
    title: get('title'),
    slug: get('slug'),
    template: get('template').trim(),
    newTemplate: get('newTemplate'),
    openFile: get('openFile').trim(),
    image: get('image'),
    deadline: get('deadline').trim(),
    timezone: get('timezone').trim() || 'UTC',
    latePolicy: get('latePolicy') || 'accept',
  };
}

/** The deadline as an instant, from a datetime-local value read in the chosen time zone. */
function readDeadline(v: PublishFormValues): { deadline?: number; problems: PublishProblem[] } {
  if (!v.deadline) return { problems: [] };
  if (!isTimeZone(v.timezone))
    return { problems: [{ field: 'timezone', error: publishErrors.timezoneUnknown(v.timezone) }] };
  const deadline = zonedTime(v.deadline, v.timezone);
  if (deadline === undefined)
    return { problems: [{ field: 'deadline', error: publishErrors.deadlineInvalid(v.deadline) }] };
  return { deadline, problems: [] };
}

/** Staff pages to publish an exercise: the form, a new empty template, an upload into it, the publishing. */
export function registerPublishRoutes(server: FastifyInstance, deps: PublishRouteDeps) {
  const courseStaffOf = courseStaff(deps);
  async function staff(request: FastifyRequest) {
    const s = await courseStaffOf(request, (request.params as { courseId: string }).courseId);
    if (!deps.publishing) throw publishErrors.noForge();
    return { ...s, publishing: deps.publishing };
  }

  type Context = Awaited<ReturnType<typeof staff>>;

  async function render(
    reply: FastifyReply,
    c: Context,
    o: { values: PublishFormValues; problems: Problem[]; notice?: string; zoneGuessed?: boolean },
  ) {
    const { templates, forge } = c.publishing;
    const account = await templates.forgeAccount(c.session.userId);
    const localized = (e: AppError) => (c.lang === 'fr' ? frenchText(e) : undefined) ?? e;
    const body = publishPage({
      lang: c.lang,
      courseId: c.course.id,
      courseTitle: c.course.title,
      csrfToken: c.session.csrfToken,
      forgeUrl: forge.url,
      values: o.values,
      zoneGuessed: o.zoneGuessed ?? false,
      problems: o.problems.map((p) => {
        const text = localized(p.error);
        return { field: p.field, message: text.message, hint: text.hint };
      }),
      // Suggestions help; the form works without them (e.g. a token without the sudo scope).
      suggestions: await templates.suggestions(account).catch((err: unknown) => {
        reply.log.warn({ err }, 'template suggestions failed');
        return [];
      }),
      accountMissing: !account,
      template: o.values.template ? await templates.courseTemplate(c.course, o.values.template) : undefined,
      notice: o.notice,
      images: deps.images,
      zones: timeZones(),
      maxUploadMb: Math.floor(deps.maxUploadBytes / 2 ** 20),
    });
    return reply
      .status(o.problems.length ? 400 : 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(body);
  }

  /** After a change: back to the form, its values in the address (a reload changes nothing). */
  function backToForm(
    reply: FastifyReply,
    c: Context,
    values: PublishFormValues,
    extra: Record<string, string>,
  ) {
    const q = new URLSearchParams({ lang: c.lang });
    for (const k of fieldNames) {
      const value = values[k as keyof PublishFormValues];
      if (value && k !== 'newTemplate') q.set(k, value);
    }
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return reply.redirect(`/courses/${encodeURIComponent(c.course.id)}/publish?${q}#template-choice`, 303);
  }

  const fields = (request: FastifyRequest) =>
    isFormBody(request.body) ? request.body.fields : new URLSearchParams();

  server.get('/courses/:courseId/publish', async (request, reply) => {
    const c = await staff(request);
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const values = readValues(query);
    const t = publishWords[c.lang];
    const uploaded = Number(query.get('uploaded') ?? 0);
    const notice =
      uploaded > 0
        ? t.uploaded(uploaded, values.template)
        : query.get('created') === '1'
          ? t.created(values.template)
          : undefined;
    return render(reply, c, { values, problems: [], zoneGuessed: !query.get('timezone'), notice });
  });

  server.post('/courses/:courseId/publish', async (request, reply) => {
    const c = await staff(request);
    const values = readValues(fields(request));
    const { deadline, problems } = readDeadline(values);
    const reader = await c.publishing.templates.forgeAccount(c.session.userId);
    if (!reader) problems.push({ field: 'template', error: publishErrors.noForgeAccount() });
    const outcome = await publishAssignment(
      { assignments: deps.assignments, forge: c.publishing.forge, images: deps.images, now: deps.now },
      {
        courseId: c.course.id,
        title: values.title,
        slug: values.slug,
        template: values.template,
        openFile: values.openFile,
        image: values.image,
        deadline,
        latePolicy: values.latePolicy,
        ...(reader ? { reader } : {}),
        known: problems,
      },
    );
    if ('refused' in outcome) return render(reply, c, { values, problems: outcome.refused });
    const q = new URLSearchParams({ lang: c.lang, published: outcome.published.slug });
    return reply.redirect(`/courses/${encodeURIComponent(c.course.id)}?${q}`, 303);
  });

  server.post('/courses/:courseId/publish/template', async (request, reply) => {
    const c = await staff(request);
    const values = readValues(fields(request));
    const name = values.newTemplate.trim() || values.slug.trim() || suggestSlug(values.title);
    const made = await c.publishing.templates.createTemplate(c.course, name);
    if ('refused' in made)
      return render(reply, c, { values, problems: [{ field: 'newTemplate', error: made.refused }] });
    return backToForm(reply, c, { ...values, template: made.project.pathWithNamespace }, { created: '1' });
  });

  // Uploads are the only multipart forms labgate takes: the parser lives in this scope only.
  void server.register(async (scope) => {
    registerMultipartParser(scope, deps.maxUploadBytes + 1024 * 1024);
    scope.post('/courses/:courseId/publish/upload', async (request, reply) => {
      const c = await staff(request);
      const body = isMultipartBody(request.body) ? request.body : undefined;
      const values = readValues(body?.fields ?? new URLSearchParams());
      const files = (body?.files ?? []).filter((f) => f.field === 'files');
      const done = await c.publishing.templates.upload(
        c.course,
        values.template,
        files.map((f) => ({ name: f.filename, content: f.content })),
      );
      if ('refused' in done)
        return render(reply, c, { values, problems: [{ field: 'files', error: done.refused }] });
      return backToForm(reply, c, values, { uploaded: String(files.length) });
    });
  });
}
