// One RateLimiter object per upstream account ("amocrm:<subdomain>", "ghl:<locationId>"). It only
// hands out slots: callers sleep outside it, so it never holds a request open. Every change is
// written to storage before the reply, so an eviction or crash can never refill the bucket.
import { DurableObject } from "cloudflare:workers";
import { rateLimitConfigFrom } from "./client";
import {
  type GcraConfig,
  type GcraState,
  confirmLate,
  idleAt,
  initialState,
  isIdle,
  reserve,
  succeeded,
  throttled,
  toGcraConfig,
} from "./gcra";
import type { RateLimitConfig, Reservation } from "./interface";

const STORAGE_KEY = "limiter";
/**
 * Idle state is deleted this long after it became idle. ≥ the backoff cap, so strikes survive
 * the longest automatic backoff; dropping a refilled bucket is otherwise lossless.
 */
export const IDLE_GRACE_MS = 60_000;
/** In-memory metrics only (lost on eviction, which is fine): slot times kept for snapshot(). */
const RECENT_MAX = 256;

type Stored = { state: GcraState; config: GcraConfig };

/** reserve()'s and confirmLate()'s answer. */
export type Grant = Reservation;

export type Snapshot = {
  state: GcraState;
  config: GcraConfig;
  /** Slots that fell in the last 1000 ms: the send rate this limiter let through. */
  reservedLastSecond: number;
  /** How far ahead slots are already handed out (0 when a send may go now). */
  queuedMs: number;
};

export class RateLimiter extends DurableObject<Env> {
  private state: GcraState = initialState();
  /** The last config a caller sent; null until the first call (then the env default applies). */
  private config: GcraConfig | null = null;
  private alarmArmed = false;
  private recent: number[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      const stored = ctx.storage.kv.get<Stored>(STORAGE_KEY);
      if (stored) {
        // State written before the booking log existed has none: an empty log is what it implies.
        this.state = { ...initialState(), ...stored.state };
        this.config = stored.config;
      }
      this.alarmArmed = (await ctx.storage.getAlarm()) !== null;
    });
  }

  async reserve(config: RateLimitConfig, cost = 1): Promise<Grant> {
    const now = Date.now();
    const checked = toGcraConfig(config);
    const next = reserve(this.state, checked, now, cost);
    this.config = checked;
    this.state = next.state;
    this.remember(next.slotAt, now);
    await this.save();
    return { waitMs: next.waitMs, throttled: this.state.strikes > 0, slotAt: next.slotAt };
  }

  /**
   * The caller woke after `slotAt` (its isolate was busy) and asks to send now instead: "go"
   * (waitMs 0) when moving its booking keeps every window legal, else a fresh slot to sleep for.
   */
  async confirmLate(config: RateLimitConfig, slotAt: number): Promise<Grant> {
    const now = Date.now();
    const checked = toGcraConfig(config);
    if (!Number.isFinite(slotAt)) throw new RangeError(`slotAt must be a finite time, got ${slotAt}`);
    const next = confirmLate(this.state, checked, now, slotAt);
    this.config = checked;
    this.state = next.state;
    if (next.slotAt !== slotAt) {
      this.forget(slotAt);
      this.remember(next.slotAt, now);
    }
    await this.save();
    return { waitMs: next.waitMs, throttled: this.state.strikes > 0, slotAt: next.slotAt };
  }

  async reportThrottled(config: RateLimitConfig, retryAfterMs: number | null): Promise<void> {
    const checked = toGcraConfig(config);
    this.config = checked;
    this.state = throttled(this.state, checked, Date.now(), retryAfterMs);
    await this.save();
  }

  async reportSuccess(): Promise<void> {
    if (this.state.strikes === 0) return; // the common case costs no write
    this.state = succeeded(this.state);
    await this.save();
  }

  snapshot(): Snapshot {
    const now = Date.now();
    return {
      state: this.state,
      config: this.currentConfig(),
      reservedLastSecond: this.recent.filter((t) => t > now - 1000 && t <= now).length,
      queuedMs: Math.max(0, this.state.tat - now),
    };
  }

  /** Cleanup only: refill is computed from elapsed time, never by a timer. */
  override async alarm(): Promise<void> {
    this.alarmArmed = false;
    if (isIdle(this.state, this.currentConfig(), Date.now())) {
      await this.ctx.storage.deleteAll();
      this.state = initialState();
      this.config = null;
      this.recent = [];
      return;
    }
    await this.armAlarm();
  }

  private currentConfig(): GcraConfig {
    return this.config ?? toGcraConfig(rateLimitConfigFrom(this.env));
  }

  /**
   * kv.put is synchronous and the output gate holds our reply until it is durable, so no caller
   * acts on a slot that a restart could hand out again.
   */
  private async save(): Promise<void> {
    this.ctx.storage.kv.put(STORAGE_KEY, { state: this.state, config: this.currentConfig() } satisfies Stored);
    // One alarm at a time; when it fires early (state still busy) it re-arms itself.
    if (!this.alarmArmed) await this.armAlarm();
  }

  private async armAlarm(): Promise<void> {
    await this.ctx.storage.setAlarm(idleAt(this.state, this.currentConfig()) + IDLE_GRACE_MS);
    this.alarmArmed = true;
  }

  private forget(slotAt: number): void {
    const i = this.recent.indexOf(slotAt);
    if (i !== -1) this.recent.splice(i, 1);
  }

  private remember(slotAt: number, now: number): void {
    this.recent = this.recent.filter((t) => t > now - 1000);
    this.recent.push(slotAt);
    if (this.recent.length > RECENT_MAX) this.recent.shift();
  }
}
