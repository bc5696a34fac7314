// How old a location's cache may get before the periodic sync refreshes it: SYNC_TTL_SECONDS, or
// the longer WEBHOOK_SYNC_TTL_SECONDS while its upstream webhooks flow (one taken within
// WEBHOOK_FLOWING_SECONDS). Webhooks are lossy, so the longer TTL still refreshes, and the full
// reconcile keeps its own schedule.
import type { Config } from "../config";

type TtlConfig = Pick<Config, "SYNC_TTL_SECONDS" | "WEBHOOK_SYNC_TTL_SECONDS" | "WEBHOOK_FLOWING_SECONDS">;

export function webhooksFlowing(config: TtlConfig, webhooksAt: number | null, now: number): boolean {
  return webhooksAt !== null && now - webhooksAt <= config.WEBHOOK_FLOWING_SECONDS * 1000;
}

export function syncTtlMs(config: TtlConfig, webhooksAt: number | null, now: number): number {
  const ttl = webhooksFlowing(config, webhooksAt, now) ? Math.max(config.SYNC_TTL_SECONDS, config.WEBHOOK_SYNC_TTL_SECONDS) : config.SYNC_TTL_SECONDS;
  return ttl * 1000;
}
