import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isAppError } from '../errors.ts';
import { outcomeResponseXml, verifyOutcomeOperation, type OutcomeCodeMajor } from '../lti/index.ts';
import type { Gradebook } from './gradebook.ts';

/** Where a sourcedId points: the course, the resource link and the LMS user. */
export interface ResultTarget {
  context: string;
  resourceLinkId: string;
  userId: string;
}

export interface OutcomeAnswer {
  status: number;
  xml: string;
}

const maxNonces = 10_000;

// Best effort, for the response's reference fields only: the body may be anything when it is refused.
const peekMessageId = (xml: string) =>
  /<(?:[\w.-]+:)?imsx_messageIdentifier>([^<]*)</.exec(xml)?.[1]?.trim() ?? '';
const peekOperation = (xml: string) =>
  /<(?:[\w.-]+:)?(replaceResult|readResult|deleteResult)Request[\s/>]/.exec(xml)?.[1] ?? 'replaceResult';

/**
 * The simulated LMS's LTI 1.1 Basic Outcomes service: the sourcedIds it gives learners at launch
 * (opaque, MACed with a key made at each start, so it refuses any it did not issue), and the POX calls
 * that write, read or delete the grade they name, verified with the demo consumer's secret.
 */
export function createOutcomesReceiver(o: {
  serviceUrl: string;
  consumerKey: string;
  secrets: () => Promise<readonly string[] | undefined>;
  gradebook: Gradebook;
  now: () => number;
}) {
  const key = randomBytes(32);
  const nonces = new Map<string, number>();
  const mac = (data: string) => createHmac('sha256', key).update(data).digest('base64url');

  function sourcedIdFor(t: ResultTarget): string {
    const data = Buffer.from(JSON.stringify([t.context, t.resourceLinkId, t.userId])).toString('base64url');
    return `${data}.${mac(data)}`;
  }

  function readSourcedId(sourcedId: string): ResultTarget | undefined {
    const [data = '', tag = '', ...rest] = sourcedId.split('.');
    const expected = Buffer.from(mac(data));
    if (
      rest.length ||
      Buffer.byteLength(tag) !== expected.length ||
      !timingSafeEqual(Buffer.from(tag), expected)
    )
      return undefined;
    const [context, resourceLinkId, userId] = JSON.parse(
      Buffer.from(data, 'base64url').toString(),
    ) as string[];
    return { context: context!, resourceLinkId: resourceLinkId!, userId: userId! };
  }

  function rememberNonce(consumerKey: string, timestamp: number, nonce: string, expiresAt: number) {
    for (const [k, until] of nonces) if (until <= o.now() || nonces.size > maxNonces) nonces.delete(k);
    const k = `${consumerKey}\n${timestamp}\n${nonce}`;
    if (nonces.has(k)) return false;
    nonces.set(k, expiresAt);
    return true;
  }

  function answer(status: number, codeMajor: OutcomeCodeMajor, description: string, ref: string, op: string) {
    return {
      status,
      xml: outcomeResponseXml({ codeMajor, description, messageRefIdentifier: ref, operation: op }),
    };
  }

  function refused(err: unknown, body: string): OutcomeAnswer {
    if (!isAppError(err)) throw err;
    const unsupported = err.code === 'LTI_OUTCOME_UNSUPPORTED';
    // Authentic and well formed but not acceptable (a score out of range): a POX failure, HTTP 200.
    const status = unsupported || err.code === 'LTI_OUTCOME_SCORE' ? 200 : err.status === 401 ? 401 : 400;
    o.gradebook.refuse({ lti: '1.1', endpoint: 'outcomes', status, error: err.code, reason: err.message });
    const op = unsupported ? String(err.details?.['operation']) : peekOperation(body);
    return answer(status, unsupported ? 'unsupported' : 'failure', err.message, peekMessageId(body), op);
  }

  /** Answers one outcome call; `url` is the service URL labgate signed (configured base + path + query). */
  async function receive(req: {
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }): Promise<OutcomeAnswer> {
    let call;
    try {
      call = await verifyOutcomeOperation({
        method: 'POST',
        ...req,
        secretFor: async (consumerKey) => (consumerKey === o.consumerKey ? await o.secrets() : undefined),
        rememberNonce,
        now: o.now,
      });
    } catch (err) {
      return refused(err, req.body.toString('utf8'));
    }
    const target = readSourcedId(call.sourcedId);
    const ref = call.messageIdentifier;
    if (!target) {
      const reason = 'This sourcedId was not issued by this LMS (or it restarted since).';
      o.gradebook.refuse({
        lti: '1.1',
        endpoint: 'outcomes',
        status: 200,
        error: 'unknown_sourcedid',
        reason,
      });
      return answer(200, 'failure', reason, ref, call.operation);
    }
    const column = o.gradebook.ensureLti11Column(target.context, target.resourceLinkId);
    const { userId } = target;
    switch (call.operation) {
      case 'replaceResult':
        o.gradebook.writeEntry(column, userId, { score: call.score });
        return answer(200, 'success', `Score for ${userId} is now ${call.scoreText}.`, ref, call.operation);
      case 'readResult': {
        const score = o.gradebook.findEntry(column.id, userId)?.score;
        const xml = outcomeResponseXml({
          codeMajor: 'success',
          description: score == null ? `No result for ${userId}.` : `Result for ${userId} read.`,
          messageRefIdentifier: ref,
          operation: 'readResult',
          scoreText: score == null ? '' : String(score),
        });
        return { status: 200, xml };
      }
      case 'deleteResult':
        o.gradebook.deleteEntry(column.id, userId);
        return answer(200, 'success', `Result for ${userId} deleted.`, ref, call.operation);
      default: {
        const _: never = call;
        throw new Error(`unexpected outcome operation ${JSON.stringify(_)}`);
      }
    }
  }

  return { serviceUrl: o.serviceUrl, sourcedIdFor, readSourcedId, receive };
}

export type OutcomesReceiver = ReturnType<typeof createOutcomesReceiver>;
