// AmoCRM's traffic rules per account: 7 requests in any sliding second (429 beyond), and an
// account that keeps hitting 429 gets blocked (403 for every call) for a while. "now" is passed in.
import { Limiter } from "../limits";

export interface AmoRate { max: number; intervalMs: number }
export interface BlockConfig { after429: number; windowMs: number; durationMs: number }

export const DEFAULT_AMO_RATE: AmoRate = { max: 7, intervalMs: 1000 };
export const DEFAULT_BLOCK: BlockConfig = { after429: 3, windowMs: 10_000, durationMs: 60_000 };

export type Admission = "ok" | "blocked" | "limited" | "limited-now-blocked";

export class Throttle {
  private readonly limiter: Limiter;
  private recent429: number[] = [];
  private blockedUntil = 0;

  constructor(readonly rate: AmoRate, readonly block: BlockConfig) {
    // The shared sliding-log limiter; AmoCRM has no daily budget, so that part never bites.
    this.limiter = new Limiter({ ...rate, daily: Number.MAX_SAFE_INTEGER, retryAfter: false });
  }

  isBlocked(now: number): boolean { return now < this.blockedUntil; }

  /** Decides one arrival. Rejected calls do not use up the window; 429s count towards a block. */
  admit(now: number): Admission {
    if (this.isBlocked(now)) return "blocked";
    if (this.limiter.take(now).ok) return "ok";
    this.recent429 = this.recent429.filter((t) => t > now - this.block.windowMs);
    this.recent429.push(now);
    if (this.recent429.length < this.block.after429) return "limited";
    this.recent429 = [];
    this.blockedUntil = now + this.block.durationMs;
    return "limited-now-blocked";
  }

  /** Empty window, no 429 history, no block. */
  reset(): void { this.limiter.reset(); this.recent429 = []; this.blockedUntil = 0; }
}
