import { agsScopes } from '../grade-service.ts';
import {
  answerOf,
  callService,
  failed,
  isSuccess,
  retry,
  statusFault,
  type DeliveryAnswer,
} from '../service-call.ts';
import { createLineItem, findLineItem, scoresUrl, type AuthorizedCall } from './ags-line-items.ts';
import type { PlatformStore } from './platform-store.ts';
import { createServiceTokens, type TokenEndpoint } from './service-tokens.ts';
import type { ToolKeys } from './tool-keys.ts';

const scoreType = 'application/vnd.ims.lis.v1.score+json';

/** One learner's score for one assignment, and where the learner's launch said AGS takes it. */
export interface AgsDelivery {
  issuer: string;
  /** labgate's client id at the platform, when the learner's identity tells it. */
  clientId: string | undefined;
  scopes: string[];
  lineitems: string | undefined;
  lineitem: string | undefined;
  resourceLinkId: string;
  /** The learner's `sub`. */
  ltiUserId: string;
  assignment: { id: string; slug: string; title: string };
  score: number;
  maxScore: number;
  comment: string | undefined;
  /** When the grade was decided (ms): the score's `timestamp`, later for every new version. */
  timestamp: number;
}

export interface AgsClientDeps {
  platforms: Pick<PlatformStore, 'findPlatform'>;
  toolKeys: Pick<ToolKeys, 'signingKey'>;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * LTI Assignment and Grade Services 2.0, tool side: a token per platform and scopes, the assignment's
 * line item (the launch's, else found or made in the link's container), then the score.
 * @see https://www.imsglobal.org/spec/lti-ags/v2p0 (lti.md §7.2)
 */
export function createAgsClient(deps: AgsClientDeps) {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const tokens = createServiceTokens(deps);
  // Found or made line items, per container, link and assignment: learners of a class share one.
  const lineItems = new Map<string, Promise<string>>();

  /** Calls with a Bearer token; a 401 drops the cached token and tries once more with a new one. */
  const authorized =
    (endpoint: TokenEndpoint, scopes: string[]): AuthorizedCall =>
    async (url, init) => {
      for (let tries = 0; ; tries++) {
        const token = await tokens.token(endpoint, scopes);
        const headers = { ...init.headers, authorization: `Bearer ${token}` };
        const res = await callService(url, { ...init, headers }, timeoutMs);
        if (res.status !== 401 || tries > 0) return res;
        tokens.drop(endpoint, scopes, token);
      }
    };

  function lineItemOf(call: AuthorizedCall, d: AgsDelivery, may: { read: boolean; write: boolean }) {
    const key = JSON.stringify([d.lineitems, d.resourceLinkId, d.assignment.id]);
    const known = lineItems.get(key);
    if (known) return { key, item: known };
    const wanted = {
      lineitems: d.lineitems!,
      resourceLinkId: d.resourceLinkId,
      assignment: d.assignment,
      scoreMaximum: d.maxScore,
    };
    const item = (async () => {
      const found = may.read ? await findLineItem(call, wanted) : undefined;
      if (found) return found;
      if (!may.write)
        throw failed(
          'the LMS gave no line item for this link and did not let labgate make one (scope lineitem not granted)',
        );
      return createLineItem(call, wanted);
    })();
    lineItems.set(key, item);
    item.catch(() => lineItems.delete(key));
    return { key, item };
  }

  async function attempt(d: AgsDelivery): Promise<DeliveryAnswer> {
    const platform = await deps.platforms.findPlatform(d.issuer, d.clientId);
    if (!platform)
      throw failed(
        `no single LTI 1.3 platform is registered in labgate for ${d.issuer} (labgate platforms list)`,
      );
    if (!platform.tokenUrl)
      throw failed(
        `the platform ${platform.name} is registered without a token URL; register it with --token-url`,
      );
    if (!d.scopes.includes(agsScopes.score))
      throw failed('the LMS did not let labgate send scores for this link (no score scope in the launch)');
    const may = {
      write: d.scopes.includes(agsScopes.lineitem),
      read: d.scopes.includes(agsScopes.lineitem) || d.scopes.includes(agsScopes.lineitemReadonly),
    };
    if (!d.lineitem && !d.lineitems) throw failed('the launch named no line item nor line item container');
    const itemScopes = d.lineitem
      ? []
      : may.write
        ? [agsScopes.lineitem]
        : may.read
          ? [agsScopes.lineitemReadonly]
          : [];
    const call = authorized({ tokenUrl: platform.tokenUrl, clientId: platform.clientId }, [
      agsScopes.score,
      ...itemScopes,
    ]);
    const looked = d.lineitem ? undefined : lineItemOf(call, d, may);
    const lineitem = d.lineitem ?? (await looked!.item);
    const res = await call(scoresUrl(lineitem), {
      method: 'POST',
      headers: { 'content-type': scoreType },
      body: JSON.stringify({
        userId: d.ltiUserId,
        scoreGiven: Math.max(d.score, 0),
        scoreMaximum: d.maxScore,
        ...(d.comment ? { comment: d.comment } : {}),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: new Date(d.timestamp).toISOString(),
      }),
    });
    if (isSuccess(res)) return { outcome: 'sent', text: `HTTP ${res.status} from ${res.where}` };
    if (looked && (res.status === 404 || res.status === 410)) {
      // The teacher deleted the line item labgate found or made: look again next time.
      lineItems.delete(looked.key);
      throw retry(`${statusFault(res).answer.text} (the line item is gone; labgate will look for it again)`);
    }
    throw statusFault(res);
  }

  return {
    sendScore: (d: AgsDelivery): Promise<DeliveryAnswer> => attempt(d).catch(answerOf),
  };
}

export type AgsClient = ReturnType<typeof createAgsClient>;
