import type { ConsumerStore } from './consumer-store.ts';
import { readOutcomeResponse, replaceResultRequest } from './outcomes.ts';
import {
  answerOf,
  callService,
  excerpt,
  failed,
  isSuccess,
  retry,
  statusFault,
  type DeliveryAnswer,
} from './service-call.ts';

/** One LTI 1.1 grade to hand over: the learner's result record at the consumer, and a score in 0..1. */
export interface OutcomeDelivery {
  consumerKey: string;
  serviceUrl: string;
  sourcedId: string;
  /** Already normalised: the fraction of the maximum, 0.0 to 1.0. */
  score: number;
}

export interface OutcomeSenderDeps {
  consumers: Pick<ConsumerStore, 'findConsumer'>;
  timeoutMs?: number;
}

/** A score as a fraction of the maximum, kept within 0..1 as Basic Outcomes demands. */
export const outcomeScore = (score: number, maxScore: number) =>
  Math.min(Math.max(maxScore > 0 ? score / maxScore : 0, 0), 1);

/**
 * Sends replaceResult to the consumer's outcome service, signed with its current secret. `success` is
 * sent; `failure` and `unsupported` are the LMS refusing (its description kept); 5xx, 429, timeouts and
 * connection errors are retried; any other 4xx is a refusal.
 * @see https://www.imsglobal.org/spec/lti-bo/v1p1/ (lti.md §7.1)
 */
export function createOutcomeSender(deps: OutcomeSenderDeps) {
  const timeoutMs = deps.timeoutMs ?? 10_000;

  async function attempt(d: OutcomeDelivery): Promise<DeliveryAnswer> {
    const consumer = await deps.consumers.findConsumer(d.consumerKey);
    const secret = consumer?.secrets[0];
    if (!secret)
      throw failed(
        `the LMS key ${d.consumerKey} is no longer registered in labgate (labgate consumers list)`,
      );
    let request;
    try {
      request = replaceResultRequest({
        serviceUrl: d.serviceUrl,
        sourcedId: d.sourcedId,
        score: d.score,
        consumerKey: d.consumerKey,
        secret,
      });
    } catch (err) {
      // Never the URL itself in the answer: its query may hold credentials.
      const code = (err as { code?: string }).code;
      throw failed(
        code === 'LTI_OUTCOME_URL' ? 'the outcome service URL is not http(s)' : (err as Error).message,
      );
    }
    const res = await callService(
      request.url,
      { method: 'POST', headers: { ...request.headers }, body: request.body },
      timeoutMs,
    );
    let said: ReturnType<typeof readOutcomeResponse> | undefined;
    try {
      said = readOutcomeResponse(res.text);
    } catch {
      said = undefined;
    }
    if (!isSuccess(res)) throw statusFault(res, said?.description || undefined);
    // HTTP 200 alone means nothing (lti.md §7.1); a page that is no POX envelope may be a proxy's.
    if (!said) throw retry(`${res.where} answered with no outcome status: ${excerpt(res.text, 120)}`);
    const description = said.description || said.codeMajor;
    switch (said.codeMajor) {
      case 'success':
      case 'processing':
        return { outcome: 'sent', text: description };
      case 'failure':
      case 'unsupported':
        throw failed(`the LMS refused the grade (${said.codeMajor}): ${description}`);
      default: {
        const never: never = said.codeMajor;
        throw failed(`unknown outcome status ${String(never)}`);
      }
    }
  }

  return {
    send: (d: OutcomeDelivery): Promise<DeliveryAnswer> => attempt(d).catch(answerOf),
  };
}

export type OutcomeSender = ReturnType<typeof createOutcomeSender>;
