// Exactly-once accounting: a batch delivered twice (even at the same time) counts once; a cancel
// stops batches from landing; a resume finishes with the counts of an uninterrupted run.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importBatches, importRejects, importTasks } from "../../shared/db/imports";
import type { ImportBatchMessage, ImportRow } from "../../shared/schemas/messages-imports";
import { contacts } from "../../shared/db/schema";
import { getDb } from "../../worker/db/client";
import { applyBatch } from "../../worker/imports/apply";
import { runSplit } from "../../worker/imports/split";
import { api, fakeContact, seedContacts } from "./helpers";
import { makeImportFile, utf8WithBom } from "./fixtures/import-file";
import { type Ctx, getTask, setupImport, startTask, waitForTask } from "./fixtures/imports-api";

const db = getDb(env.DB);

async function contactCount(locationId: string): Promise<number> {
  const row = await db.select({ n: sql<number>`count(*)` }).from(contacts).where(eq(contacts.locationId, locationId)).get();
  return row?.n ?? 0;
}

async function ledgerCount(taskId: string): Promise<number> {
  const row = await db.select({ n: sql<number>`count(*)` }).from(importBatches).where(eq(importBatches.taskId, taskId)).get();
  return row?.n ?? 0;
}

function batch(taskId: string, batchNo: number, rows: ImportRow[]): ImportBatchMessage {
  return { type: "import.batch", task_id: taskId, batch_no: batchNo, rows };
}

/** A task whose file is applied, reopened as running so late copies of batches can arrive. */
async function completedThenReopened(ctx: Ctx): Promise<string> {
  const taskId = await startTask(ctx, "email,first name\nfirst@acme-mail.com,Ann\nsecond@acme-mail.com,Bob\n");
  await waitForTask(ctx, taskId);
  await db.update(importTasks).set({ status: "running", total: null }).where(eq(importTasks.id, taskId));
  return taskId;
}

describe("a batch delivered more than once", () => {
  it("counts once, whether the copies come one after the other or at the same time", async () => {
    const ctx = await setupImport();
    const taskId = await completedThenReopened(ctx);

    // Batch 0 again (the split's own batch): refused by the ledger, nothing changes.
    const again = batch(taskId, 0, [[1, "first@acme-mail.com", "Ann", "", "", "", "", 0], [2, "second@acme-mail.com", "Bob", "", "", "", "", 0]]);
    expect(await applyBatch(env, db, again, Date.now)).toBe("duplicate");
    expect((await getTask(ctx, taskId)).processed).toBe(2);

    // A new batch delivered twice at once: one copy applies, the other is refused.
    const rows: ImportRow[] = [
      [3, "third@acme-mail.com", "Cy", "", "", "", "", 0],
      [4, "not-an-email", "=1+1", "", "", "", "", 0],
      [5, "temp@mailinator.com", "", "", "", "", "", 0],
    ];
    const outcomes = await Promise.all([applyBatch(env, db, batch(taskId, 1, rows), Date.now), applyBatch(env, db, batch(taskId, 1, rows), Date.now)]);
    expect(outcomes.sort()).toEqual(["applied", "duplicate"]);
    const task = await getTask(ctx, taskId);
    expect(task.processed).toBe(5);
    expect(task.counts).toEqual({ valid: 3, invalid: 1, blacklist: 1, duplicate: 0, error: 0 });
    expect(await contactCount(ctx.locationId)).toBe(3);
    const rejects = await db.select().from(importRejects).where(eq(importRejects.taskId, taskId)).all();
    expect(rejects.map((r) => [r.rowNo, r.status, r.reason])).toEqual([
      [4, "invalid", "missing_at"],
      [5, "blacklist", "disposable_domain"],
    ]);
  });

  it("a redelivered split changes nothing once its batches are applied", async () => {
    const ctx = await setupImport();
    const taskId = await startTask(ctx, "email\na@acme-mail.com\nb@acme-mail.com\n");
    const done = await waitForTask(ctx, taskId);
    await runSplit(env, db, { type: "import.split", task_id: taskId, generation: 0 }, Date.now);
    expect(await getTask(ctx, taskId)).toEqual({ ...done, rows_per_second: expect.any(Number) });
    expect(await ledgerCount(taskId)).toBe(1);
  });

  it("the ledger itself refuses a batch of a task that is not running (the race a cancel can lose)", async () => {
    const ctx = await setupImport();
    const taskId = await completedThenReopened(ctx);
    await db.update(importTasks).set({ status: "cancelled" }).where(eq(importTasks.id, taskId));
    const insert = db.insert(importBatches).values({
      taskId,
      batchNo: 7,
      rows: 1,
      taskStatus: sql`(select status from import_tasks where id = ${taskId})`,
      appliedAt: Date.now(),
    });
    await expect(insert).rejects.toMatchObject({ cause: { message: expect.stringMatching(/CHECK constraint failed/) } });
    expect(await applyBatch(env, db, batch(taskId, 7, [[9, "late@acme-mail.com", "", "", "", "", "", 0]]), Date.now)).toBe("inactive");
    expect(await contactCount(ctx.locationId)).toBe(2);
  });
});

describe("cancel and resume", () => {
  it("cancel mid-way stops writes; resume applies exactly the rest, with the uninterrupted counts", async () => {
    const ctx = await setupImport();
    const file = makeImportFile(10_000);
    await seedContacts(ctx.locationId, file.existing.map((email, i) => fakeContact(900_000 + i, { email, externalId: `ghl-${i}` })));
    const taskId = await startTask(ctx, utf8WithBom(file.text));

    await waitForTask(ctx, taskId, (t) => t.processed > 0);
    const res = await api(`/api/import-tasks/${taskId}/cancel`, { token: ctx.token, method: "POST" });
    expect(res.status).toBe(200);
    const cancelled = ((await res.json()) as { task: { status: string; processed: number } }).task;
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.processed).toBeLessThan(10_000);

    // Nothing lands after the cancel: counters, contacts and the ledger hold still.
    const frozen = { processed: cancelled.processed, contacts: await contactCount(ctx.locationId), ledger: await ledgerCount(taskId) };
    const late = batch(taskId, 10_000, [[99_999, "late@acme-mail.com", "", "", "", "", "", 0]]);
    expect(await applyBatch(env, db, late, Date.now)).toBe("inactive");
    const still = await getTask(ctx, taskId);
    expect({ processed: still.processed, contacts: await contactCount(ctx.locationId), ledger: await ledgerCount(taskId) }).toEqual(frozen);
    expect(frozen.ledger * 500).toBe(frozen.processed);

    const resumed = await api(`/api/import-tasks/${taskId}/resume`, { token: ctx.token, method: "POST" });
    expect(resumed.status).toBe(202);
    const task = await waitForTask(ctx, taskId);
    expect(task).toMatchObject({ status: "completed", total: 10_000, processed: 10_000 });
    expect(task.counts).toEqual(file.counts);
    expect(await contactCount(ctx.locationId)).toBe(file.counts.valid + file.existing.length);
    expect(await ledgerCount(taskId)).toBe(20);
    const rejects = await db
      .select({ n: sql<number>`count(*)` })
      .from(importRejects)
      .where(eq(importRejects.taskId, taskId))
      .get();
    expect(rejects?.n).toBe(10_000 - file.counts.valid);
  }, 120_000);
});
