import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { locations, syncRuns } from "../../shared/db/schema";
import type { Db } from "../env";

export function recentRuns(db: Db, locationId: string, limit: number) {
  return db.select().from(syncRuns).where(eq(syncRuns.locationId, locationId)).orderBy(desc(syncRuns.queuedAt)).limit(limit);
}

export function latestRunOfKind(db: Db, locationId: string, kind: (typeof syncRuns.$inferSelect)["kind"]) {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.locationId, locationId), eq(syncRuns.kind, kind)))
    .orderBy(desc(syncRuns.queuedAt))
    .limit(1);
}

/** When the last filtered import that wrote (not a dry run) started: its incremental mark. */
export async function lastFilteredImportAt(db: Db, locationId: string): Promise<number | null> {
  const [row] = await db
    .select({ startedAt: syncRuns.startedAt })
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.locationId, locationId),
        eq(syncRuns.kind, "companies"),
        eq(syncRuns.mode, "filtered"),
        eq(syncRuns.status, "succeeded"),
        sql`coalesce(json_extract(${syncRuns.options}, '$.dry_run'), 0) = 0`,
      ),
    )
    .orderBy(desc(syncRuns.startedAt))
    .limit(1);
  return row?.startedAt ?? null;
}

const ACTIVE = ["queued", "running"] as const;

/** Runs of locations parked now are waiting on purpose (a spent quota): the watchdog leaves them alone. */
function ofUnparkedLocation(now: number) {
  return sql`${syncRuns.locationId} not in (select ${locations.id} from ${locations} where ${locations.parkedReason} is not null and (${locations.parkedUntil} is null or ${locations.parkedUntil} > ${now}))`;
}

/** Nobody holds the run: no lease, or one that expired. */
function undriven(now: number) {
  return or(isNull(syncRuns.leaseUntil), lt(syncRuns.leaseUntil, now));
}

/**
 * Fails active runs that nobody drives and that made no progress (no page, no chunk) for
 * `staleMs`: their messages are lost or keep dying before a page lands. Returns what it failed.
 */
export function failStalledRuns(db: Db, now: number, staleMs: number) {
  return db
    .update(syncRuns)
    .set({
      status: "failed",
      errorCode: "stalled",
      errorMessage: "The run stopped making progress and was given up by the watchdog.",
      finishedAt: now,
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(
      and(
        inArray(syncRuns.status, ACTIVE),
        undriven(now),
        lt(sql`coalesce(${syncRuns.progressAt}, ${syncRuns.startedAt}, ${syncRuns.queuedAt})`, now - staleMs),
        ofUnparkedLocation(now),
      ),
    )
    .returning({ id: syncRuns.id, locationId: syncRuns.locationId });
}

/** Active runs nobody has driven for `idleMs` (their driver died with its lease): to be resumed. */
export function orphanedRuns(db: Db, now: number, idleMs: number, limit: number) {
  return db
    .select({ id: syncRuns.id, locationId: syncRuns.locationId, kind: syncRuns.kind })
    .from(syncRuns)
    .where(
      and(
        inArray(syncRuns.status, ACTIVE),
        undriven(now),
        lt(sql`coalesce(${syncRuns.heartbeatAt}, ${syncRuns.queuedAt})`, now - idleMs),
        ofUnparkedLocation(now),
      ),
    )
    .orderBy(asc(syncRuns.heartbeatAt))
    .limit(limit);
}

/** A run left waiting on purpose (its location's quota is spent): the watchdog counts from `until`. */
export async function deferRun(db: Db, runId: string, until: number): Promise<void> {
  await db.update(syncRuns).set({ progressAt: until, heartbeatAt: until }).where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, ACTIVE)));
}
