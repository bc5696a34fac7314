// Counts what a sync run asks of its upstream: requests, throttles, bytes, and requests per second
// (by send time) so runs can report average and peak rates; and what it asked of the rate limiter
// (reservations, late wakes, fresh slots), so capacity lost to late wakes is visible.

export type MeterSnapshot = {
  requests: number;
  throttled: number;
  bytes: number;
  perSecond: Record<string, number>;
  /** Limiter calls: reserve() per send attempt; late wakes (each one a confirmLate); of those, re-slotted. */
  limiter?: { reservations: number; lateSlots: number; reslotted: number };
};

export class RequestMeter {
  requests = 0;
  throttled = 0;
  bytes = 0;
  /** reserve() calls: one per send attempt (retries included). */
  reservations = 0;
  /** Wakes later than LATE_SLOT_MS after the slot; each asked the limiter to confirm. */
  lateSlots = 0;
  /** Late wakes the limiter could not confirm (the window was full, or a block): a fresh slot. */
  reslotted = 0;
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
      limiter: { reservations: this.reservations, lateSlots: this.lateSlots, reslotted: this.reslotted },
    };
  }

  /** Starts counting afresh (a run's metrics are merged page by page). */
  reset(): void {
    this.requests = 0;
    this.throttled = 0;
    this.bytes = 0;
    this.reservations = 0;
    this.lateSlots = 0;
    this.reslotted = 0;
    this.perSecond.clear();
  }
}
