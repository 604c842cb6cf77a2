import { AppError } from '../errors.ts';

/** A GitLab call that failed: which call, what GitLab said, and whether retrying could help. */
export class ForgeCallError extends AppError {
  readonly forgeStatus: number;
  readonly retryAfterMs: number | undefined;
  readonly description: string;
  readonly call: string;

  constructor(o: {
    call: string;
    status: number;
    description: string;
    retryAfterMs?: number;
    attempts?: number;
  }) {
    const what = o.status === 0 ? 'could not reach GitLab' : `GitLab answered ${o.status}`;
    super({
      code:
        o.status === 0
          ? 'FORGE_UNREACHABLE'
          : o.status >= 500 || o.status === 429
            ? 'FORGE_UNAVAILABLE'
            : 'FORGE_REJECTED',
      status: 502,
      message: `GitLab call ${o.call} failed${o.attempts ? ` after ${o.attempts} attempts` : ''}: ${what}${o.description ? ` (${o.description})` : ''}.`,
      hint:
        o.status === 0 || o.status >= 500 || o.status === 429
          ? 'GitLab is down or overloaded; labgate retried with backoff. Try again in a few minutes.'
          : 'The labgate administrator should check the GitLab token and settings (`labgate forge check`).',
    });
    this.forgeStatus = o.status;
    this.retryAfterMs = o.retryAfterMs;
    this.description = o.description;
    this.call = o.call;
  }

  get retryable(): boolean {
    return this.forgeStatus === 0 || this.forgeStatus === 429 || this.forgeStatus >= 500;
  }
}

/** True when `err` is GitLab answering `status` (not a network failure, not another status). */
export const isForgeStatus = (err: unknown, status: number) =>
  err instanceof ForgeCallError && err.forgeStatus === status;
