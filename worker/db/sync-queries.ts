import { and, desc, eq, sql } from "drizzle-orm";
import { syncRuns } from "../../shared/db/schema";
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
