// The rate-limited HTTP layer, with a scripted limiter that records what it was asked.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RequestMeter } from "../../worker/providers/meter";
import { LATE_GRANT_MS, UpstreamError, sendJson, windowExhaustedMs } from "../../worker/providers/upstream";
import type { RateLimiter } from "../../worker/ratelimit/interface";
import { SANDBOX } from "./helpers";

type Answer = { waitMs: number; slotAt: number; heldMs?: number };

/**
 * A limiter that records calls and answers from a script: reserve() with `first` (default: go now,
 * read at once), then claim() and reclaim() with `next` in turn (default: go).
 */
function recordingLimiter(next: Answer[] = [], first: Answer = { waitMs: 0, slotAt: 1000 }) {
  const calls: string[] = [];
  const answer = (a: Answer) => ({ throttled: false, heldMs: 0, ...a });
  const limiter: RateLimiter = {
    reserve: async () => (calls.push("reserve"), answer(first)),
    claim: async (slotAt) => (calls.push(`claim:${slotAt}`), answer(next.shift() ?? { waitMs: 0, slotAt })),
    reclaim: async (grantedAt) => (calls.push(`reclaim:${grantedAt}`), answer(next.shift() ?? { waitMs: 0, slotAt: grantedAt })),
    reportThrottled: async (ms) => void calls.push(`throttled:${ms}`),
    reportSuccess: async () => void calls.push("success"),
  };
  return { limiter, calls };
}

const health = z.object({ ok: z.literal(true) });
const send = (limiter: RateLimiter, meter = new RequestMeter()) =>
  sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, { limiter, meter, timeoutMs: 5000 });

describe("sendJson", () => {
  it("sends at once on a grant read within LATE_GRANT_MS of a normal round trip", async () => {
    const { limiter, calls } = recordingLimiter([], { waitMs: 0, slotAt: 1000, heldMs: LATE_GRANT_MS });
    const meter = new RequestMeter();
    expect(await send(limiter, meter)).toEqual({ ok: true });
    expect(calls).toEqual(["reserve"]);
    expect(meter).toMatchObject({ reservations: 1, claims: 0, reclaims: 0, requests: 1 });
  });

  it("sleeps until a later turn, then claims it, and sends when granted", async () => {
    const { limiter, calls } = recordingLimiter([{ waitMs: 0, slotAt: 1020 }], { waitMs: 5, slotAt: 1005 });
    const meter = new RequestMeter();
    await send(limiter, meter);
    expect(calls).toEqual(["reserve", "claim:1005"]);
    expect(meter).toMatchObject({ reservations: 1, claims: 1, reclaims: 0, requests: 1 });
  });

  it("a claim squeezed by late senders sleeps again and claims the time it was given", async () => {
    const { limiter, calls } = recordingLimiter([{ waitMs: 3, slotAt: 1013 }, { waitMs: 0, slotAt: 1014 }], { waitMs: 5, slotAt: 1005 });
    const meter = new RequestMeter();
    await send(limiter, meter);
    expect(calls).toEqual(["reserve", "claim:1005", "claim:1013"]);
    expect(meter).toMatchObject({ reservations: 1, claims: 2, requests: 1 });
  });

  it("a grant whose answer was held up in a busy isolate is reclaimed, and the new grant used", async () => {
    const { limiter, calls } = recordingLimiter([{ waitMs: 0, slotAt: 1080, heldMs: 1 }], { waitMs: 0, slotAt: 1000, heldMs: LATE_GRANT_MS + 1 });
    const meter = new RequestMeter();
    await send(limiter, meter);
    expect(calls).toEqual(["reserve", "reclaim:1000"]);
    expect(meter).toMatchObject({ reclaims: 1, requests: 1 });
  });

  it("a claim's grant read late is reclaimed too; an isolate busy at every answer still sends after 3", async () => {
    const held = (slotAt: number) => ({ waitMs: 0, slotAt, heldMs: 50 });
    const { limiter, calls } = recordingLimiter([held(1010), held(1100), held(1200), held(1300)], { waitMs: 5, slotAt: 1005 });
    const meter = new RequestMeter();
    await send(limiter, meter);
    expect(calls).toEqual(["reserve", "claim:1005", "reclaim:1010", "reclaim:1100", "reclaim:1200"]);
    expect(meter).toMatchObject({ claims: 1, reclaims: 3, requests: 1 });
  });

  it("fails fast on a 4xx that is not a throttle, with the upstream's message", async () => {
    const { limiter, calls } = recordingLimiter();
    const attempt = sendJson(
      { url: `${SANDBOX}/contacts/search`, method: "POST", headers: { authorization: "Bearer nope", version: "2021-07-28" }, body: {} },
      health,
      { limiter, meter: new RequestMeter(), timeoutMs: 5000 },
    );
    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toMatchObject({ kind: "auth", status: 401 });
    expect(calls).toEqual(["reserve"]);
  });
});

describe("GHL's window headers", () => {
  const answer = (remaining: number, max: number, interval = 1000) =>
    new Response("{}", {
      headers: { "x-ratelimit-remaining": String(remaining), "x-ratelimit-max": String(max), "x-ratelimit-interval-milliseconds": String(interval) },
    });
  const pace = { rps: 7, burst: 1 };

  it("an empty window our own pace cannot overfill is no reason to wait (the bucket spaces the next send)", () => {
    expect(windowExhaustedMs(answer(0, 7), pace)).toBeNull();
    expect(windowExhaustedMs(answer(0, 100, 10_000), pace)).toBeNull();
  });

  it("an empty window our pace could overfill, or one seen without knowing our pace, waits a window", () => {
    expect(windowExhaustedMs(answer(0, 5), pace)).toBe(1000);
    expect(windowExhaustedMs(answer(0, 7), { rps: 7, burst: 3 })).toBe(1000);
    expect(windowExhaustedMs(answer(0, 7))).toBe(1000);
  });

  it("a window with room left is no throttle", () => {
    expect(windowExhaustedMs(answer(3, 7), pace)).toBeNull();
  });
});
