// The limiter's maths with a fake clock: spacing, burst, the arrival-window property that the
// margin buys, backoff after 429s, interleaved callers. No Durable Object, no real time.
import { describe, expect, it } from "vitest";
import {
  type GcraConfig,
  type GcraState,
  backoffMs,
  initialState,
  intervalMs,
  isIdle,
  reserve,
  succeeded,
  throttled,
  toGcraConfig,
} from "../../worker/ratelimit/gcra";

const SEVEN = toGcraConfig({ rps: 7, burst: 1 });
const T = intervalMs(SEVEN); // 148.57… ms

/** mulberry32: a seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reserves at each `now` in turn; returns the send times (now + waitMs) and the final state. */
function run(config: GcraConfig, nows: number[], start: GcraState = initialState()) {
  let state = start;
  const sends: number[] = [];
  for (const now of nows) {
    const r = reserve(state, config, now);
    state = r.state;
    sends.push(now + r.waitMs);
  }
  return { sends, state };
}

/** Most arrivals in any window [t, t + 1000). */
function maxInWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] ?? Infinity) < (sorted[i] ?? 0) + 1000) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - (xs[i] ?? 0));

describe("GCRA reservations", () => {
  it("burst 1: the first send goes now, every next one T later", () => {
    expect(T).toBeCloseTo((1000 / 7) * 1.04, 9);
    const { sends } = run(SEVEN, Array(10).fill(1_000));
    expect(sends[0]).toBe(1_000);
    for (const gap of gaps(sends)) expect(gap).toBeGreaterThanOrEqual(Math.floor(T));
    expect(sends[9]).toBe(1_000 + Math.ceil(9 * T)); // waitMs is rounded up, never down
  });

  it("burst b: b sends go at once after idle, then strictly spaced", () => {
    const config = toGcraConfig({ rps: 7, burst: 3 });
    const { sends } = run(config, Array(6).fill(5_000));
    expect(sends.slice(0, 3)).toEqual([5_000, 5_000, 5_000]);
    expect(sends.slice(3)).toEqual([1, 2, 3].map((k) => 5_000 + Math.ceil(k * T)));
  });

  it("100 reservations at 7 rps span 100·T", () => {
    const { sends, state } = run(SEVEN, Array(100).fill(0));
    expect(state.tat).toBeCloseTo(100 * T, 6);
    expect(sends[99]).toBe(Math.ceil(99 * T));
  });

  it("a busy caller achieves ≥ 95 % of the limit", () => {
    let state = initialState();
    let now = 0;
    let sent = 0;
    while (true) {
      const r = reserve(state, SEVEN, now);
      if (now + r.waitMs >= 10_000) break;
      state = r.state;
      now += r.waitMs; // sleep, send, ask again at once
      sent++;
    }
    expect(sent).toBeGreaterThanOrEqual(0.95 * 7 * 10);
    expect(sent).toBeLessThanOrEqual(7 * 10);
  });

  it("with up to 20 ms of arrival jitter no 1000 ms window at the upstream sees more than rps", () => {
    const random = prng(20_260_401);
    for (const rps of [7, 10, 3]) {
      const config = toGcraConfig({ rps, burst: 1 });
      // Callers ask at random moments, sometimes in a rush, sometimes after a pause.
      let now = 0;
      const nows = Array.from({ length: 2_000 }, () => (now += random() < 0.1 ? random() * 3_000 : random() * 50));
      const arrivals = run(config, nows).sends.map((s) => s + random() * 20);
      expect(maxInWindow(arrivals), `rps ${rps}`).toBeLessThanOrEqual(rps);
      // The same schedule without the margin: jitter puts rps + 1 arrivals in one second.
      const bare = run(toGcraConfig({ rps, burst: 1, marginPct: 0 }), nows).sends.map((s) => s + random() * 20);
      expect(maxInWindow(bare), `rps ${rps} without margin`).toBeGreaterThan(rps);
    }
  });

  it("interleaved callers each get a distinct slot, T apart", () => {
    // Three callers asking in an interleaved order at nearby instants, as concurrent RPCs would.
    const nows = [0, 0, 0, 3, 3, 10, 10, 10, 40, 41];
    const { sends } = run(SEVEN, nows);
    expect(new Set(sends).size).toBe(nows.length);
    for (const gap of gaps(sends)) expect(gap).toBeGreaterThanOrEqual(Math.floor(T));
  });

  it("cost weighs one request as several and must fit in the burst", () => {
    const config = toGcraConfig({ rps: 10, burst: 4 });
    const first = reserve(initialState(), config, 0, 4);
    expect(first.waitMs).toBe(0);
    const next = reserve(first.state, config, 0).waitMs; // the 4 units used the whole burst
    expect(next).toBeGreaterThanOrEqual(intervalMs(config));
    expect(next).toBeLessThan(intervalMs(config) + 1);
    expect(() => reserve(initialState(), SEVEN, 0, 2)).toThrow(RangeError);
  });

  it("rejects configs no limiter should run with", () => {
    expect(() => toGcraConfig({ rps: 0, burst: 1 })).toThrow(RangeError);
    expect(() => toGcraConfig({ rps: 7, burst: 1.5 })).toThrow(RangeError);
    expect(() => toGcraConfig({ rps: Number.NaN, burst: 1 })).toThrow(RangeError);
    expect(() => toGcraConfig({ rps: 7, burst: 1, marginPct: -1 })).toThrow(RangeError);
    expect(toGcraConfig({ rps: 7, burst: 2 })).toEqual({ rps: 7, burst: 2, marginPct: 4 });
  });
});

