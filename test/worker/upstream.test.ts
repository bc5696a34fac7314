// The rate-limited HTTP layer, with an injected clock and a recording limiter.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RequestMeter } from "../../worker/providers/meter";
import { LATE_SLOT_MS, UpstreamError, sendJson } from "../../worker/providers/upstream";
import type { RateLimiter } from "../../worker/ratelimit/interface";
import { SANDBOX } from "./helpers";

function recordingLimiter() {
  const calls: string[] = [];
  const limiter: RateLimiter = {
    reserve: async () => (calls.push("reserve"), { waitMs: 0, throttled: false }),
    reportThrottled: async (ms) => void calls.push(`throttled:${ms}`),
    reportSuccess: async () => void calls.push("success"),
  };
  return { limiter, calls };
}

const health = z.object({ ok: z.literal(true) });

describe("sendJson", () => {
  it("gives up a slot it woke too late for and sends on a fresh one", async () => {
    const { limiter, calls } = recordingLimiter();
    const times = [1000, 1000 + LATE_SLOT_MS + 1, 2000, 2000, 2000];
    const meter = new RequestMeter();
    const body = await sendJson({ url: `${SANDBOX}/__sandbox/health`, headers: {} }, health, {
      limiter,
      meter,
      timeoutMs: 5000,
      now: () => times.shift() ?? 2000,
    });
    expect(body).toEqual({ ok: true });
    expect(calls).toEqual(["reserve", "reserve"]);
    expect(meter.lateSlots).toBe(1);
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
