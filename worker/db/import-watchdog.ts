// The watchdog's reads and writes on import tasks. Revivals are conditional on the task not having
// moved since it was read (updated_at), so a task that just made progress is left alone.
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { type ImportTaskRow, importTasks } from "../../shared/db/imports";
import type { Db } from "../env";

/** Queued or running tasks that have not moved since `before`, longest silent first. */
export async function stalledTasks(db: Db, before: number, limit: number): Promise<ImportTaskRow[]> {
  return db
    .select()
    .from(importTasks)
    .where(and(inArray(importTasks.status, ["queued", "running"]), lt(importTasks.updatedAt, before)))
    .orderBy(asc(importTasks.updatedAt))
    .limit(limit)
    .all();
}

/** Records a revival with `set` (a lease cleared, or a new generation); undefined if the task moved. */
export async function reviveTask(db: Db, task: ImportTaskRow, set: SQLiteUpdateSetSource<typeof importTasks>, now: number): Promise<ImportTaskRow | undefined> {
  return db
    .update(importTasks)
    .set({ ...set, watchdogResumes: sql`${importTasks.watchdogResumes} + 1`, updatedAt: now })
    .where(and(eq(importTasks.id, task.id), eq(importTasks.updatedAt, task.updatedAt), inArray(importTasks.status, ["queued", "running"])))
    .returning()
    .get();
}
