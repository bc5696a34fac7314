// What callers use: rateLimiterFor (one object per "<provider>:<account>"), the env config with
// per-location overrides, the no-op limiter, and one retry on a retryable stub error.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rateLimiterFor } from "../../worker/ratelimit/client";
import { rateLimitConfigFrom } from "../../worker/ratelimit/config";
import type { RateLimiter as RateLimiterObject } from "../../worker/ratelimit/durable-object";
import { noopRateLimiter } from "../../worker/ratelimit/interface";

const SLOW = { rps: 0.1, burst: 1 };
const account = () => `ghl:${crypto.randomUUID()}`;

describe("rateLimiterFor", () => {
  it("reserves through the account's object and returns only the Reservation", async () => {
    const key = account();
    const limiter = rateLimiterFor(env.RATE_LIMITER, key, SLOW);
    expect(await limiter.reserve()).toEqual({ waitMs: 0, throttled: false, slotAt: expect.any(Number), heldMs: 0 });
    // Another caller of the same account (another request, another isolate) shares the bucket.
    expect((await rateLimiterFor(env.RATE_LIMITER, key, SLOW).reserve()).waitMs).toBeGreaterThan(5_000);
    expect((await rateLimiterFor(env.RATE_LIMITER, account(), SLOW).reserve()).waitMs).toBe(0);
  });

  it("claims a turn and reclaims a grant through the account's object", async () => {
    const limiter = rateLimiterFor(env.RATE_LIMITER, account(), SLOW);
    const first = await limiter.reserve(); // an idle bucket: granted at once
    // Read late: withdrawn and granted anew, now, on the limiter's clock (nothing else is in the way).
    const again = await limiter.reclaim(first.slotAt);
    expect(again).toMatchObject({ waitMs: 0, throttled: false });
    expect(again.slotAt).toBeGreaterThanOrEqual(first.slotAt);
    const turn = await limiter.reserve(); // one send per 10.4 s: a turn far ahead
    expect(turn.waitMs).toBeGreaterThan(5_000);
    const early = await limiter.claim(turn.slotAt); // asked before it: wait for the same turn
    expect(early).toMatchObject({ slotAt: turn.slotAt, throttled: false });
    expect(early.waitMs).toBeGreaterThan(5_000);
  });

  it("says how much longer than the fastest recent round trip an answer took (heldMs)", async () => {
    const namespace = {
      idFromName: (name: string) => name,
      get: () => ({ reserve: async () => ({ waitMs: 0, throttled: false, slotAt: 7 }) }),
    } as unknown as DurableObjectNamespace<RateLimiterObject>;
    // Clock readings around each call: round trips of 4, 2 and 30 ms.
    const readings = [0, 4, 10, 12, 20, 50];
    const limiter = rateLimiterFor(namespace, "amocrm:acme", SLOW, () => readings.shift() ?? 0);
    expect((await limiter.reserve()).heldMs).toBe(0);
    expect((await limiter.reserve()).heldMs).toBe(0);
    expect((await limiter.reserve()).heldMs).toBe(28);
  });

  it("reports throttling and success", async () => {
    const limiter = rateLimiterFor(env.RATE_LIMITER, account(), { rps: 7, burst: 1 });
    await limiter.reportThrottled(null);
    const after = await limiter.reserve();
    expect(after.throttled).toBe(true);
    expect(after.waitMs).toBeGreaterThan(1_000); // the 2 s backoff
    await limiter.reportSuccess();
    expect((await limiter.reserve()).throttled).toBe(false);
  });

  it("refuses keys that are not <provider>:<account> and bad configs, before any RPC", () => {
    for (const key of ["", "global", "amocrm:", ":acme", "AmoCRM:acme"]) {
      expect(() => rateLimiterFor(env.RATE_LIMITER, key, SLOW), key).toThrow(RangeError);
    }
    expect(() => rateLimiterFor(env.RATE_LIMITER, account(), { rps: -1, burst: 1 })).toThrow(RangeError);
  });

  it("retries once on a fresh stub when the error is retryable, never when overloaded", async () => {
    const fakeNamespace = (errors: Error[]) => {
      let calls = 0;
      const namespace = {
        idFromName: (name: string) => name,
        get: () => ({
          reserve: async () => {
            calls++;
            const error = errors.shift();
            if (error) throw error;
            return { waitMs: 5, throttled: false, slotAt: 7 };
          },
        }),
      };
      return { namespace: namespace as unknown as DurableObjectNamespace<RateLimiterObject>, calls: () => calls };
    };
    const flagged = (flags: object) => Object.assign(new Error("Durable Object reset"), flags);

    const reset = fakeNamespace([flagged({ retryable: true })]);
    expect(await rateLimiterFor(reset.namespace, "amocrm:acme", SLOW).reserve()).toMatchObject({ waitMs: 5, throttled: false, slotAt: 7 });
    expect(reset.calls()).toBe(2);

    const overloaded = fakeNamespace([flagged({ retryable: true, overloaded: true })]);
    await expect(rateLimiterFor(overloaded.namespace, "amocrm:acme", SLOW).reserve()).rejects.toThrow("reset");
    expect(overloaded.calls()).toBe(1);

    const twice = fakeNamespace([flagged({ retryable: true }), flagged({ retryable: true })]);
    await expect(rateLimiterFor(twice.namespace, "amocrm:acme", SLOW).reserve()).rejects.toThrow("reset");
    expect(twice.calls()).toBe(2);
  });
});

describe("rateLimitConfigFrom", () => {
  it("reads RATE_LIMIT_RPS / RATE_LIMIT_BURST and applies a location's overrides", () => {
    expect(rateLimitConfigFrom(env)).toEqual({ rps: 7, burst: 1 });
    expect(rateLimitConfigFrom(env, { rps: 10, burst: 5 })).toEqual({ rps: 10, burst: 5 });
    expect(rateLimitConfigFrom(env, { burst: undefined, rps: 2.5 })).toEqual({ rps: 2.5, burst: 1 });
    expect(rateLimitConfigFrom({ RATE_LIMIT_RPS: "0.5", RATE_LIMIT_BURST: "3" })).toEqual({ rps: 0.5, burst: 3 });
  });

  it("throws on a bad var or a bad override", () => {
    for (const bad of [
      { RATE_LIMIT_RPS: "", RATE_LIMIT_BURST: "1" },
      { RATE_LIMIT_RPS: "seven", RATE_LIMIT_BURST: "1" },
      { RATE_LIMIT_RPS: "7", RATE_LIMIT_BURST: "0" },
      { RATE_LIMIT_RPS: "7", RATE_LIMIT_BURST: "1.5" },
    ]) {
      expect(() => rateLimitConfigFrom(bad), JSON.stringify(bad)).toThrow(/rate limit/i);
    }
    expect(() => rateLimitConfigFrom(env, { rps: 0 })).toThrow(RangeError);
    expect(() => rateLimitConfigFrom(env, { burst: 0.5 })).toThrow(RangeError);
  });
});

describe("noopRateLimiter", () => {
  it("never waits", async () => {
    expect(await noopRateLimiter.reserve()).toMatchObject({ waitMs: 0, throttled: false });
    expect(await noopRateLimiter.claim(0)).toMatchObject({ waitMs: 0, throttled: false, heldMs: 0 });
    expect(await noopRateLimiter.reclaim(0)).toMatchObject({ waitMs: 0, throttled: false, heldMs: 0 });
    await expect(noopRateLimiter.reportThrottled(1_000)).resolves.toBeUndefined();
    await expect(noopRateLimiter.reportSuccess()).resolves.toBeUndefined();
  });
});
