// What callers of the rate limiter see: reserve a turn, sleep waitMs yourself, claim it, send,
// report. Only a claim (or a reservation due at once) grants a send.

export type Reservation = {
  /** 0 = go now: the send is logged at slotAt. Otherwise sleep this long (outside the limiter), then claim(slotAt). */
  waitMs: number;
  /** A 429 penalty is in force: call reportSuccess() after the request succeeds. */
  throttled: boolean;
  /** The turn's absolute time (epoch ms, the limiter's clock): what claim and reclaim refer to. */
  slotAt: number;
  /**
   * How much longer than the fastest recent round trip this answer took to reach the caller. A
   * grant is logged when the limiter answers; an answer that sat in a busy isolate is a send that
   * would go later than logged (see reclaim).
   */
  heldMs: number;
};

export interface RateLimiter {
  reserve(): Promise<Reservation>;
  /** Slept until `slotAt`, however late: may I send now? waitMs 0 = yes; otherwise sleep and claim again. */
  claim(slotAt: number): Promise<Reservation>;
  /** The grant logged at `grantedAt` was read too late (heldMs): log the send at now instead, or wait. */
  reclaim(grantedAt: number): Promise<Reservation>;
  /** Upstream answered 429 (or AmoCRM's 403 block); null when it sent no Retry-After. */
  reportThrottled(retryAfterMs: number | null): Promise<void>;
  reportSuccess(): Promise<void>;
}

export type RateLimitConfig = { rps: number; burst: number; marginPct?: number };

const go = async (): Promise<Reservation> => ({ waitMs: 0, throttled: false, slotAt: Date.now(), heldMs: 0 });

/** For code paths and tests that do not rate-limit. */
export const noopRateLimiter: RateLimiter = {
  reserve: go,
  claim: go,
  reclaim: go,
  reportThrottled: async () => {},
  reportSuccess: async () => {},
};
