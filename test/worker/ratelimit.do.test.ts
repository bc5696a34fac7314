// The RateLimiter Durable Object through real stubs in workerd: shared spacing across callers, one
// object per key, state that survives eviction and crashes, and alarm cleanup. Slow test rates
// (T of seconds) keep every assertion independent of how long the test itself takes.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IDLE_GRACE_MS, type RateLimiter } from "../../worker/ratelimit/durable-object";
import { intervalMs, toGcraConfig, windowOf } from "../../worker/ratelimit/gcra";

const SEVEN = { rps: 7, burst: 1 };
/** One send per 10.4 s: a queue that a test can never drain by being slow. */
const SLOW = { rps: 0.1, burst: 1 };

const stubFor = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
const key = () => `test:${crypto.randomUUID()}`;
const stored = (stub: DurableObjectStub<RateLimiter>) =>
  runInDurableObject(stub, (_, state) => state.storage.kv.get("limiter") ?? null);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("RateLimiter Durable Object", () => {
  it("callers on several stubs of one account get strictly spaced turns", async () => {
    const name = key();
    const callers = Array.from({ length: 12 }, () => stubFor(name));
    const grants = await Promise.all(callers.map((stub) => stub.reserve(SLOW)));
    const slots = grants.map((g) => g.slotAt).sort((a, b) => a - b);
    const T = intervalMs(toGcraConfig(SLOW));
    for (let i = 1; i < slots.length; i++) {
      expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBeGreaterThanOrEqual(T - 1e-6);
    }
    expect(grants.filter((g) => g.waitMs === 0).length).toBeLessThanOrEqual(1);
  });

  it("two accounts are independent", async () => {
    const a = stubFor(key());
    await a.reserve(SLOW);
    expect((await a.reserve(SLOW)).waitMs).toBeGreaterThan(5_000);
    expect((await stubFor(key()).reserve(SLOW)).waitMs).toBe(0);
  });

  it("state is stored before the answer and survives eviction: no refill, no burst", async () => {
    const stub = stubFor(key());
    await stub.reserve(SLOW);
    const second = await stub.reserve(SLOW);
    const T = intervalMs(toGcraConfig(SLOW));
    expect(await stored(stub)).toMatchObject({ state: { tat: second.slotAt + T, strikes: 0 }, config: { rps: 0.1 } });

    const before = await runInDurableObject(stub, (instance) => instance);
    await evictDurableObject(stub);
    expect(await runInDurableObject(stub, (instance) => instance)).not.toBe(before); // a fresh instance
    const third = await stub.reserve(SLOW);
    expect(third.slotAt).toBe(second.slotAt + T);
    expect(third.waitMs).toBeGreaterThan(T);
  });

  // workerd logs the abort as an "uncaught exception … simulated crash": that line is expected.
  it("a crash (ctx.abort) right after answering loses nothing", async () => {
    const name = key();
    const first = await stubFor(name).reserve(SLOW);
    await expect(runInDurableObject(stubFor(name), (_, state) => state.abort("simulated crash"))).rejects.toThrow();
    const next = await stubFor(name).reserve(SLOW); // a stub is unusable after an error: take a new one
    expect(next.slotAt).toBe(first.slotAt + intervalMs(toGcraConfig(SLOW)));
  });

  it("a 429 pushes every caller past Retry-After; throttled until a success is reported", async () => {
    const name = key();
    await stubFor(name).reserve(SEVEN);
    await stubFor(name).reportThrottled(SEVEN, 30_000);
    const [a, b] = await Promise.all([stubFor(name).reserve(SEVEN), stubFor(name).reserve(SEVEN)]);
    expect(Math.min(a?.waitMs ?? 0, b?.waitMs ?? 0)).toBeGreaterThan(20_000);
    expect(a?.throttled && b?.throttled).toBe(true);
    await stubFor(name).reportSuccess();
    expect((await stubFor(name).reserve(SEVEN)).throttled).toBe(false);
    expect((await stubFor(name).snapshot()).state.strikes).toBe(0);
  });
});

