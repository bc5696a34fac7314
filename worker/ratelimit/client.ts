// Callers get a RateLimiter for one upstream account; the Durable Object behind it is a detail.
import type { Answer, RateLimiter as RateLimiterObject } from "./durable-object";
import { toGcraConfig } from "./gcra";
import type { RateLimitConfig, RateLimiter, Reservation } from "./interface";
import { RoundTrips } from "./round-trips";

/** "<provider>:<account>": one object per upstream account, never a shared global object. */
const KEY_PATTERN = /^[a-z][a-z0-9-]*:\S+$/;

export function rateLimiterFor(
  namespace: DurableObjectNamespace<RateLimiterObject>,
  key: string,
  config: RateLimitConfig,
  now: () => number = Date.now,
): RateLimiter {
  if (!KEY_PATTERN.test(key)) {
    throw new RangeError(`Rate limiter key must be "<provider>:<account>", got ${JSON.stringify(key)}`);
  }
  toGcraConfig(config); // fail here, not on every RPC
  const id = namespace.idFromName(key);
  const trips = new RoundTrips();

  // A stub is unusable after an exception. A retryable one (e.g. the object was reset by a deploy)
  // gets one more try on a fresh stub; an overloaded object does not (that would add load). A
  // repeated call at worst wastes a turn (a first attempt's grant stays logged, unused): it never
  // lets a request go early.
  async function call<T>(fn: (stub: DurableObjectStub<RateLimiterObject>) => Promise<T>): Promise<T> {
    try {
      return await fn(namespace.get(id));
    } catch (error) {
      if (!isRetryable(error)) throw error;
      return fn(namespace.get(id));
    }
  }

  /** Times the call, so the caller knows how long the answer may have waited to be read. */
  async function timed(fn: (stub: DurableObjectStub<RateLimiterObject>) => Promise<Answer>): Promise<Reservation> {
    const asked = now();
    const { waitMs, throttled, slotAt } = await call(fn);
    return { waitMs, throttled, slotAt, heldMs: trips.observe(now() - asked) };
  }

  return {
    reserve: () => timed((stub) => stub.reserve(config)),
    claim: (slotAt) => timed((stub) => stub.claim(config, slotAt)),
    reclaim: (grantedAt) => timed((stub) => stub.reclaim(config, grantedAt)),
    reportThrottled: (retryAfterMs) => call((stub) => stub.reportThrottled(config, retryAfterMs)),
    reportSuccess: () => call((stub) => stub.reportSuccess()),
  };
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const flags = error as Error & { retryable?: unknown; overloaded?: unknown };
  return flags.retryable === true && flags.overloaded !== true;
}
