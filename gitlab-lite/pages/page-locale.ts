import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie } from '../web-session.ts';
import type { PageLocale } from './document-renderer.ts';

/** GitLab keeps a visitor's chosen language in this cookie until they set one in their preferences. */
export const languageCookie = 'preferred_language';

const supported = (v: unknown): PageLocale | undefined => (v === 'fr' || v === 'en' ? v : undefined);

/** The best of the browser's languages we have (`fr-CA;q=0.8, en;q=0.5` → fr), if any. */
export function fromAcceptLanguage(header: string | undefined): PageLocale | undefined {
  const ranked = (header ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked.map((r) => supported(r.lang)).find(Boolean);
}

/**
 * The language of a page: `?lang=` (remembered in the cookie), else the cookie, else the browser's
 * `Accept-Language`, else English. gitlab-lite keeps no per-user language preference.
 */
export function pageLocale(request: FastifyRequest, reply: FastifyReply): PageLocale {
  const asked = supported((request.query as { lang?: unknown } | undefined)?.lang);
  if (asked) {
    reply.header('set-cookie', `${languageCookie}=${asked}; Path=/; SameSite=Lax; Max-Age=31536000`);
    return asked;
  }
  return (
    supported(readCookie(request, languageCookie)) ??
    fromAcceptLanguage(request.headers['accept-language']) ??
    'en'
  );
}
