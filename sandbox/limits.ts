// Rate limiting and traffic stats per account (several locations may share one account).
// Pure bookkeeping with "now" passed in, so it is trivially testable.

export interface RateConfig { max: number; intervalMs: number; daily: number; retryAfter: boolean }

export interface RateDecision {
  ok: boolean;
  remaining: number;
  dailyRemaining: number;
  /** Seconds until a slot frees up (only meaningful when !ok). */
  retryAfterS: number;
}

const DAY_MS = 86_400_000;

/** Inserts `at` into the sorted list (arrivals stamped at the ingress can be handled a little out of order). */
function insertSorted(list: number[], at: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] ?? 0) > at) i--;
  list.splice(i, 0, at);
}

/** Most entries of the sorted `list` in any window [x, x + w) that contains `at` (`at` included). */
export function fullestWindowWith(list: readonly number[], at: number, w: number): number {
  const all = [...list];
  insertSorted(all, at);
  let best = 0;
  for (let i = 0; i < all.length; i++) {
    const start = all[i] ?? 0;
    if (start > at) break;
    if (start <= at - w) continue;
    let j = i;
    while (j < all.length && (all[j] ?? Infinity) < start + w) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Sliding-log limiter: `max` accepted requests in any `intervalMs`, plus a UTC-day budget. */
export class Limiter {
  private hits: number[] = [];
  private day = -1;
  private dayCount = 0;

  constructor(public config: RateConfig) {}

  reset(): void { this.hits = []; this.day = -1; this.dayCount = 0; }

  private prune(now: number): void {
    const cutoff = now - this.config.intervalMs;
    let drop = 0;
    while (drop < this.hits.length && (this.hits[drop] ?? 0) <= cutoff) drop++;
    if (drop) this.hits.splice(0, drop);
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) { this.day = day; this.dayCount = 0; }
  }

  /** Counts the request if allowed; rejected requests do not use up the window. */
  take(now: number): RateDecision {
    this.prune(now);
    const { max, intervalMs, daily } = this.config;
    if (this.dayCount >= daily) {
      return { ok: false, remaining: Math.max(0, max - this.hits.length), dailyRemaining: 0,
        retryAfterS: Math.ceil(((this.day + 1) * DAY_MS - now) / 1000) };
    }
    if (fullestWindowWith(this.hits, now, intervalMs) > max) {
      const oldest = this.hits[0] ?? now;
      return { ok: false, remaining: 0, dailyRemaining: daily - this.dayCount,
        retryAfterS: Math.max(1, Math.ceil((oldest + intervalMs - now) / 1000)) };
    }
    insertSorted(this.hits, now);
    this.dayCount++;
    return { ok: true, remaining: max - this.hits.length, dailyRemaining: daily - this.dayCount, retryAfterS: 0 };
  }

  /** Current view without counting anything (for 401s and headers). */
  peek(now: number): RateDecision {
    this.prune(now);
    return { ok: true, remaining: Math.max(0, this.config.max - this.hits.length),
      dailyRemaining: Math.max(0, this.config.daily - this.dayCount), retryAfterS: 0 };
  }
}

export interface StatsSnapshot {
  requests: number;
  requests429: number;
  requests5xx: number;
  bytes: number;
  perSecond: { second: number; count: number }[];
  maxPerSecond: number;
  firstAt: number | null;
  lastAt: number | null;
}

const KEEP_SECONDS = 120;

/** Arrival-based traffic stats; `maxPerSecond` is the peak count in any 1000 ms sliding window. */
export class Stats {
  private requests = 0;
  private requests429 = 0;
  private requests5xx = 0;
  private bytes = 0;
  private perSecond = new Map<number, number>();
  private window: number[] = [];
  private maxPerSecond = 0;
  private firstAt: number | null = null;
  private lastAt: number | null = null;

  arrive(now: number): void {
    this.requests++;
    this.firstAt = Math.min(this.firstAt ?? now, now);
    this.lastAt = Math.max(this.lastAt ?? now, now);
    const second = Math.floor(now / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    for (const s of this.perSecond.keys()) {
      if (s > second - KEEP_SECONDS) break; // Map keeps insertion order, which is time order
      this.perSecond.delete(s);
    }
    let drop = 0;
    while (drop < this.window.length && (this.window[drop] ?? 0) <= now - 1000) drop++;
    if (drop) this.window.splice(0, drop);
    this.maxPerSecond = Math.max(this.maxPerSecond, fullestWindowWith(this.window, now, 1000));
    insertSorted(this.window, now);
  }

  finish(status: number, bytes: number): void {
    if (status === 429) this.requests429++;
    if (status >= 500) this.requests5xx++;
    this.bytes += bytes;
  }

  snapshot(now: number): StatsSnapshot {
    const from = Math.floor(now / 1000) - KEEP_SECONDS;
    return {
      requests: this.requests,
      requests429: this.requests429,
      requests5xx: this.requests5xx,
      bytes: this.bytes,
      perSecond: [...this.perSecond].filter(([s]) => s > from).map(([second, count]) => ({ second, count })),
      maxPerSecond: this.maxPerSecond,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
    };
  }
}

/** One limiter and one stats bucket; locations with the same accountId point at the same object. */
export class Account {
  readonly limiter: Limiter;
  stats = new Stats();
  constructor(readonly id: string, rate: RateConfig) { this.limiter = new Limiter(rate); }

  /** Fresh stats and an empty limiter window, so the next measured run starts from a full budget. */
  resetTraffic(): void { this.stats = new Stats(); this.limiter.reset(); }
}
