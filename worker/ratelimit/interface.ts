// What callers of the rate limiter see: reserve a slot, sleep waitMs yourself, send, report. A
// caller that wakes too late for its slot confirms instead of sending blind.

export type Reservation = {
  /** Sleep this long (outside the limiter), then send. 0 = send now. */
  waitMs: number;
  /** A 429 penalty is in force: call reportSuccess() after the request succeeds. */
  throttled: boolean;
  /** The slot's absolute time (epoch ms, the limiter's clock): what confirmLate refers to. */
  slotAt: number;
};

export interface RateLimiter {
  reserve(): Promise<Reservation>;
  /**
   * Woke after `slotAt` (a busy isolate): may I send now instead? waitMs 0 = yes, send at once;
   * otherwise the old slot is gone and this is a new one to sleep for (and confirm if late again).
   */
  confirmLate(slotAt: number): Promise<Reservation>;
  /** Upstream answered 429 (or AmoCRM's 403 block); null when it sent no Retry-After. */
  reportThrottled(retryAfterMs: number | null): Promise<void>;
  reportSuccess(): Promise<void>;
}

export type RateLimitConfig = { rps: number; burst: number; marginPct?: number };

/** For code paths and tests that do not rate-limit. */
export const noopRateLimiter: RateLimiter = {
  reserve: async () => ({ waitMs: 0, throttled: false, slotAt: Date.now() }),
  confirmLate: async () => ({ waitMs: 0, throttled: false, slotAt: Date.now() }),
  reportThrottled: async () => {},
  reportSuccess: async () => {},
};
