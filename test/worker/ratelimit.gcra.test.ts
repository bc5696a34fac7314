// The limiter's maths with a fake clock: spacing, burst, the arrival-window property that the
// margin buys, backoff after 429s, interleaved callers, late callers claiming their turn without
// losing it. No Durable Object, no real time.
import { describe, expect, it } from "vitest";
import {
  type GcraConfig,
  type GcraState,
  backoffMs,
  claim,
  initialState,
  intervalMs,
  isIdle,
  reclaim,
  reserve,
  succeeded,
  throttled,
  toGcraConfig,
  windowOf,
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

/** Reserves at each `now` in turn; returns the turn times (now + waitMs) and the final state. */
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
  it("is true only once the bucket is full again, no block is in force and no send is within a window", () => {
    expect(isIdle(initialState(), SEVEN, 0)).toBe(true);
    const busy = run(SEVEN, [0, 0]).state; // a send at 0, a turn handed out for T, tat = 2T
    expect(isIdle(busy, SEVEN, 2 * T)).toBe(false); // the send at 0 still shares a window with a new one
    expect(isIdle(busy, SEVEN, windowOf(SEVEN).w)).toBe(true);
    // With a burst, one free slot is not "full": forgetting the state then would grant extra sends.
    const burst = toGcraConfig({ rps: 7, burst: 3 });
    const used = run(burst, [0]).state;
    expect(reserve(used, burst, 1).waitMs).toBe(0);
    expect(isIdle(used, burst, 1)).toBe(false);
    const blocked = throttled(initialState(), SEVEN, 0, 5_000);
    expect(isIdle(blocked, SEVEN, 4_999)).toBe(false);
    expect(isIdle(blocked, SEVEN, 5_000)).toBe(true);
  });
});

