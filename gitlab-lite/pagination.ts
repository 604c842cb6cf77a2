import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * GitLab's offset pagination (lib/gitlab/pagination/offset_pagination.rb): X-* headers, empty
 * X-Next-Page/X-Prev-Page when there is none, and a Link header in prev, next, first, last order.
 */
export function paginate<T>(request: FastifyRequest, reply: FastifyReply, baseUrl: string, items: T[]): T[] {
  const q = (request.query ?? {}) as Record<string, string>;
  const perPage = Math.min(100, Math.max(1, Number.parseInt(q.per_page ?? '20', 10) || 20));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const link = (p: number) => {
    const url = new URL(baseUrl + request.url.split('?')[0]);
    for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(perPage));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < totalPages) links.push(`<${link(page + 1)}>; rel="next"`);
  links.push(`<${link(1)}>; rel="first"`, `<${link(totalPages)}>; rel="last"`);
  reply.headers({
    'x-per-page': String(perPage),
    'x-page': String(page),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
    link: links.join(', '),
  });
  return items.slice((page - 1) * perPage, page * perPage);
}
