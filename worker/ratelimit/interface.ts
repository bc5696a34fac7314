// What callers of the rate limiter see: reserve a slot, sleep waitMs yourself, send, report.

export type Reservation = {
  /** Sleep this long (outside the limiter), then send. 0 = send now. */
  waitMs: number;
  /** A 429 penalty is in force: call reportSuccess() after the request succeeds. */
  throttled: boolean;
};

export interface RateLimiter {
  reserve(): Promise<Reservation>;
  /** Upstream answered 429 (or AmoCRM's 403 block); null when it sent no Retry-After. */
  reportThrottled(retryAfterMs: number | null): Promise<void>;
  reportSuccess(): Promise<void>;
}

export type RateLimitConfig = { rps: number; burst: number; marginPct?: number };

/** For code paths and tests that do not rate-limit. */
export const noopRateLimiter: RateLimiter = {
  reserve: async () => ({ waitMs: 0, throttled: false }),
  reportThrottled: async () => {},
  reportSuccess: async () => {},
};
