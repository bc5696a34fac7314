// One RateLimiter object per upstream account ("amocrm:<subdomain>", "ghl:<locationId>"). It only
// hands out turns and grants: callers sleep outside it, so it never holds a request open. Every
// change is written to storage before the reply, so an eviction or crash can never refill the bucket.
import { DurableObject } from "cloudflare:workers";
import { rateLimitConfigFrom } from "./config";
import {
  type GcraConfig,
  type GcraState,
  type Turn,
  claim,
  idleAt,
  initialState,
  isIdle,
  reclaim,
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
/** In-memory metrics only (lost on eviction, which is fine): grant times kept for snapshot(). */
const RECENT_MAX = 256;

/** As stored: state written before claims existed has a log of booked sends instead of `sent`. */
type Stored = { state: Partial<GcraState> & { booked?: number[] }; config: GcraConfig };

/** What reserve, claim and reclaim answer (the client adds how long the answer took). */
export type Answer = Omit<Reservation, "heldMs">;

export type Snapshot = {
  state: GcraState;
  config: GcraConfig;
  /** Sends granted in the last 1000 ms: the send rate this limiter let through. */
  grantedLastSecond: number;
  /** How far ahead turns are already handed out (0 when a send may go now). */
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
        // Bookings of the previous design are sends their callers will make without asking.
        const { booked, sent, ...rest } = stored.state;
        this.state = { ...initialState(), ...rest, sent: sent ?? booked ?? [] };
        this.config = stored.config;
      }
      this.alarmArmed = (await ctx.storage.getAlarm()) !== null;
    });
  }

  /** The next turn: granted at once (waitMs 0) when due now, else a time to claim it at. */
  async reserve(config: RateLimitConfig): Promise<Answer> {
    return this.answer(config, (state, checked, now) => reserve(state, checked, now));
  }

  /** The caller slept until its turn `slotAt` (however late it woke) and asks to send now. */
  async claim(config: RateLimitConfig, slotAt: number): Promise<Answer> {
    if (!Number.isFinite(slotAt)) throw new RangeError(`slotAt must be a finite time, got ${slotAt}`);
    return this.answer(config, (state, checked, now) => claim(state, checked, now, slotAt));
  }

  /** The grant logged at `grantedAt` reached its caller late: it is withdrawn and asked for again now. */
  async reclaim(config: RateLimitConfig, grantedAt: number): Promise<Answer> {
    if (!Number.isFinite(grantedAt)) throw new RangeError(`grantedAt must be a finite time, got ${grantedAt}`);
    this.forget(grantedAt);
    return this.answer(config, (state, checked, now) => reclaim(state, checked, now, grantedAt));
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
      grantedLastSecond: this.recent.filter((t) => t > now - 1000 && t <= now).length,
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

  /** Applies one step of the maths at the object's clock, stores it, and answers the caller. */
  private async answer(config: RateLimitConfig, step: (state: GcraState, config: GcraConfig, now: number) => Turn): Promise<Answer> {
    const now = Date.now();
    const checked = toGcraConfig(config);
    const next = step(this.state, checked, now);
    this.config = checked;
    this.state = next.state;
    if (next.waitMs === 0) this.remember(next.slotAt, now);
    await this.save();
    return { waitMs: next.waitMs, throttled: this.state.strikes > 0, slotAt: next.slotAt };
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

  private forget(grantedAt: number): void {
    const i = this.recent.indexOf(grantedAt);
    if (i !== -1) this.recent.splice(i, 1);
  }

  private remember(grantedAt: number, now: number): void {
    this.recent = this.recent.filter((t) => t > now - 1000);
    this.recent.push(grantedAt);
    if (this.recent.length > RECENT_MAX) this.recent.shift();
  }
}
