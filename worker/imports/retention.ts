// Import data that has served its purpose, removed in bounded steps: deleted lists (memberships,
// their tasks' rows and files), finished tasks past IMPORT_TASK_TTL_DAYS, R2 originals past
// IMPORT_ORIGINAL_TTL_DAYS, rejects past IMPORT_REJECTS_TTL_DAYS, the split's dedupe keys once a
// split is over, and expired MX answers. Each step stops when the budget does; the next
// scheduled run carries on where this one stopped (every step starts from what is left).
import * as q from "../db/import-retention";
import type { Db } from "../env";
import type { InvocationBudget } from "./budget";

/** Rows per delete statement. */
export const PURGE_ROWS = 5000;
const DAY_MS = 86_400_000;

export type ImportRetentionConfig = {
  IMPORT_ORIGINAL_TTL_DAYS: number;
  IMPORT_REJECTS_TTL_DAYS: number;
  IMPORT_TASK_TTL_DAYS: number;
};

export type Purged = Record<string, number>;

function count(purged: Purged, what: string, n: number): void {
  if (n > 0) purged[what] = (purged[what] ?? 0) + n;
}

/** Repeats a bounded delete until it comes back short or the budget runs out; true when done. */
async function drain(budget: InvocationBudget, purged: Purged, what: string, step: () => Promise<number>): Promise<boolean> {
  for (;;) {
    if (!budget.allows("d1", 1)) return false;
    budget.spend("d1");
    const n = await step();
    count(purged, what, n);
    if (n < PURGE_ROWS) return true;
  }
}

async function deleteOriginal(bucket: R2Bucket, budget: InvocationBudget, task: q.TaskRef): Promise<boolean> {
  if (task.originalDeletedAt !== null) return true;
  if (!budget.allows("subrequests", 1)) return false;
  budget.spend("subrequests");
  await bucket.delete(task.r2Key);
  return true;
}

/** Everything of one task: rejects, ledger, dedupe keys, the R2 original, then the row. */
export async function purgeTask(db: Db, bucket: R2Bucket, budget: InvocationBudget, task: q.TaskRef, purged: Purged): Promise<boolean> {
  if (!(await drain(budget, purged, "import_rejects", () => q.deleteRejects(db, task.id, PURGE_ROWS)))) return false;
  if (!(await drain(budget, purged, "import_batches", () => q.deleteLedger(db, task.id, PURGE_ROWS)))) return false;
  if (!(await drain(budget, purged, "import_dedupe_keys", () => q.deleteDedupeKeys(db, task.id, PURGE_ROWS, true)))) return false;
  if (!(await deleteOriginal(bucket, budget, task))) return false;
  if (task.originalDeletedAt === null) count(purged, "r2_originals", 1);
  if (!budget.allows("d1", 1)) return false;
  budget.spend("d1");
  await q.deleteTaskRow(db, task.id);
  count(purged, "import_tasks", 1);
  return true;
}

/** A deleted list: its memberships, its tasks (with their rows and files), then the list row. */
export async function purgeList(db: Db, bucket: R2Bucket, budget: InvocationBudget, listId: string, purged: Purged): Promise<boolean> {
  if (!(await drain(budget, purged, "contact_list_members", () => q.deleteMembers(db, listId, PURGE_ROWS)))) return false;
  for (;;) {
    if (!budget.allows("d1", 1)) return false;
    budget.spend("d1");
    const tasks = await q.tasksOfList(db, listId, 20);
    for (const task of tasks) if (!(await purgeTask(db, bucket, budget, task, purged))) return false;
    if (tasks.length < 20) break;
  }
  if (!budget.allows("d1", 1)) return false;
  budget.spend("d1");
  await q.deleteListRow(db, listId);
  count(purged, "contact_lists", 1);
  return true;
}

export async function purgeImports(db: Db, bucket: R2Bucket, budget: InvocationBudget, config: ImportRetentionConfig, now: number): Promise<Purged> {
  const purged: Purged = {};
  const steps: (() => Promise<boolean>)[] = [
    async () => {
      budget.spend("d1");
      for (const id of await q.deletedLists(db, 20)) if (!(await purgeList(db, bucket, budget, id, purged))) return false;
      return true;
    },
    async () => {
      budget.spend("d1");
      const tasks = await q.expiredTasks(db, now - config.IMPORT_TASK_TTL_DAYS * DAY_MS, 20);
      for (const task of tasks) if (!(await purgeTask(db, bucket, budget, task, purged))) return false;
      return true;
    },
    async () => {
      budget.spend("d1");
      const tasks = await q.originalsToDelete(db, now - config.IMPORT_ORIGINAL_TTL_DAYS * DAY_MS, 100);
      const done: string[] = [];
      for (const task of tasks) {
        if (!(await deleteOriginal(bucket, budget, task))) break;
        done.push(task.id);
      }
      budget.spend("d1");
      await q.markOriginalsDeleted(db, done, now);
      count(purged, "r2_originals", done.length);
      return done.length === tasks.length;
    },
    async () => {
      budget.spend("d1");
      for (const id of await q.rejectsToDelete(db, now - config.IMPORT_REJECTS_TTL_DAYS * DAY_MS, 20)) {
        if (!(await drain(budget, purged, "import_rejects", () => q.deleteRejects(db, id, PURGE_ROWS)))) return false;
        budget.spend("d1");
        await q.markRejectsDeleted(db, id, now);
      }
      return true;
    },
    async () => {
      budget.spend("d1");
      for (const id of await q.dedupeKeysToDelete(db, 20)) {
        if (!(await drain(budget, purged, "import_dedupe_keys", () => q.deleteDedupeKeys(db, id, PURGE_ROWS)))) return false;
        budget.spend("d1");
        await q.markDedupeKeysDeleted(db, id);
      }
      return true;
    },
    () => drain(budget, purged, "mx_cache", () => q.deleteExpiredMx(db, now, PURGE_ROWS)),
  ];
  for (const step of steps) {
    if (!budget.allows("d1", 3)) break;
    await step();
  }
  return purged;
}
