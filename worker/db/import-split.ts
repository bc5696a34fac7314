// The split's writes to its task row: the lease that lets one invocation read the file at a time,
// the byte-offset checkpoint, the hand-over and the end of the file. Every write is conditional on
// the generation, a running task and the lease owner, so a cancel, a resume or a lost lease
// stops the split at its next write.
import { and, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type ImportTaskRow, importBatches, importTasks } from "../../shared/db/imports";
import type { Db } from "../env";

export type SplitProgress = { batchNo: number; offset: number; recordNo: number; rows: number; blank: number };

function held(taskId: string, generation: number, owner: string) {
  return and(eq(importTasks.id, taskId), eq(importTasks.splitGeneration, generation), eq(importTasks.status, "running"), eq(importTasks.splitLeaseOwner, owner));
}

/**
 * Takes the split's lease for `owner` (a queue message id) if nobody holds it, it expired, or
 * `owner` held it before (its own earlier attempt died). Marks the task running.
 */
export async function claimSplit(db: Db, taskId: string, generation: number, owner: string, now: number, leaseMs: number): Promise<ImportTaskRow | undefined> {
  return db
    .update(importTasks)
    .set({
      status: "running",
      startedAt: sql`coalesce(${importTasks.startedAt}, ${now})`,
      splitLeaseOwner: owner,
      splitLeaseUntil: now + leaseMs,
      dedupeKeysPending: true,
      updatedAt: now,
    })
    .where(
      and(
        eq(importTasks.id, taskId),
        eq(importTasks.splitGeneration, generation),
        inArray(importTasks.status, ["queued", "running"]),
        isNull(importTasks.batchCount),
        or(isNull(importTasks.splitLeaseOwner), eq(importTasks.splitLeaseOwner, owner), lt(importTasks.splitLeaseUntil, now)),
      ),
    )
    .returning()
    .get();
}

/** Batch numbers from `from` on that the ledger already holds (applied: not sent again). */
export async function appliedBatches(db: Db, taskId: string, from: number): Promise<Set<number>> {
  const rows = await db
    .select({ batchNo: importBatches.batchNo })
    .from(importBatches)
    .where(and(eq(importBatches.taskId, taskId), gte(importBatches.batchNo, from)))
    .all();
  return new Set(rows.map((r) => r.batchNo));
}

/** Saves the checkpoint and renews the lease; false when the split must stop (cancelled, superseded). */
export async function saveCheckpoint(db: Db, task: ImportTaskRow, owner: string, p: SplitProgress, now: number, leaseMs: number): Promise<boolean> {
  const row = await db
    .update(importTasks)
    .set({
      batchesSent: p.batchNo,
      splitOffset: p.offset,
      splitRecord: p.recordNo,
      splitRows: p.rows,
      splitBlank: p.blank,
      splitLeaseUntil: now + leaseMs,
      updatedAt: now,
    })
    .where(held(task.id, task.splitGeneration, owner))
    .returning({ id: importTasks.id })
    .get();
  return row !== undefined;
}

/** Lets go of the lease so the continuation message (or this message's retry) can take it. */
export async function releaseSplit(db: Db, task: ImportTaskRow, owner: string, now: number): Promise<boolean> {
  const row = await db
    .update(importTasks)
    .set({ splitLeaseOwner: null, splitLeaseUntil: null, updatedAt: now })
    .where(held(task.id, task.splitGeneration, owner))
    .returning({ id: importTasks.id })
    .get();
  return row !== undefined;
}

/** The whole file is read: the exact total is known. Completes the task if every batch is applied. */
export async function finishSplit(db: Db, task: ImportTaskRow, owner: string, p: SplitProgress, now: number): Promise<void> {
  const allDone = sql`${importTasks.processed} >= ${p.rows}`;
  await db
    .update(importTasks)
    .set({
      total: p.rows,
      blankRows: p.blank,
      batchCount: p.batchNo,
      batchesSent: p.batchNo,
      splitOffset: p.offset,
      splitRecord: p.recordNo,
      splitRows: p.rows,
      splitBlank: p.blank,
      splitLeaseOwner: null,
      splitLeaseUntil: null,
      status: sql`case when ${allDone} then 'completed' else ${importTasks.status} end`,
      finishedAt: sql`case when ${allDone} then ${now} else ${importTasks.finishedAt} end`,
      updatedAt: now,
    })
    .where(held(task.id, task.splitGeneration, owner));
}
