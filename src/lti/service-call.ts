import type { z } from 'zod';
import { shownUrl } from './grade-service.ts';

/** How one attempt to hand a grade to an LMS ended; `text` is for the roster (no secrets, no query). */
export type DeliveryAnswer =
  | { outcome: 'sent'; text: string }
  | { outcome: 'retry'; text: string; retryAfterMs?: number }
  | { outcome: 'failed'; text: string };

/** Thrown inside a sender to end the attempt with this answer; senders return it as a value. */
export class DeliveryFault extends Error {
  readonly answer: Exclude<DeliveryAnswer, { outcome: 'sent' }>;
  constructor(answer: Exclude<DeliveryAnswer, { outcome: 'sent' }>) {
    super(answer.text);
    this.name = 'DeliveryFault';
    this.answer = answer;
  }
}

export const failed = (text: string) => new DeliveryFault({ outcome: 'failed', text });
export const retry = (text: string, retryAfterMs?: number) =>
  new DeliveryFault({ outcome: 'retry', text, ...(retryAfterMs ? { retryAfterMs } : {}) });

/** The end of an attempt as a value: a fault's answer, or (anything unexpected) a retry. */
export function answerOf(err: unknown): DeliveryAnswer {
  if (err instanceof DeliveryFault) return err.answer;
  return {
    outcome: 'retry',
    text: `labgate could not finish the attempt: ${(err as Error)?.message ?? err}`,
  };
}

export interface ServiceResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The address called, as it may be shown. */
  where: string;
}

const maxBodyBytes = 1_000_000;

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBodyBytes) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What a network error says, without the URL (undici puts the cause's code on `cause`). */
function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return e?.cause?.code ?? e?.cause?.message ?? 'the connection failed';
}

/**
 * One HTTP call to an LMS service: a timeout over the whole exchange, redirects not followed (a signed
 * POST must not wander), the body read up to 1 MB. Timeouts and connection errors are worth a retry.
 */
export async function callService(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<ServiceResponse> {
  const where = shownUrl(url);
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, headers: res.headers, text: await readLimited(res), where };
  } catch (err) {
    throw retry(`${where}: ${networkReason(err, timeoutMs)}`);
  }
}

export const isSuccess = (res: ServiceResponse) => res.status >= 200 && res.status < 300;

/** Seconds or an HTTP date, as RFC 9110 §10.2.3 allows; undefined when absent or unreadable. */
function retryAfterMs(res: ServiceResponse): number | undefined {
  const value = res.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - Date.now(), 0);
}

/** A short, single-line excerpt of what the LMS said, for the roster. */
export const excerpt = (text: string, max = 300) => {
  const line = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

/**
 * An answer that is not a success: 5xx, 429 and 408 are worth a retry (honouring Retry-After), a
 * redirect or any other 4xx is a refusal that retrying will not change.
 */
export function statusFault(res: ServiceResponse, said?: string): DeliveryFault {
  const detail = said ?? excerpt(res.text);
  const text = `HTTP ${res.status} from ${res.where}${detail ? `: ${detail}` : ''}`;
  if (res.status >= 500 || res.status === 429 || res.status === 408) return retry(text, retryAfterMs(res));
  if (res.status >= 300 && res.status < 400)
    return failed(`${text} (redirected to ${shownUrl(res.headers.get('location') ?? '')})`);
  return failed(text);
}

/** A success's JSON body, parsed with its schema; an unreadable one may be a proxy's page: retried. */
export function readJson<T>(res: ServiceResponse, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(res.text);
  } catch {
    throw retry(`${res.where} answered ${what} with something that is not JSON: ${excerpt(res.text, 120)}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw retry(`${res.where} answered ${what} oddly: ${issue.path.join('.') || 'the body'} ${issue.message}`);
}
