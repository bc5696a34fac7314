// A location's standing with the sync scheduler: consecutive failures and the backoff they earn,
// parking (credentials refused; daily quota spent), and the cron's fair pick of stale locations.
import { type SQL, and, asc, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { type LocationRow, type ParkReason, type SyncKind, locations, syncRuns } from "../../shared/db/schema";
import type { Db } from "../env";

/** The longest a failing location waits between attempts. */
export const MAX_FAILURE_BACKOFF_MS = 6 * 3_600_000;

/**
 * After a failed run: refused credentials park the location until an operator replaces them;
 * any other failure doubles its wait before the cron tries again (base, 2×, 4× … up to 6 h).
 */
export async function recordFailure(db: Db, locationId: string, code: string, message: string, now: number, baseMs: number): Promise<void> {
  if (code === "upstream_auth") {
    await parkLocation(db, locationId, "auth", null, message.slice(0, 500), now);
    return;
  }
  await db
    .update(locations)
    .set({
      failureCount: sql`${locations.failureCount} + 1`,
      nextAttemptAt: sql`${now} + min(${Math.max(1, baseMs)} * (1 << min(${locations.failureCount}, 20)), ${MAX_FAILURE_BACKOFF_MS})`,
    })
    .where(eq(locations.id, locationId));
}

/** In a run's final batch (only when `guard` holds): the location is healthy again. */
export function recordSuccess(db: Db, locationId: string, kind: SyncKind, at: number, guard: SQL) {
  return db
    .update(locations)
    .set({
      failureCount: 0,
      nextAttemptAt: null,
      ...(kind === "contacts" ? { lastSyncedAt: at, dataVersion: sql`${locations.dataVersion} + 1` } : {}),
    })
    .where(sql`${locations.id} = ${locationId} and ${guard}`);
}

/** `until` null: until an operator acts (new credentials). */
export async function parkLocation(db: Db, locationId: string, reason: ParkReason, until: number | null, detail: string, now: number): Promise<void> {
  await db
    .update(locations)
    .set({ parkedReason: reason, parkedUntil: until, parkedDetail: detail, updatedAt: now })
    .where(eq(locations.id, locationId));
}

export type Parked = { reason: ParkReason; until: number | null; detail: string | null };

/** Whether the location is parked now (a quota park ends by itself at parked_until). */
export function parkedNow(row: Pick<LocationRow, "parkedReason" | "parkedUntil" | "parkedDetail">, now: number): Parked | null {
  if (row.parkedReason === null) return null;
  if (row.parkedUntil !== null && row.parkedUntil <= now) return null;
  return { reason: row.parkedReason, until: row.parkedUntil, detail: row.parkedDetail };
}

/** Not parked at `now` (SQL): no reason, or a park whose time has passed. */
export function notParked(now: number): SQL {
  return or(isNull(locations.parkedReason), and(isNotNull(locations.parkedUntil), lte(locations.parkedUntil, now))) as SQL;
}

/**
 * The cron's pick: locations with credentials, not parked, past their failure backoff, stale and
 * with no run in flight, healthy before failing and the longest-unsynced first, so failing locations cannot crowd out
 * the rest however many there are.
 */
export function dueLocations(
  db: Db,
  now: number,
  staleBefore: number,
  limit: number,
  /** Locations whose webhooks flow (one taken at or after `since`) are stale only before `staleBefore`. */
  webhooks: { since: number; staleBefore: number } = { since: Number.MAX_SAFE_INTEGER, staleBefore },
): Promise<LocationRow[]> {
  return db
    .select()
    .from(locations)
    .where(
      and(
        isNotNull(locations.credentialsEnc),
        notParked(now),
        or(isNull(locations.nextAttemptAt), lte(locations.nextAttemptAt, now)),
        or(
          isNull(locations.lastSyncedAt),
          sql`${locations.lastSyncedAt} < case when coalesce(${locations.webhooksAt}, 0) >= ${webhooks.since} then ${webhooks.staleBefore} else ${staleBefore} end`,
        ),
        // A run in flight is the watchdog's: starting (joining) it again would only spend the budget.
        sql`not exists (select 1 from ${syncRuns} where ${syncRuns.locationId} = ${locations.id} and ${syncRuns.status} in ('queued', 'running'))`,
      ),
    )
    .orderBy(asc(locations.failureCount), sql`coalesce(${locations.lastSyncedAt}, 0)`, asc(locations.id))
    .limit(limit);
}
