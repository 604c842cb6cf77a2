import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors.ts';
import { frenchText } from './error-texts-fr.ts';
import { pickLang } from './i18n.ts';
import type { SessionStore } from '../identity/index.ts';
import { errorPage } from './pages/error-page.ts';
import { readSessionId } from './session-cookie.ts';
import { webErrors } from './web-errors.ts';

/** Fastify's own faults, translated into messages a person can act on. */
function fromFastify(err: FastifyError): AppError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return webErrors.tooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return webErrors.formType();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return webErrors.badRequest(err.message);
  }
  if (err.validation) return webErrors.badRequest(err.message);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return webErrors.badRequest(err.message);
  return undefined;
}

/** The person's session, when the request has one: its language is their LMS's. */
type SessionLocale = (request: FastifyRequest) => Promise<string | undefined>;

async function send(request: FastifyRequest, reply: FastifyReply, e: AppError, locale?: SessionLocale) {
  const lang = pickLang({
    query: (request.query as { lang?: string } | undefined)?.lang,
    session: await locale?.(request).catch(() => undefined),
    acceptLanguage: request.headers['accept-language'],
  });
  const fr = lang === 'fr' ? frenchText(e) : undefined;
  const view = {
    lang: fr ? ('fr' as const) : ('en' as const),
    status: e.status,
    code: e.code,
    message: fr?.message ?? e.message,
    hint: fr ? fr.hint : e.hint,
    details: e.details,
  };
  reply.status(e.status);
  if (request.headers.accept?.includes('application/json') && !request.headers.accept.includes('text/html')) {
    return reply.send({ error: { code: e.code, message: e.message, hint: e.hint, details: e.details } });
  }
  return reply.type('text/html; charset=utf-8').send(errorPage(view));
}

/** The one place where faults become HTTP answers: typed errors keep their status, anything else is a 500. */
export function registerErrorHandling(
  server: FastifyInstance,
  o: { sessions?: Pick<SessionStore, 'findSession'> } = {},
) {
  const locale: SessionLocale = async (request) => {
    const id = readSessionId(request);
    return id ? (await o.sessions?.findSession(id))?.locale : undefined;
  };
  server.setErrorHandler((err: FastifyError, request, reply) => {
    const known = isAppError(err) ? err : fromFastify(err);
    if (known) {
      request.log.info({ code: known.code, status: known.status }, 'request refused');
      return send(request, reply, known, locale);
    }
    request.log.error({ err }, 'unexpected error');
    return send(
      request,
      reply,
      new AppError({
        code: 'INTERNAL',
        status: 500,
        message: `Something went wrong inside labgate; it was logged as request ${request.id}.`,
        hint: 'Try again in a moment; if it keeps happening, give that request id to the labgate administrator.',
        details: { request: request.id },
      }),
      locale,
    );
  });
  server.setNotFoundHandler((request, reply) =>
    send(request, reply, webErrors.notFound(request.url.split('?')[0]!), locale),
  );
}