describe("claims and the send log", () => {
  const W = windowOf(SEVEN).w; // 7·T = 1040 ms

  /** k reservations asked at `now`: a send at now, then turns now + T, now + 2T, … */
  const queued = (k: number, now = 0) => run(SEVEN, Array(k).fill(now));

  it("N = ⌊rps⌋ + burst − 1 sends per ⌊rps⌋·T: what strict spacing gives, for any burst", () => {
    expect(windowOf(SEVEN)).toEqual({ n: 7, w: 7 * T });
    const burst3 = toGcraConfig({ rps: 7, burst: 3 });
    expect(windowOf(burst3)).toEqual({ n: 9, w: 7 * intervalMs(burst3) });
    expect(windowOf(toGcraConfig({ rps: 0.1, burst: 1 }))).toEqual({ n: 1, w: intervalMs(toGcraConfig({ rps: 0.1, burst: 1 })) });
    // Turns are exactly what GCRA gives: the log only binds once someone claimed late.
    const { sends, state } = run(burst3, Array(30).fill(0));
    expect(sends.slice(0, 3)).toEqual([0, 0, 0]);
    sends.slice(3).forEach((send, k) => expect(Math.abs(send - (k + 1) * intervalMs(burst3))).toBeLessThanOrEqual(1));
    expect(state.sent).toEqual([0, 0, 0]); // only the turns due at once were granted (and logged)
  });

  it("a turn claimed late is granted at once, with the turns handed out after it left where they are", () => {
    const { state } = queued(3); // sent [0], turns T and 2T
    const late = claim(state, SEVEN, T + 130, T); // woke 130 ms late: a turn, not a booking, nobody in the way
    expect(late).toMatchObject({ waitMs: 0, slotAt: T + 130 });
    expect(late.state.sent).toEqual([0, T + 130]);
    expect(late.state.tat).toBe(state.tat);
    expect(claim(late.state, SEVEN, 2 * T, 2 * T)).toMatchObject({ waitMs: 0, slotAt: 2 * T }); // 17 ms after it: legal
  });

  it("a late send holds back the send N after it, by its lateness and no more", () => {
    let { state } = queued(9); // sent [0], turns T … 8T
    state = claim(state, SEVEN, T + 100, T).state;
    for (let i = 2; i < 8; i++) state = claim(state, SEVEN, i * T, i * T).state;
    const squeezed = claim(state, SEVEN, 8 * T, 8 * T); // 8 in [T + 100, 8T + 100) otherwise
    expect(squeezed.slotAt).toBeCloseTo(8 * T + 100, 6);
    expect(squeezed.waitMs).toBe(Math.ceil(8 * T + 100 - 8 * T));
    const then = claim(squeezed.state, SEVEN, squeezed.slotAt, squeezed.slotAt);
    expect(then.waitMs).toBe(0);
    expect(maxInWindowOf(then.state.sent, W)).toBe(7);
  });

  it("no send while a 429 block is in force: a claim gets a fresh turn past the block", () => {
    const { state } = queued(2);
    const blocked = throttled(state, SEVEN, 50, 3_000); // until 3 050
    const fresh = claim(blocked, SEVEN, T, T);
    expect(fresh.waitMs).toBeGreaterThan(0);
    expect(fresh.slotAt).toBeGreaterThanOrEqual(3_050);
    expect(fresh.state.sent).toEqual([0]);
  });

  it("a claim before its turn waits for it; a grant read late is withdrawn and granted at now", () => {
    const { state } = queued(2);
    expect(claim(state, SEVEN, 100, T)).toEqual({ state, waitMs: Math.ceil(T - 100), slotAt: T });
    const again = reclaim(state, SEVEN, 40, 0); // the grant at 0 reached its caller only at 40
    expect(again).toMatchObject({ waitMs: 0, slotAt: 40 });
    expect(again.state.sent).toEqual([40]);
    // Held so long that seven others were granted meanwhile: withdrawn, and it waits for a place.
    let full = queued(9).state;
    for (let i = 1; i < 8; i++) full = claim(full, SEVEN, i * T, i * T).state; // sent 0, T … 7T
    const waits = reclaim(full, SEVEN, 7 * T + 5, 0);
    expect(waits.slotAt).toBeCloseTo(8 * T, 6);
    expect(waits.waitMs).toBe(Math.ceil(8 * T - (7 * T + 5)));
    expect(waits.state.sent).not.toContain(0);
  });

  it("many callers waking up to 400 ms late: ≤ rps arrivals per second, every turn used, and the pace kept", () => {
    const random = prng(20_261_122);
    for (const callers of [3, 12]) {
      let state = initialState();
      const arrivals: number[] = [];
      let reservations = 0;
      // Event loop over callers: each reserves, sleeps until its turn, wakes on time or late (a busy
      // isolate), claims, and sends when granted; then it comes back for the next page.
      type Caller = { at: number; turn: number | null };
      const queue: Caller[] = Array.from({ length: callers }, (_, i) => ({ at: i * 7, turn: null }));
      const wake = (at: number) => at + (random() < 0.3 ? 30 + random() * 370 : random() * 20);
      while (arrivals.length < 600) {
        queue.sort((a, b) => a.at - b.at);
        const c = queue[0];
        if (!c) break;
        const now = c.at;
        const answer = c.turn === null ? (reservations++, reserve(state, SEVEN, now)) : claim(state, SEVEN, now, c.turn);
        state = answer.state;
        if (answer.waitMs > 0) {
          c.turn = answer.slotAt;
          c.at = wake(now + answer.waitMs);
          continue;
        }
        arrivals.push(now + random() * 39); // trip jitter within the margin's 40 ms slack
        c.turn = null;
        c.at = now + 20 + random() * 300; // parse, write, come back for the next page
      }
      expect(maxInWindow(arrivals), `${callers} callers`).toBeLessThanOrEqual(7);
      expect(reservations - callers, `${callers} callers`).toBeLessThanOrEqual(arrivals.length); // no turn given up
      const sorted = [...arrivals].sort((a, b) => a - b);
      const rate = ((sorted.length - 1) / ((sorted.at(-1) ?? 0) - (sorted[0] ?? 0))) * 1000;
      if (callers === 12) expect(rate / 7, "12 callers keep the bucket busy").toBeGreaterThanOrEqual(0.9);
    }
  });
});

/** Most sends in any window [t, t + w). */
function maxInWindowOf(times: number[], w: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && (sorted[j] ?? Infinity) < (sorted[i] ?? 0) + w - 1e-6) j++;
    best = Math.max(best, j - i);
  }
  return best;
}
