/**
 * A fault with a stable code, the HTTP status it maps to, and a message written for the person who
 * sees it: what happened and what to do. `details` are safe to show (never secrets).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly hint: string | undefined;
  readonly details: Record<string, string | number> | undefined;

  constructor(o: {
    code: string;
    status: number;
    message: string;
    hint?: string;
    details?: Record<string, string | number>;
    cause?: unknown;
  }) {
    super(o.message, { cause: o.cause });
    this.name = 'AppError';
    this.code = o.code;
    this.status = o.status;
    this.hint = o.hint;
    this.details = o.details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
