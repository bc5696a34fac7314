// Retention's reads and deletes on the import tables. Every delete removes at most `limit` rows
// (by rowid, through the table's primary-key index), so one statement stays far inside D1's
// 30-second query limit whatever the size of the task or list; callers repeat until a delete
// comes back short.
import { and, asc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import {
  type ImportTaskRow,
  contactListMembers,
  contactLists,
  importBatches,
  importDedupeKeys,
  importRejects,
  importTasks,
  mxCache,
} from "../../shared/db/imports";
import type { Db } from "../env";

const FINISHED = ["completed", "failed", "cancelled"] as const;

async function changes(result: Promise<D1Result>): Promise<number> {
  return (await result).meta.changes ?? 0;
}

export type TaskRef = Pick<ImportTaskRow, "id" | "r2Key" | "originalDeletedAt">;
const taskRef = { id: importTasks.id, r2Key: importTasks.r2Key, originalDeletedAt: importTasks.originalDeletedAt };

/** Lists deleted through the API whose rows are still being removed. */
export async function deletedLists(db: Db, limit: number): Promise<string[]> {
  const rows = await db.select({ id: contactLists.id }).from(contactLists).where(isNotNull(contactLists.deletedAt)).limit(limit).all();
  return rows.map((r) => r.id);
}

export async function tasksOfList(db: Db, listId: string, limit: number): Promise<TaskRef[]> {
  return db.select(taskRef).from(importTasks).where(eq(importTasks.listId, listId)).limit(limit).all();
}

/** Finished tasks past their TTL, oldest first. */
export async function expiredTasks(db: Db, finishedBefore: number, limit: number): Promise<TaskRef[]> {
  return db
    .select(taskRef)
    .from(importTasks)
    .where(and(lt(importTasks.finishedAt, finishedBefore), inArray(importTasks.status, FINISHED)))
    .orderBy(asc(importTasks.finishedAt))
    .limit(limit)
    .all();
}

export async function originalsToDelete(db: Db, finishedBefore: number, limit: number): Promise<TaskRef[]> {
  return db
    .select(taskRef)
    .from(importTasks)
    .where(and(lt(importTasks.finishedAt, finishedBefore), inArray(importTasks.status, FINISHED), isNull(importTasks.originalDeletedAt)))
    .limit(limit)
    .all();
}

export async function markOriginalsDeleted(db: Db, ids: string[], now: number): Promise<void> {
  if (ids.length) await db.update(importTasks).set({ originalDeletedAt: now }).where(inArray(importTasks.id, ids));
}

export async function rejectsToDelete(db: Db, finishedBefore: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: importTasks.id })
    .from(importTasks)
    .where(and(lt(importTasks.finishedAt, finishedBefore), inArray(importTasks.status, FINISHED), isNull(importTasks.rejectsDeletedAt)))
    .limit(limit)
    .all();
  return rows.map((r) => r.id);
}

export async function markRejectsDeleted(db: Db, id: string, now: number): Promise<void> {
  await db.update(importTasks).set({ rejectsDeletedAt: now }).where(eq(importTasks.id, id));
}

/** Tasks whose split is over (the file is read, or the task finished) but whose dedupe keys remain. */
export async function dedupeKeysToDelete(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: importTasks.id })
    .from(importTasks)
    .where(and(eq(importTasks.dedupeKeysPending, true), or(isNotNull(importTasks.batchCount), inArray(importTasks.status, FINISHED))))
    .limit(limit)
    .all();
  return rows.map((r) => r.id);
}

export async function markDedupeKeysDeleted(db: Db, id: string): Promise<void> {
  // Only while the split is still over: a resume may have started a new one meanwhile.
  await db
    .update(importTasks)
    .set({ dedupeKeysPending: false })
    .where(and(eq(importTasks.id, id), or(isNotNull(importTasks.batchCount), inArray(importTasks.status, FINISHED))));
}

export function deleteMembers(db: Db, listId: string, limit: number): Promise<number> {
  return changes(
    db.run(sql`delete from ${contactListMembers} where rowid in (select rowid from ${contactListMembers} where ${contactListMembers.listId} = ${listId} limit ${limit})`),
  );
}

export function deleteRejects(db: Db, taskId: string, limit: number): Promise<number> {
  return changes(db.run(sql`delete from ${importRejects} where rowid in (select rowid from ${importRejects} where ${importRejects.taskId} = ${taskId} limit ${limit})`));
}

export function deleteLedger(db: Db, taskId: string, limit: number): Promise<number> {
  return changes(db.run(sql`delete from ${importBatches} where rowid in (select rowid from ${importBatches} where ${importBatches.taskId} = ${taskId} limit ${limit})`));
}

/**
 * A task's dedupe keys, only while its split is over (checked in the same statement, so a resume
 * that starts a new split between two chunks stops the deletes) or the task is being removed.
 */
export function deleteDedupeKeys(db: Db, taskId: string, limit: number, whole = false): Promise<number> {
  const over = whole
    ? sql`1`
    : sql`exists (select 1 from ${importTasks} t where t.id = ${taskId} and (t.batch_count is not null or t.status in ('completed', 'failed', 'cancelled')))`;
  return changes(
    db.run(sql`delete from ${importDedupeKeys} where rowid in (select rowid from ${importDedupeKeys} where ${importDedupeKeys.taskId} = ${taskId} limit ${limit}) and ${over}`),
  );
}

export async function deleteTaskRow(db: Db, taskId: string): Promise<void> {
  await db.delete(importTasks).where(eq(importTasks.id, taskId));
}

/** The list row, once nothing of it is left. */
export async function deleteListRow(db: Db, listId: string): Promise<void> {
  await db.delete(contactLists).where(and(eq(contactLists.id, listId), isNotNull(contactLists.deletedAt)));
}

export function deleteExpiredMx(db: Db, now: number, limit: number): Promise<number> {
  return changes(db.run(sql`delete from ${mxCache} where ${mxCache.domain} in (select ${mxCache.domain} from ${mxCache} where ${mxCache.expiresAt} < ${now} limit ${limit})`));
}
