// Parking: what a sync does when upstream says stop for longer than a retry should wait. A spent
// daily quota (GHL's `X-RateLimit-Daily-Remaining` at the reserve, or a 429 whose Retry-After runs
// for hours) parks the location until the quota resets: its run keeps its checkpoint and a
// continuation message is queued for then (in hops of at most 12 h, the queue's longest delay).
import type { SyncRunMessage } from "../../shared/schemas/messages";
import { parkLocation, parkedNow, type Parked } from "../db/location-sync";
import { getLocation } from "../db/location-queries";
import { deferRun } from "../db/sync-queries";
import { type UpstreamError, nextUtcMidnight } from "../providers/upstream";
import { type SyncDeps, enqueueRun } from "./driver";

/** Queues accept delays of up to 12 h (one page says 24 h: we stay under the older, lower figure). */
export const MAX_QUEUE_DELAY_S = 12 * 3600;

export function queueDelaySeconds(untilMs: number, now: number): number {
  return Math.min(MAX_QUEUE_DELAY_S, Math.max(1, Math.ceil((untilMs - now) / 1000)));
}

/** The location's park, if one is in force. */
export async function parkOf(deps: SyncDeps, locationId: string): Promise<Parked | null> {
  const row = await getLocation(deps.db, locationId);
  return row ? parkedNow(row, deps.now()) : null;
}

/** Parks the location for a spent quota and, for a run, queues its continuation for the reset. */
export async function parkForQuota(deps: SyncDeps, locationId: string, err: UpstreamError, msg: SyncRunMessage | null): Promise<number> {
  const now = deps.now();
  const until = now + (err.retryAfterMs ?? nextUtcMidnight(now) - now);
  await parkLocation(deps.db, locationId, "daily_quota", until, err.message.slice(0, 500), now);
  if (msg) {
    await deferRun(deps.db, msg.run_id, until);
    await enqueueRun(deps, { run_id: msg.run_id, location_id: msg.location_id, kind: msg.kind }, queueDelaySeconds(until, now));
  }
  return until;
}
