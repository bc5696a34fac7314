import { and, desc, eq } from "drizzle-orm";
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
