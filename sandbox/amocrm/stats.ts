// Per-account traffic stats: the shared `Stats` (per second, sliding-window peak, 429 and 5xx)
// plus what AmoCRM adds: 403s, how often the account got blocked, and calls per endpoint.
import { Stats } from "../limits";

export interface AmoStatsSnapshot {
  requests: number;
  requests429: number;
  requests403: number;
  requests5xx: number;
  blocked: boolean;
  blockedCount: number;
  maxPerSecond: number;
  perSecond: { second: number; count: number }[];
  byEndpoint: Record<string, number>;
  firstAt: number | null;
  lastAt: number | null;
}

export class AmoStats {
  private readonly base = new Stats();
  private requests403 = 0;
  private blockedCount = 0;
  private readonly byEndpoint: Record<string, number> = {};

  /** Every arrival counts, accepted or not; `endpoint` is e.g. `GET /api/v4/contacts`. */
  arrive(now: number, endpoint: string): void {
    this.base.arrive(now);
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
  }

  finish(status: number): void {
    this.base.finish(status, 0);
    if (status === 403) this.requests403++;
  }

  gotBlocked(): void { this.blockedCount++; }

  snapshot(now: number, blocked: boolean): AmoStatsSnapshot {
    const { requests, requests429, requests5xx, maxPerSecond, perSecond, firstAt, lastAt } = this.base.snapshot(now);
    return { requests, requests429, requests403: this.requests403, requests5xx, blocked, blockedCount: this.blockedCount,
      maxPerSecond, perSecond, byEndpoint: { ...this.byEndpoint }, firstAt, lastAt };
  }
}
