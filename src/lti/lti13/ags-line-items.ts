import { z } from 'zod';
import { serviceUrlProblem } from '../grade-service.ts';
import { isSuccess, readJson, retry, statusFault, type ServiceResponse } from '../service-call.ts';

export const lineItemType = 'application/vnd.ims.lis.v2.lineitem+json';
export const lineItemContainerType = 'application/vnd.ims.lis.v2.lineitemcontainer+json';

const lineItem = z.object({
  id: z.string().refine((v) => serviceUrlProblem(v) === undefined, 'is not a usable http(s) URL'),
  label: z.string().optional(),
  scoreMaximum: z.number().optional(),
  resourceLinkId: z.string().optional(),
  resourceId: z.string().optional(),
  tag: z.string().optional(),
});
export type LineItem = z.infer<typeof lineItem>;

/** What labgate's line item for an assignment, under one resource link, looks like. */
export interface LineItemWanted {
  lineitems: string;
  resourceLinkId: string;
  assignment: { id: string; slug: string; title: string };
  scoreMaximum: number;
}

/** A call to the platform with a valid token (the caller renews it once on a 401). */
export type AuthorizedCall = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<ServiceResponse>;

/**
 * labgate's item among the platform's: ours by resourceId (the assignment id, or its slug when a
 * deep link made it) or tag; else the link's only item, which the teacher made for this activity.
 */
export function pickLineItem(items: LineItem[], w: LineItemWanted): LineItem | undefined {
  const ofLink = items.filter((i) => i.resourceLinkId === undefined || i.resourceLinkId === w.resourceLinkId);
  const ours = ofLink.find(
    (i) =>
      i.resourceId === w.assignment.id || i.resourceId === w.assignment.slug || i.tag === w.assignment.slug,
  );
  if (ours) return ours;
  const linked = items.filter((i) => i.resourceLinkId === w.resourceLinkId);
  return linked.length === 1 ? linked[0] : undefined;
}

const nextPage = (res: ServiceResponse): string | undefined =>
  /<([^>]+)>\s*;[^,]*\brel="?next"?/i.exec(res.headers.get('link') ?? '')?.[1];

const resolve = (href: string, base: string) => {
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
};

/** GET the container filtered by resource link, following `Link: rel="next"` for a few pages. */
export async function findLineItem(call: AuthorizedCall, w: LineItemWanted): Promise<string | undefined> {
  const first = new URL(w.lineitems);
  first.searchParams.append('resource_link_id', w.resourceLinkId);
  const items: LineItem[] = [];
  let url: string | undefined = first.href;
  for (let page = 0; url && page < 20; page++) {
    const res = await call(url, { method: 'GET', headers: { accept: lineItemContainerType } });
    if (!isSuccess(res)) throw statusFault(res);
    items.push(...readJson(res, z.array(lineItem), 'the line item list'));
    const next = nextPage(res);
    const resolved: string | undefined = next === undefined ? undefined : resolve(next, url);
    url = resolved && serviceUrlProblem(resolved) === undefined ? resolved : undefined;
  }
  return pickLineItem(items, w)?.id;
}

/** POST a line item for the assignment under the resource link; its id is where scores go. */
export async function createLineItem(call: AuthorizedCall, w: LineItemWanted): Promise<string> {
  const res = await call(w.lineitems, {
    method: 'POST',
    headers: { 'content-type': lineItemType, accept: lineItemType },
    body: JSON.stringify({
      label: w.assignment.title,
      scoreMaximum: w.scoreMaximum,
      resourceLinkId: w.resourceLinkId,
      tag: w.assignment.slug,
      resourceId: w.assignment.id,
    }),
  });
  if (!isSuccess(res)) throw statusFault(res);
  const made = readJson(res, lineItem, 'the new line item');
  if (!made.id) throw retry(`${res.where} made a line item without an id`);
  return made.id;
}

/** `{lineitem}/scores`, the path extended before any query string. */
export function scoresUrl(lineitem: string): string {
  const url = new URL(lineitem);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
  return url.href;
}
