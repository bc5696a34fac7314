// Counts what a sync run asks of its upstream: requests, throttles, bytes, and requests per second
// (by send time) so runs can report average and peak rates; and what it asked of the rate limiter
// (reservations, claims, reclaims of grants read late), so a busy isolate's cost is visible.

export type MeterSnapshot = {
  requests: number;
  throttled: number;
  bytes: number;
  perSecond: Record<string, number>;
  /** Limiter calls: reserve() per send attempt, claim() per turn slept for, reclaim() per grant read late. */
  limiter?: { reservations: number; claims: number; reclaims: number };
};

export class RequestMeter {
  requests = 0;
  throttled = 0;
  bytes = 0;
  /** reserve() calls: one per send attempt (retries included). */
  reservations = 0;
  /** claim() calls: one per turn slept for (a turn squeezed by late senders, or a block, adds one). */
  claims = 0;
  /** Grants whose answer waited in a busy isolate beyond LATE_GRANT_MS: asked for again. */
  reclaims = 0;
  readonly perSecond = new Map<number, number>();

  sent(now: number): void {
    this.requests++;
    const second = Math.floor(now / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
  }

  snapshot(): MeterSnapshot {
    return {
      requests: this.requests,
      throttled: this.throttled,
      bytes: this.bytes,
      perSecond: Object.fromEntries(this.perSecond),
      limiter: { reservations: this.reservations, claims: this.claims, reclaims: this.reclaims },
    };
  }

  /** Starts counting afresh (a run's metrics are merged page by page). */
  reset(): void {
    this.requests = 0;
    this.throttled = 0;
    this.bytes = 0;
    this.reservations = 0;
    this.claims = 0;
    this.reclaims = 0;
    this.perSecond.clear();
  }
}
