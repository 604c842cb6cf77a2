import { firstIssue, instantOf, lineItemBody, scoreBody } from './ags-bodies.ts';
import type { GradeColumn, GradeEndpoint, Gradebook } from './gradebook.ts';
import { agsScopes, type TokenEndpoint } from './token-endpoint.ts';

export const agsMedia = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItems: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  results: 'application/vnd.ims.lis.v2.resultcontainer+json',
} as const;

/** One AGS call as the route hands it over: the course and line item from the path, the rest as sent. */
export interface AgsCall {
  context: string;
  item?: string;
  authorization: string | undefined;
  contentType: string | undefined;
  query: Record<string, unknown>;
  body?: Buffer;
}

export interface AgsAnswer {
  status: number;
  type?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

const lineItemView = (c: GradeColumn) => ({
  id: c.id,
  label: c.label,
  scoreMaximum: c.scoreMaximum,
  ...(c.resourceId !== undefined ? { resourceId: c.resourceId } : {}),
  ...(c.resourceLinkId !== undefined ? { resourceLinkId: c.resourceLinkId } : {}),
  ...(c.tag !== undefined ? { tag: c.tag } : {}),
  ...(c.startDateTime !== undefined ? { startDateTime: c.startDateTime } : {}),
  ...(c.endDateTime !== undefined ? { endDateTime: c.endDateTime } : {}),
});

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]!.trim().toLowerCase();

