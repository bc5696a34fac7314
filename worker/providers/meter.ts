// Counts what a sync run asks of its upstream: requests, throttles, bytes, and requests per second
// (by send time) so runs can report average and peak rates.

export type MeterSnapshot = { requests: number; throttled: number; bytes: number; perSecond: Record<string, number> };

export class RequestMeter {
  requests = 0;
  throttled = 0;
  bytes = 0;
  /** Slots given up because the caller woke too late to use them (see LATE_SLOT_MS). */
  lateSlots = 0;
  readonly perSecond = new Map<number, number>();

  sent(now: number): void {
    this.requests++;
    const second = Math.floor(now / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
  }

  snapshot(): MeterSnapshot {
    return { requests: this.requests, throttled: this.throttled, bytes: this.bytes, perSecond: Object.fromEntries(this.perSecond) };
  }

  /** Starts counting afresh (a run's metrics are merged page by page). */
  reset(): void {
    this.requests = 0;
    this.throttled = 0;
    this.bytes = 0;
    this.lateSlots = 0;
    this.perSecond.clear();
  }
}
