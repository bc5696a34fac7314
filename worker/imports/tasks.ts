// Import task queries: read (scoped by location), the API view, cancel and resume.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type ImportTaskRow, importTasks } from "../../shared/db/imports";
import type { ImportTaskView } from "../../shared/schemas/imports";
import type { ImportSplitMessage } from "../../shared/schemas/messages-imports";
import type { Db } from "../env";
import { AppError } from "../http/errors";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toTaskView(row: ImportTaskRow, now: number): ImportTaskView {
  const total = row.total ?? Math.max(0, row.totalEstimate - (row.hasHeader ? 1 : 0));
  const elapsedMs = row.startedAt === null ? 0 : (row.finishedAt ?? now) - row.startedAt;
  const done = row.status === "completed";
  return {
    task_id: row.id,
    list_id: row.listId,
    location_id: row.locationId,
    mode: row.mode,
    status: row.status,
    file_name: row.fileName,
    byte_size: row.byteSize,
    encoding: row.encoding,
    delimiter: row.delimiter,
    total,
    total_exact: row.total !== null,
    processed: row.processed,
    progress_percentage: done ? 100 : total === 0 ? 0 : Math.min(100, Math.floor((row.processed / total) * 10_000) / 100),
    counts: { valid: row.valid, invalid: row.invalid, blacklist: row.blacklist, duplicate: row.duplicate, error: row.error },
    blank_rows: row.blankRows,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
    created_at: new Date(row.createdAt).toISOString(),
    started_at: iso(row.startedAt),
    finished_at: iso(row.finishedAt),
    rows_per_second: elapsedMs > 0 ? Math.round((row.processed / elapsedMs) * 1000) : null,
  };
}

export async function loadTask(db: Db, id: string): Promise<ImportTaskRow | undefined> {
  return db.select().from(importTasks).where(eq(importTasks.id, id)).get();
}

/** The task if it belongs to one of `locationIds`; another location's task is not found. */
export async function requireTask(db: Db, locationIds: string[], id: string): Promise<ImportTaskRow> {
  const row = await loadTask(db, id);
  if (!row || !locationIds.includes(row.locationId)) throw new AppError("import_task_not_found", `No import task '${id}'.`);
  return row;
}

export async function tasksOfList(db: Db, listId: string, limit = 100): Promise<ImportTaskRow[]> {
  return db.select().from(importTasks).where(eq(importTasks.listId, listId)).orderBy(desc(importTasks.createdAt), desc(importTasks.id)).limit(limit).all();
}

/** A token may name up to 100 locations: they travel as one JSON parameter (D1 binds ≤ 100). */
export async function tasksOfLocations(db: Db, locationIds: string[], limit = 100): Promise<ImportTaskRow[]> {
  return db
    .select()
    .from(importTasks)
    .where(sql`${importTasks.locationId} in (select value from json_each(${JSON.stringify(locationIds)}))`)
    .orderBy(desc(importTasks.createdAt), desc(importTasks.id))
    .limit(limit)
    .all();
}

/** Stops further batches from being applied: the batch ledger refuses them once the status moves. */
export async function cancelTask(db: Db, task: ImportTaskRow, now: number): Promise<ImportTaskRow> {
  const row = await db
    .update(importTasks)
    .set({ status: "cancelled", finishedAt: now, updatedAt: now })
    .where(and(eq(importTasks.id, task.id), inArray(importTasks.status, ["queued", "running"])))
    .returning()
    .get();
  if (row) return row;
  const current = (await loadTask(db, task.id)) ?? task;
  if (current.status === "cancelled") return current;
  throw new AppError("import_task_not_cancellable", `Import task '${task.id}' is ${current.status}: only queued or running tasks can be cancelled.`);
}

/** Columns that start a new split generation from byte 0 (the ledger keeps what is applied). */
export function newGeneration(now: number) {
  return {
    status: "queued" as const,
    splitGeneration: sql`${importTasks.splitGeneration} + 1`,
    batchesSent: 0,
    batchCount: null,
    splitOffset: 0,
    splitRecord: 0,
    splitRows: 0,
    splitBlank: 0,
    splitLeaseOwner: null,
    splitLeaseUntil: null,
    finishedAt: null,
    errorCode: null,
    errorMessage: null,
    updatedAt: now,
  };
}

export async function sendSplit(queue: Queue, task: ImportTaskRow): Promise<void> {
  const message: ImportSplitMessage = { type: "import.split", task_id: task.id, generation: task.splitGeneration };
  await queue.send(message, { contentType: "json" });
}

/**
 * Starts a new split generation: the split reads the original again and enqueues every batch the
 * ledger does not hold, so exactly the unprocessed rows are sent. Also revives a task whose split
 * died (a stuck queued or running task).
 */
export async function resumeTask(db: Db, queue: Queue, task: ImportTaskRow, now: number): Promise<ImportTaskRow> {
  const row = await db
    .update(importTasks)
    .set({ ...newGeneration(now), watchdogResumes: 0 })
    .where(and(eq(importTasks.id, task.id), inArray(importTasks.status, ["queued", "running", "cancelled", "failed"])))
    .returning()
    .get();
  if (!row) throw new AppError("import_task_not_resumable", `Import task '${task.id}' is completed: there is nothing to resume.`);
  await sendSplit(queue, row);
  return row;
}

export async function failTask(db: Db, id: string, generation: number, code: string, message: string, now: number): Promise<void> {
  await db
    .update(importTasks)
    .set({ status: "failed", errorCode: code, errorMessage: message, finishedAt: now, updatedAt: now, splitLeaseOwner: null, splitLeaseUntil: null })
    .where(and(eq(importTasks.id, id), eq(importTasks.splitGeneration, generation), inArray(importTasks.status, ["queued", "running"])));
}
