// What a location has in flight and has imported today: the inputs of its import quotas.
import { and, count, eq, gte, inArray, sum } from "drizzle-orm";
import { importTasks } from "../../shared/db/imports";
import { locations } from "../../shared/db/schema";
import type { Db } from "../env";

export type ImportUsage = { active: number; rowsToday: number; contacts: number };

export async function importUsage(db: Db, locationId: string, dayStart: number): Promise<ImportUsage> {
  const [active, today, location] = await db.batch([
    db.select({ n: count() }).from(importTasks).where(and(eq(importTasks.locationId, locationId), inArray(importTasks.status, ["queued", "running"]))),
    db
      .select({ rows: sum(importTasks.totalEstimate) })
      .from(importTasks)
      .where(and(eq(importTasks.locationId, locationId), gte(importTasks.createdAt, dayStart))),
    db.select({ contacts: locations.contactCount }).from(locations).where(eq(locations.id, locationId)),
  ]);
  return { active: active[0]?.n ?? 0, rowsToday: Number(today[0]?.rows ?? 0), contacts: location[0]?.contacts ?? 0 };
}
