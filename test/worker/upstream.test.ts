// The rate-limited HTTP layer, with an injected clock and a recording limiter.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RequestMeter } from "../../worker/providers/meter";
import { LATE_SLOT_MS, UpstreamError, sendJson, windowExhaustedMs } from "../../worker/providers/upstream";
import type { RateLimiter } from "../../worker/ratelimit/interface";
import { SANDBOX } from "./helpers";

/**
 * A limiter that records calls. reserve() says "now" (slot at `slotAt`, the real clock by default);
 * confirmLate answers from `confirms` in turn (default: go).
 */
function recordingLimiter(confirms: { waitMs: number; slotAt: number }[] = [], slotAt?: number) {
  const calls: string[] = [];
  const limiter: RateLimiter = {
    reserve: async () => (calls.push("reserve"), { waitMs: 0, throttled: false, slotAt: slotAt ?? Date.now() }),
    confirmLate: async (slotAt) => (calls.push(`confirm:${slotAt}`), { throttled: false, ...(confirms.shift() ?? { waitMs: 0, slotAt }) }),
    reportThrottled: async (ms) => void calls.push(`throttled:${ms}`),
    reportSuccess: async () => void calls.push("success"),
  };
  return { limiter, calls };
}

const health = z.object({ ok: z.literal(true) });

describe("sendJson", () => {
  it("sends on a slot it woke for within LATE_SLOT_MS without asking again", async () => {
    const { limiter, calls } = recordingLimiter([], 1000);
    const times = [1000, 1000 + LATE_SLOT_MS, 1000 + LATE_SLOT_MS];
    const meter = new RequestMeter();
    const body = await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, {
      limiter,
      meter,
      timeoutMs: 5000,
      now: () => times.shift() ?? 2000,
    });
    expect(body).toEqual({ ok: true });
    expect(calls).toEqual(["reserve"]);
    expect(meter).toMatchObject({ reservations: 1, lateSlots: 0, reslotted: 0, requests: 1 });
  });

  it("confirms a slot it woke too late for instead of giving it up, and sends when told to go", async () => {
    const { limiter, calls } = recordingLimiter([{ waitMs: 0, slotAt: 1026 }], 1000);
    const times = [1000, 1000 + LATE_SLOT_MS + 1, 1026, 1026, 1030];
    const meter = new RequestMeter();
    await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, { limiter, meter, timeoutMs: 5000, now: () => times.shift() ?? 2000 });
    expect(calls).toEqual(["reserve", "confirm:1000"]);
    expect(meter).toMatchObject({ reservations: 1, lateSlots: 1, reslotted: 0, requests: 1 });
  });

  it("a late wake into a full window sleeps for the fresh slot, and confirms again if late again", async () => {
    // The first confirm gives a fresh slot 5 ms ahead; the caller wakes late for that one too.
    const { limiter, calls } = recordingLimiter([{ waitMs: 5, slotAt: 1105 }, { waitMs: 0, slotAt: 1200 }], 1000);
    const times = [1000, 1100, 1100, 1200, 1200, 1200, 1200];
    const meter = new RequestMeter();
    await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, { limiter, meter, timeoutMs: 5000, now: () => times.shift() ?? 2000 });
    expect(calls).toEqual(["reserve", "confirm:1000", "confirm:1105"]);
    expect(meter).toMatchObject({ reservations: 1, lateSlots: 2, reslotted: 1, requests: 1 });
  });

  it("measures lateness against the limiter's slot too: a reply that sat in a busy isolate is late", async () => {
    // reserve said "now, at 1000", but the caller only read the reply at 1080.
    const { limiter, calls } = recordingLimiter([{ waitMs: 0, slotAt: 1080 }], 1000);
    const times = [1080, 1080, 1080, 1080, 1085];
    const meter = new RequestMeter();
    await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, { limiter, meter, timeoutMs: 5000, now: () => times.shift() ?? 2000 });
    expect(calls).toEqual(["reserve", "confirm:1000"]);
  });

  it("a confirmation's go read late is confirmed again", async () => {
    const { limiter, calls } = recordingLimiter([{ waitMs: 0, slotAt: 1100 }, { waitMs: 0, slotAt: 1180 }], 1000);
    const times = [1000, 1100, 1180, 1180, 1180, 1180, 1181];
    const meter = new RequestMeter();
    await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, { limiter, meter, timeoutMs: 5000, now: () => times.shift() ?? 2000 });
    expect(calls).toEqual(["reserve", "confirm:1000", "confirm:1100"]);
    expect(meter).toMatchObject({ lateSlots: 2, reslotted: 0, requests: 1 });
  });

  it("a caller whose clock runs ahead of the limiter's stops judging by the slot's time after 3 checks", async () => {
    const { limiter, calls } = recordingLimiter([{ waitMs: 0, slotAt: 900 }, { waitMs: 0, slotAt: 900 }, { waitMs: 0, slotAt: 900 }], 900);
    const meter = new RequestMeter();
    await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, { limiter, meter, timeoutMs: 5000, now: () => 1000 });
    expect(calls).toEqual(["reserve", "confirm:900", "confirm:900", "confirm:900"]);
    expect(meter.requests).toBe(1);
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
