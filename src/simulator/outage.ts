export interface OutageState {
  active: boolean;
  /** Calls still to fail, when the outage counts calls. */
  requestsLeft: number | null;
  /** When it ends (ISO 8601), when the outage lasts a time. */
  until: string | null;
  /** Calls answered 500 since it began. */
  answered: number;
}

/**
 * A simulated outage of the LMS's grade services (Outcomes, token, AGS): the next N calls, or every
 * call until a time, answer HTTP 500, as LMSs under load do (xblock-lti-consumer#620).
 */
export function createOutage(now: () => number = Date.now) {
  let requestsLeft: number | null = null;
  let until: number | null = null;
  let answered = 0;

  const active = () => (requestsLeft ?? 0) > 0 || (until ?? 0) > now();

  /** `requests` or `seconds`; 0 (or nothing) ends the outage. */
  function start(o: { requests?: number; seconds?: number }) {
    requestsLeft = o.requests && o.requests > 0 ? o.requests : null;
    until = o.seconds && o.seconds > 0 ? now() + o.seconds * 1000 : null;
    answered = 0;
  }

  /** True when this call is to fail; counts it. */
  function takeCall(): boolean {
    if (!active()) return false;
    if (requestsLeft !== null && requestsLeft > 0) requestsLeft -= 1;
    answered += 1;
    return true;
  }

  const state = (): OutageState => ({
    active: active(),
    requestsLeft: requestsLeft && requestsLeft > 0 ? requestsLeft : null,
    until: until !== null && until > now() ? new Date(until).toISOString() : null,
    answered,
  });

  return { start, takeCall, state };
}

export type Outage = ReturnType<typeof createOutage>;