describe("claims", () => {
  it("a turn claimed late is granted at once; the send log survives eviction and holds back the send 7 later", async () => {
    const clock = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(clock); // the DO shares the test's isolate
    const stub = stubFor(key());
    const T = intervalMs(toGcraConfig(SEVEN));
    const turns = [];
    for (let i = 0; i < 9; i++) turns.push(await stub.reserve(SEVEN)); // clock (granted), then turns T … 8T
    expect(turns[0]).toMatchObject({ waitMs: 0, slotAt: clock });
    expect(turns[1]?.waitMs).toBeGreaterThan(0);
    now.mockReturnValue(clock + T + 100); // the second caller wakes 100 ms late: nobody holds a booking in its way
    expect(await stub.claim(SEVEN, turns[1]?.slotAt ?? 0)).toEqual({ waitMs: 0, throttled: false, slotAt: clock + T + 100 });
    expect(await stored(stub)).toMatchObject({ state: { sent: [clock, clock + T + 100] } });

    await evictDurableObject(stub);
    for (let i = 2; i < 8; i++) {
      now.mockReturnValue(turns[i]?.slotAt ?? 0);
      expect((await stub.claim(SEVEN, turns[i]?.slotAt ?? 0)).waitMs).toBe(0);
    }
    // Granted at 8T it would make 8 sends in [T + 100, 8T + 100): it waits for the late one's window to pass.
    now.mockReturnValue(turns[8]?.slotAt ?? 0);
    const squeezed = await stub.claim(SEVEN, turns[8]?.slotAt ?? 0);
    expect(squeezed.slotAt).toBeCloseTo(clock + 8 * T + 100, 2);
    expect(squeezed.waitMs).toBe(100);
  });

  it("a claim before its turn waits for it; a claim during a 429 block gets a fresh turn past the block", async () => {
    const clock = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(clock);
    const stub = stubFor(key());
    await stub.reserve(SEVEN);
    const turn = await stub.reserve(SEVEN);
    now.mockReturnValue(clock + 10);
    expect(await stub.claim(SEVEN, turn.slotAt)).toMatchObject({ slotAt: turn.slotAt, waitMs: Math.ceil(turn.slotAt - clock - 10) });

    await stub.reportThrottled(SEVEN, 5_000); // blocked until clock + 5 010
    now.mockReturnValue(turn.slotAt); // on time for a turn booked before the 429: no send inside the block
    const fresh = await stub.claim(SEVEN, turn.slotAt);
    expect(fresh.slotAt).toBeGreaterThanOrEqual(clock + 5_010);
    expect(fresh.throttled).toBe(true);
    expect(await stored(stub)).toMatchObject({ state: { sent: [clock] } });
  });

  it("a grant read late is withdrawn and granted again at now (reclaim)", async () => {
    const clock = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(clock);
    const stub = stubFor(key());
    expect((await stub.reserve(SEVEN)).slotAt).toBe(clock);
    now.mockReturnValue(clock + 30);
    expect(await stub.reclaim(SEVEN, clock)).toEqual({ waitMs: 0, throttled: false, slotAt: clock + 30 });
    expect(await stored(stub)).toMatchObject({ state: { sent: [clock + 30] } });
  });

  it("state stored by the booking design is read as sends already made", async () => {
    const clock = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(clock);
    const stub = stubFor(key());
    const config = toGcraConfig(SEVEN);
    const booked = Array.from({ length: 7 }, (_, i) => clock - 500 + i * 10);
    await runInDurableObject(stub, (_, state) => state.storage.kv.put("limiter", { state: { tat: clock, blockedUntil: 0, strikes: 0, booked }, config }));
    await evictDurableObject(stub);
    const next = await stub.reserve(SEVEN); // 7 sends within the window already: the next fits after the first drops out
    expect(next.slotAt).toBeCloseTo(clock - 500 + windowOf(config).w, 2);
  });
});

describe("snapshot", () => {
  it("reports state, the last config, sends granted in the last second and how far ahead turns go", async () => {
    const clock = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(clock);
    const stub = stubFor(key());
    const config = { rps: 7, burst: 1, marginPct: 10 };
    const turns = [];
    for (let i = 0; i < 5; i++) turns.push(await stub.reserve(config));
    const T = intervalMs(toGcraConfig(config));
    for (const turn of turns.slice(1, 3)) {
      now.mockReturnValue(turn.slotAt);
      await stub.claim(config, turn.slotAt);
    }
    now.mockReturnValue(clock + 2 * T + 1); // three sends are behind us, two turns ahead
    const snap = await stub.snapshot();
    expect(snap.config).toEqual(config);
    expect(snap.grantedLastSecond).toBe(3);
    // Epoch-scale floats carry ~1e-4 ms of rounding.
    expect(snap.queuedMs).toBeCloseTo(3 * T - 1, 2);
    expect(snap.state).toMatchObject({ blockedUntil: 0, strikes: 0 });
    expect(snap.state.tat).toBeCloseTo(clock + 5 * T, 2);
  });

  it("falls back to the deployment default before any caller sent a config", async () => {
    expect((await stubFor(key()).snapshot()).config).toEqual({ rps: 7, burst: 1, marginPct: 4 });
  });
});

describe("cleanup alarm", () => {
  it("keeps (and re-arms for) state with slots still ahead", async () => {
    const stub = stubFor(key());
    const grant = await stub.reserve(SLOW);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stored(stub)).not.toBeNull();
    const T = intervalMs(toGcraConfig(SLOW));
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarm).toBe(grant.slotAt + T + IDLE_GRACE_MS);
  });

  it("deletes idle state", async () => {
    const clock = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(clock); // the DO shares the test's isolate
    const stub = stubFor(key());
    expect((await stub.reserve(SEVEN)).slotAt).toBe(clock);
    expect(await stored(stub)).not.toBeNull();
    // The one reserved slot is in the past (the bucket is full) and can no longer share a window
    // of 7·T = 1040 ms with a new send.
    now.mockReturnValue(clock + 1_100);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stored(stub)).toBeNull();
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
    expect((await stub.reserve(SEVEN)).waitMs).toBe(0);
  });
});
