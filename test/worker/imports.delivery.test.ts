// Redelivery, duplicates and dead letters through the real local queues (IMPORT_QUEUE and its
// dead-letter queue), and the watchdog through the scheduled handler. Faults are injected as SQLite
// triggers that refuse particular writes, as a failing database would: the code under test is the
// production code, unchanged.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { importBatches, importRejects, importTasks } from "../../shared/db/imports";
import { contacts } from "../../shared/db/schema";
import type { ImportBatchMessage } from "../../shared/schemas/messages-imports";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { InvocationBudget } from "../../worker/imports/budget";
import { runSplit } from "../../worker/imports/split";
import { type Ctx, getTask, setupImport, startTask, waitForTask } from "./fixtures/imports-api";
import { runScheduled } from "./fixtures/scheduled";

const db = getDb(env.DB);
const triggers: string[] = [];

/** A trigger that aborts matching writes (dropped after the test). */
async function refuse(name: string, table: string, when: string): Promise<void> {
  await env.DB.prepare(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`).run();
  triggers.push(name);
}

async function heal(): Promise<void> {
  for (const name of triggers.splice(0)) await env.DB.prepare(`DROP TRIGGER IF EXISTS ${name}`).run();
}

afterEach(heal);

/** 1,200 rows in 3 batches; row 700 (batch 1) holds `poison@acme-mail.com`. */
function file(): string {
  const rows = Array.from({ length: 1200 }, (_, i) => (i === 699 ? "poison@acme-mail.com" : `user${i}@acme-mail.com`));
  return `email\n${rows.join("\n")}\n`;
}

async function contactsOf(locationId: string): Promise<number> {
  const row = await db.select({ n: sql<number>`count(*)` }).from(contacts).where(eq(contacts.locationId, locationId)).get();
  return row?.n ?? 0;
}

function ofLocation(ctx: Ctx, column = "NEW.task_id"): string {
  return `${column} IN (SELECT id FROM import_tasks WHERE location_id = '${ctx.locationId}')`;
}

describe("duplicates and redelivery through the queue", () => {
  it("a batch message sent twice counts once", async () => {
    const ctx = await setupImport();
    const taskId = await startTask(ctx, "email\nfirst@acme-mail.com\n", { fast: true });
    await waitForTask(ctx, taskId);
    await db.update(importTasks).set({ status: "running", total: 3 }).where(eq(importTasks.id, taskId));
    const batch: ImportBatchMessage = { type: "import.batch", task_id: taskId, batch_no: 1, rows: [[2, "second@acme-mail.com", "", "", "", "", "", 0]] };
    await env.IMPORT_QUEUE.send(batch, { contentType: "json" });
    await env.IMPORT_QUEUE.send(batch, { contentType: "json" });
    // A third batch after both copies: once it is in, both copies have been consumed (FIFO).
    await env.IMPORT_QUEUE.send({ ...batch, batch_no: 2, rows: [[3, "third@acme-mail.com", "", "", "", "", "", 0]] }, { contentType: "json" });
    const done = await waitForTask(ctx, taskId);
    expect(done).toMatchObject({ processed: 3, total: 3, counts: { valid: 3, invalid: 0, blacklist: 0, duplicate: 0, error: 0 } });
    expect(await contactsOf(ctx.locationId)).toBe(3);
  });
});

describe("dead letters", () => {
  it("a batch that keeps failing is dead-lettered: its rows end as errors and processed == total", async () => {
    const ctx = await setupImport();
    await refuse("poison_contact", "contacts", "NEW.email = 'poison@acme-mail.com'");
    const taskId = await startTask(ctx, file(), { fast: true });
    const done = await waitForTask(ctx, taskId);
    expect(done).toMatchObject({ status: "completed", total: 1200, processed: 1200 });
    expect(done.counts).toEqual({ valid: 700, invalid: 0, blacklist: 0, duplicate: 0, error: 500 });
    const rejects = await db.select().from(importRejects).where(eq(importRejects.taskId, taskId)).all();
    expect(rejects).toHaveLength(500);
    expect(new Set(rejects.map((r) => r.reason))).toEqual(new Set(["dead_lettered"]));
    expect(rejects.find((r) => r.rowNo === 700)?.email).toBe("poison@acme-mail.com");
  });

  it("a dead letter whose apply fails too is settled with row numbers only: processed == total", async () => {
    const ctx = await setupImport();
    await refuse("poison_contact", "contacts", "NEW.email = 'poison@acme-mail.com'");
    // The dead-letter apply writes the rows' cells into rejects: refuse that as well.
    await refuse("poison_rejects", "import_rejects", `NEW.reason = 'dead_lettered' AND NEW.email <> '' AND ${ofLocation(ctx)}`);
    const taskId = await startTask(ctx, file(), { fast: true });
    const done = await waitForTask(ctx, taskId);
    expect(done).toMatchObject({ status: "completed", total: 1200, processed: 1200 });
    expect(done.counts).toMatchObject({ valid: 700, error: 500 });
    const rejects = await db.select().from(importRejects).where(eq(importRejects.taskId, taskId)).all();
    expect(rejects.map((r) => [r.status, r.reason, r.email])).toEqual(Array.from({ length: 500 }, () => ["error", "dead_lettered", ""]));
    expect(rejects.map((r) => r.rowNo).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => 501 + i));
  });

  it("a dead letter nothing can settle is finished by the watchdog once the fault is gone", async () => {
    const ctx = await setupImport();
    const gaveUp = vi.spyOn(console, "error");
    await refuse("poison_contact", "contacts", "NEW.email = 'poison@acme-mail.com'");
    await refuse("poison_ledger", "import_batches", `NEW.batch_no = 1 AND ${ofLocation(ctx)}`);
    const taskId = await startTask(ctx, file(), { fast: true });
    await vi.waitUntil(() => gaveUp.mock.calls.some(([line]) => String(line).includes("import.dead_letter_unsettled") && String(line).includes(taskId)), { timeout: 60_000, interval: 50 });
    const stuck = await getTask(ctx, taskId);
    expect(stuck).toMatchObject({ status: "running", total: 1200, processed: 700 });

    await heal();
    const stall = readConfig(env).IMPORT_STALL_SECONDS * 1000;
    await runScheduled(Date.now() + stall + 60_000);
    const done = await waitForTask(ctx, taskId);
    expect(done).toMatchObject({ status: "completed", total: 1200, processed: 1200, counts: { valid: 1200, error: 0 } });
    const row = await db.select().from(importTasks).where(eq(importTasks.id, taskId)).get();
    expect([row?.watchdogResumes, row?.splitGeneration]).toEqual([1, 1]);
    expect(await contactsOf(ctx.locationId)).toBe(1200);
  });
});

describe("the watchdog (scheduled handler)", () => {
  it("revives a split whose continuation was lost: it reads on from its checkpoint", async () => {
    const ctx = await setupImport();
    const lines = Array.from({ length: 6000 }, (_, i) => `user${i}@acme-mail.com`);
    const first = await waitForTask(ctx, await startTask(ctx, `email\n${lines.join("\n")}\n`, { fast: true }));
    expect(first.counts.valid).toBe(6000);

    // A second task on the same original, whose split hands over into a queue that loses the message.
    const source = await db.select().from(importTasks).where(eq(importTasks.id, first.task_id)).get();
    if (!source) throw new Error("no task");
    const copy = await db
      .insert(importTasks)
      .values({ ...source, id: `imp_${crypto.randomUUID()}`, status: "queued", processed: 0, valid: 0, total: null, batchCount: null, batchesSent: 0, finishedAt: null, startedAt: null, ...{ splitOffset: 0, splitRecord: 0, splitRows: 0, splitBlank: 0, splitLeaseOwner: null, splitLeaseUntil: null } })
      .returning()
      .get();
    const losing = { ...env, IMPORT_QUEUE: { send: async () => undefined, sendBatch: (m: MessageSendRequest[]) => env.IMPORT_QUEUE.sendBatch(m) } } as unknown as Env;
    const budget = new InvocationBudget({ d1: 12, subrequests: 900, wallMs: 60_000 });
    expect(await runSplit(losing, db, { type: "import.split", task_id: copy.id, generation: 0 }, Date.now, { owner: "dies", budget })).toBe("handed_over");
    await vi.waitUntil(async () => (await getTask(ctx, copy.id)).processed === 5000, { timeout: 30_000, interval: 50 });
    expect((await getTask(ctx, copy.id)).total_exact).toBe(false);

    const stall = readConfig(env).IMPORT_STALL_SECONDS * 1000;
    await runScheduled(Date.now() + stall + 60_000);
    const revived = await waitForTask(ctx, copy.id);
    // Every row repeats an address the first task stored: all duplicates, each counted once.
    expect(revived).toMatchObject({ total: 6000, processed: 6000, counts: { duplicate: 6000 } });
    const row = await db.select().from(importTasks).where(eq(importTasks.id, copy.id)).get();
    expect([row?.watchdogResumes, row?.splitGeneration]).toEqual([1, 0]);
    const ledger = await db.select({ n: sql<number>`count(*)` }).from(importBatches).where(eq(importBatches.taskId, copy.id)).get();
    expect(ledger?.n).toBe(12);
  });

  it("fails a task that stays stuck after IMPORT_WATCHDOG_RESUMES revivals, and leaves a moving one alone", async () => {
    const ctx = await setupImport();
    const taskId = await startTask(ctx, "email\na@acme-mail.com\n", { fast: true });
    await waitForTask(ctx, taskId);
    const config = readConfig(env);
    const now = Date.now();
    await db.update(importTasks).set({ status: "running", processed: 0, watchdogResumes: config.IMPORT_WATCHDOG_RESUMES, updatedAt: now }).where(eq(importTasks.id, taskId));
    await runScheduled(now + 60_000);
    expect((await getTask(ctx, taskId)).status).toBe("running");
    await runScheduled(now + config.IMPORT_STALL_SECONDS * 1000 + 60_000);
    const failed = await getTask(ctx, taskId);
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("stalled");
  });
});