/** A step's refusal, thrown through the call's steps and answered as JSON `{error, error_description}`. */
class Refused {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * The simulated platform's Assignment and Grade Services 2.0: line items per course, scores written
 * only for people launched into the course, each with a timestamp later than the last one kept.
 * @see https://www.imsglobal.org/spec/lti-ags/v2p0
 */
export function createAgsService(o: { gradebook: Gradebook; tokens: Pick<TokenEndpoint, 'checkBearer'> }) {
  const gb = o.gradebook;

  function authorize(call: AgsCall, anyOf: readonly string[]) {
    const check = o.tokens.checkBearer(call.authorization, anyOf);
    if (check.ok) return;
    const header = `Bearer error="${check.error}", error_description="${check.description.replace(/"/g, "'")}"`;
    throw new Refused(check.status, check.error, check.description, { 'www-authenticate': header });
  }

  function jsonBody(call: AgsCall, media: string): unknown {
    if (mediaType(call.contentType) !== media)
      throw new Refused(
        415,
        'unsupported_media_type',
        `send Content-Type: ${media}, not ${call.contentType ?? 'none'}`,
      );
    try {
      return JSON.parse((call.body ?? Buffer.alloc(0)).toString('utf8')) as unknown;
    } catch {
      throw new Refused(400, 'invalid_request', 'the body is not JSON');
    }
  }

  function lineItem(call: AgsCall): GradeColumn {
    const found = call.item ? gb.findLineItem(call.context, call.item) : undefined;
    if (!found) throw new Refused(404, 'not_found', 'this course has no such line item');
    return found;
  }

  /** Runs a call's steps; a refusal is answered and kept in the gradebook's log. */
  function answering(endpoint: GradeEndpoint, steps: (call: AgsCall) => AgsAnswer) {
    return (call: AgsCall): AgsAnswer => {
      try {
        return steps(call);
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        const user = endpoint === 'scores' ? peekUser(call.body) : undefined;
        gb.refuse({
          lti: '1.3',
          endpoint,
          status: err.status,
          error: err.error,
          reason: err.description,
          context: call.context,
          ...(call.item ? { column: gb.findLineItem(call.context, call.item)?.id ?? call.item } : {}),
          ...(user ? { userId: user } : {}),
        });
        const body = { error: err.error, error_description: err.description };
        return { status: err.status, type: 'application/json', headers: err.headers, body };
      }
    };
  }

  const listLineItems = answering('lineitems', (call) => {
    authorize(call, [agsScopes.lineitem, agsScopes.lineitemReadonly]);
    const [link, resource, tag] = ['resource_link_id', 'resource_id', 'tag'].map((k) => text(call.query[k]));
    const found = gb
      .lineItems(call.context)
      .filter(
        (c) =>
          (link === undefined || c.resourceLinkId === link) &&
          (resource === undefined || c.resourceId === resource),
      )
      .filter((c) => tag === undefined || c.tag === tag);
    const limit = Number(text(call.query['limit']) ?? NaN);
    const page = Number.isInteger(limit) && limit > 0 ? found.slice(0, limit) : found;
    return { status: 200, type: agsMedia.lineItems, body: page.map(lineItemView) };
  });

  const createLineItem = answering('lineitems', (call) => {
    authorize(call, [agsScopes.lineitem]);
    const parsed = lineItemBody.safeParse(jsonBody(call, agsMedia.lineItem));
    if (!parsed.success) throw new Refused(400, 'invalid_request', firstIssue(parsed.error));
    const fields = parsed.data;
    if (fields.resourceLinkId !== undefined && !gb.knowsLink(call.context, fields.resourceLinkId))
      throw new Refused(
        400,
        'invalid_request',
        `resourceLinkId ${fields.resourceLinkId} is no link of this course`,
      );
    const created = gb.addLineItem(call.context, fields);
    return {
      status: 201,
      type: agsMedia.lineItem,
      headers: { location: created.id },
      body: lineItemView(created),
    };
  });

  const getLineItem = answering('lineitem', (call) => {
    authorize(call, [agsScopes.lineitem, agsScopes.lineitemReadonly]);
    return { status: 200, type: agsMedia.lineItem, body: lineItemView(lineItem(call)) };
  });

  const postScore = answering('scores', (call) => {
    authorize(call, [agsScopes.score]);
    const column = lineItem(call);
    const parsed = scoreBody.safeParse(jsonBody(call, agsMedia.score));
    if (!parsed.success) throw new Refused(400, 'invalid_request', firstIssue(parsed.error));
    const s = parsed.data;
    if (!gb.knowsUser('1.3', call.context, s.userId))
      throw new Refused(400, 'invalid_request', `userId ${s.userId} was never launched into this course`);
    const stored = gb.findEntry(column.id, s.userId)?.timestamp;
    if (stored !== undefined && instantOf(s.timestamp)! <= instantOf(stored)!)
      throw new Refused(
        400,
        'invalid_request',
        `Score already exists for the provided timestamp (${s.timestamp}; kept: ${stored})`,
      );
    const { userId, ...grade } = s;
    gb.writeEntry(column, userId, {
      score: grade.scoreGiven === undefined ? null : grade.scoreGiven / grade.scoreMaximum!,
      ...grade,
    });
    return { status: 204 };
  });

  const listResults = answering('results', (call) => {
    authorize(call, [agsScopes.resultReadonly]);
    const column = lineItem(call);
    const user = text(call.query['user_id']);
    const base = column.id.replace(/\?.*$/, '');
    const results = gb
      .entriesOf(column.id)
      .filter((e) => user === undefined || e.userId === user)
      .map((e) => ({
        id: `${base}/results/${encodeURIComponent(e.userId)}`,
        scoreOf: column.id,
        userId: e.userId,
        ...(e.score === null
          ? {}
          : { resultScore: e.score * column.scoreMaximum!, resultMaximum: column.scoreMaximum }),
        ...(e.comment !== undefined ? { comment: e.comment } : {}),
      }));
    return { status: 200, type: agsMedia.results, body: results };
  });

  return { listLineItems, createLineItem, getLineItem, postScore, listResults };
}

function peekUser(body: Buffer | undefined): string | undefined {
  try {
    const userId = (JSON.parse(body?.toString('utf8') ?? '') as { userId?: unknown }).userId;
    return typeof userId === 'string' ? userId : undefined;
  } catch {
    return undefined;
  }
}

export type AgsService = ReturnType<typeof createAgsService>;
