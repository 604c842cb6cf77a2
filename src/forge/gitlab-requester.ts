import { createRequesterFn } from '@gitbeaker/requester-utils';
import { ForgeCallError } from './forge-errors.ts';
import { parseRetryAfter, withRetry, type RetryPolicy } from './retry.ts';

interface RequestOptions {
  prefixUrl?: string;
  searchParams?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: RequestInit['body'];
  asStream?: boolean;
}

async function parseBody(response: Response, asStream: boolean) {
  if (asStream) return response.body;
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type === 'application/json') return (await response.json()) ?? {};
  if (type.startsWith('text/')) return response.text();
  return response.blob();
}

/** GitLab's error text, as gitbeaker would read it: `error`, else `message`, else the raw body. */
async function describe(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const value = parsed.error ?? parsed.message ?? text;
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return text.trim().slice(0, 300);
  }
}

/** One HTTP request to GitLab as it ended: status 0 when no answer came (timeout, refused). */
export interface ForgeCallSample {
  method: string;
  /** The API's first path segment (`projects`, `users`, …): few values, fit for a metric label. */
  resource: string;
  status: number;
  seconds: number;
}

/**
 * gitbeaker's resources on our own request handler: one fetch per attempt and our retry policy,
 * because gitbeaker 43.8 retries 429/502 ten times within ~256 ms and drops Retry-After.
 */
export function createRequester(o: {
  timeoutMs: number;
  retry: RetryPolicy;
  /** Told of every attempt (metrics). */
  observe?: (sample: ForgeCallSample) => void;
}) {
  async function handle(endpoint: string, options: RequestOptions = {}) {
    const base = options.prefixUrl?.endsWith('/') ? options.prefixUrl : `${options.prefixUrl ?? ''}/`;
    const url = new URL(endpoint, base);
    url.search = options.searchParams ?? '';
    const method = options.method ?? 'GET';
    const call = `${method} ${url.pathname.replace(/^.*\/api\/v4/, '')}`;
    const resource = /\/api\/v4\/([a-z_]+)/.exec(url.pathname)?.[1] ?? 'other';
    return withRetry(
      call,
      async () => {
        let response: Response;
        const started = performance.now();
        const ended = (status: number) =>
          o.observe?.({ method, resource, status, seconds: (performance.now() - started) / 1000 });
        try {
          response = await fetch(url, {
            method,
            headers: options.headers ?? {},
            body: options.body ?? null,
            signal: AbortSignal.timeout(o.timeoutMs),
          });
        } catch (err) {
          ended(0);
          const why =
            (err as Error).name === 'TimeoutError'
              ? `no answer within ${o.timeoutMs} ms`
              : (err as Error).message;
          throw new ForgeCallError({ call, status: 0, description: why });
        }
        ended(response.status);
        if (!response.ok) {
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
          throw new ForgeCallError({
            call,
            status: response.status,
            description: await describe(response),
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          });
        }
        return {
          body: await parseBody(response, Boolean(options.asStream)),
          headers: Object.fromEntries(response.headers.entries()),
          status: response.status,
        };
      },
      o.retry,
    );
  }
  return createRequesterFn(
    async (_service: unknown, requestOptions: unknown) => requestOptions as Record<string, unknown>,
    handle as never,
  );
}
