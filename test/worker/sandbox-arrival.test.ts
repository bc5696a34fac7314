// The sandbox counts rate limits by when a request arrived: the ingress stamp the local stack's
// proxy adds (sandbox/arrival.ts), not when its busy isolate got to the request. Stamps can come a
// little out of order, so the limiter and the stats place each arrival where it belongs in time.
import { describe, expect, it } from "vitest";
import { ARRIVAL_HEADER, arrivalTime } from "../../sandbox/arrival";
import { Limiter, Stats, fullestWindowWith } from "../../sandbox/limits";
import { SANDBOX } from "./helpers";
import { sandbox } from "./sandbox";

const stamped = (at: string | null) => new Request("http://x/", { headers: at === null ? {} : { [ARRIVAL_HEADER]: at } });

describe("arrivalTime", () => {
  it("takes a plausible ingress stamp and falls back to now otherwise", () => {
    expect(arrivalTime(stamped("9000"), 10_000)).toBe(9_000);
    expect(arrivalTime(stamped(null), 10_000)).toBe(10_000);
    expect(arrivalTime(stamped(""), 10_000)).toBe(10_000);
    expect(arrivalTime(stamped("soon"), 10_000)).toBe(10_000);
    expect(arrivalTime(stamped("10001"), 10_000)).toBe(10_000); // after now: not a stamp of ours
    expect(arrivalTime(stamped("1"), 120_000)).toBe(120_000); // minutes ago: not a queue wait
  });
});

describe("the limiter and stats with arrivals out of order", () => {
  it("an arrival stamped between two counted ones is judged in its own window", () => {
    const limiter = new Limiter({ max: 2, intervalMs: 1000, daily: 100, retryAfter: false });
    expect(limiter.take(1_000).ok).toBe(true);
    expect(limiter.take(1_500).ok).toBe(true);
    expect(limiter.take(1_400).ok).toBe(false); // [1 000, 2 000) would hold three
    expect(limiter.take(2_100).ok).toBe(true); // [1 500, 2 500) holds two
    expect(limiter.take(2_050).ok).toBe(false); // handled after 2 100 but stamped before it
    expect(fullestWindowWith([1_000, 1_500, 2_100], 2_600, 1000)).toBe(2);
  });

  it("an accepted arrival handled late leaves the window when its own stamp does", () => {
    const limiter = new Limiter({ max: 2, intervalMs: 1000, daily: 100, retryAfter: false });
    for (const at of [1_000, 2_500, 2_000]) expect(limiter.take(at).ok, String(at)).toBe(true);
    expect(limiter.take(3_020).ok).toBe(true); // [2 500, 3 500) holds 2 500 and itself: 2 000 is gone
  });

  it("stats place a late-handled arrival by its stamp", () => {
    const stats = new Stats();
    for (const at of [1_000, 1_300, 1_200, 2_250, 2_260]) stats.arrive(at);
    // The fullest second is [1 000, 2 000) or [1 300, 2 300): 3, not 4 (1 200 left with its stamp).
    expect(stats.snapshot(2_300)).toMatchObject({ requests: 5, maxPerSecond: 3, firstAt: 1_000, lastAt: 2_260 });
  });
});

describe("the GHL gate", () => {
  it("counts the rate limit by the ingress stamp: sends a second apart pass however close they are handled", async () => {
    const id = `arrival-${crypto.randomUUID()}`;
    const { token } = await sandbox.createLocation(id, 3, { rate: { max: 1, intervalMs: 1000 } });
    const search = (arrivedAt: number | null) =>
      fetch(`${SANDBOX}/contacts/search`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          version: "2021-07-28",
          "content-type": "application/json",
          ...(arrivedAt === null ? {} : { [ARRIVAL_HEADER]: String(arrivedAt) }),
        },
        body: JSON.stringify({ locationId: id, pageLimit: 1 }),
      });
    const start = Date.now() - 5_000;
    for (const at of [start, start + 1_000, start + 2_000]) expect((await search(at)).status).toBe(200);
    // Without a stamp the arrival is "now": a window apart from the stamps, then one window for both.
    expect((await search(null)).status).toBe(200);
    expect((await search(null)).status).toBe(429);
  });
});