describe("after a 429", () => {
  it("every caller's next slot moves past Retry-After, then strictly spaced even with burst", () => {
    const config = toGcraConfig({ rps: 7, burst: 3 });
    const before = run(config, [0, 0, 0]).state;
    const blocked = throttled(before, config, 100, 5_000);
    expect(blocked.blockedUntil).toBe(5_100);
    expect(blocked.strikes).toBe(1);
    const { sends } = run(config, [200, 200, 300], blocked);
    expect(sends[0]).toBe(5_100);
    expect(gaps(sends).every((g) => g >= Math.floor(T))).toBe(true); // burst credit forfeited
  });

  it("without Retry-After it backs off 2 s, 4 s, 8 s … capped at 60 s; a success resets it", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map(backoffMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    let state = initialState();
    let now = 0;
    for (const expected of [2_000, 4_000, 8_000]) {
      state = throttled(state, SEVEN, now, null);
      const r = reserve(state, SEVEN, now);
      expect(r.waitMs).toBe(expected);
      state = r.state;
      now += r.waitMs; // the retry goes out and is throttled again
    }
    expect(state.strikes).toBe(3);
    state = succeeded(state);
    expect(state.strikes).toBe(0);
    state = throttled(state, SEVEN, now, null);
    expect(state.blockedUntil).toBe(now + 2_000);
  });

  it("a nonsense Retry-After falls back to the backoff, a huge one is capped at an hour", () => {
    expect(throttled(initialState(), SEVEN, 0, -5).blockedUntil).toBe(2_000);
    expect(throttled(initialState(), SEVEN, 0, Number.NaN).blockedUntil).toBe(2_000);
    expect(throttled(initialState(), SEVEN, 0, 9e9).blockedUntil).toBe(3_600_000);
  });

  it("a shorter Retry-After never shortens a block already in force, a longer one extends it", () => {
    const first = throttled(initialState(), SEVEN, 0, 10_000);
    expect(throttled(first, SEVEN, 1_000, 1_000).blockedUntil).toBe(10_000);
    expect(throttled(first, SEVEN, 1_000, 30_000).blockedUntil).toBe(31_000);
  });

  it("requests already in flight when a block began add no strike: one episode, one step", () => {
    let state = throttled(initialState(), SEVEN, 0, null); // 2 s
    for (const now of [100, 200, 300]) state = throttled(state, SEVEN, now, null);
    expect(state).toMatchObject({ blockedUntil: 2_000, strikes: 1 });
    state = throttled(state, SEVEN, 2_000, null); // the retry after the block: a new episode
    expect(state).toMatchObject({ blockedUntil: 6_000, strikes: 2 });
  });
});

describe("isIdle", () => {
  it("is true only once the bucket is full again and no block is in force", () => {
    expect(isIdle(initialState(), 0)).toBe(true);
    const busy = run(SEVEN, [0, 0]).state; // tat = 2T
    expect(isIdle(busy, T)).toBe(false);
    expect(isIdle(busy, 2 * T)).toBe(true);
    // With a burst, one free slot is not "full": forgetting the state then would grant extra sends.
    const burst = toGcraConfig({ rps: 7, burst: 3 });
    const used = run(burst, [0]).state;
    expect(reserve(used, burst, 1).waitMs).toBe(0);
    expect(isIdle(used, 1)).toBe(false);
    const blocked = throttled(initialState(), SEVEN, 0, 5_000);
    expect(isIdle(blocked, 4_999)).toBe(false);
    expect(isIdle(blocked, 5_000)).toBe(true);
  });
});
