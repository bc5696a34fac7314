// The import consumer's per-invocation budget: DNS lookups are subrequests, and a batch that would
// pass the budget is handed over to a fresh message (what it learnt is cached), never classified
// as dns_error for want of budget.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importBatches, importTasks, mxCache } from "../../shared/db/imports";
import type { ImportBatchMessage, ImportRow } from "../../shared/schemas/messages-imports";
import { getDb } from "../../worker/db/client";
import { applyBatch } from "../../worker/imports/apply";
import { BudgetExhausted, InvocationBudget } from "../../worker/imports/budget";
import { consumeImportBatch } from "../../worker/imports/consumer";
import { uid } from "./helpers";
import { type Ctx, getTask, setupImport, startTask, waitForTask } from "./fixtures/imports-api";

const db = getDb(env.DB);

/** A running task expecting `rows` more rows after its first one, and 5 rows on unknown domains. */
async function taskWithUnknownDomains(ctx: Ctx): Promise<{ taskId: string; msg: ImportBatchMessage; domains: string[] }> {
  const taskId = await startTask(ctx, "email\nseed@acme-mail.com\n");
  await waitForTask(ctx, taskId);
  await db.update(importTasks).set({ status: "running", total: 6 }).where(eq(importTasks.id, taskId));
  // Unlisted names answer NXDOMAIN in the sandbox's DNS: one real lookup each, never cached before.
  const domains = Array.from({ length: 5 }, () => `${uid("nx")}.com`);
  const rows: ImportRow[] = domains.map((d, i) => [i + 2, `someone@${d}`, "", "", "", "", "", 0]);
  return { taskId, msg: { type: "import.batch", task_id: taskId, batch_no: 1, rows }, domains };
}

describe("DNS lookups against the invocation budget", () => {
  it("a batch that runs out of subrequests throws BudgetExhausted, writes nothing, and keeps what it learnt", async () => {
    const ctx = await setupImport();
    const { taskId, msg, domains } = await taskWithUnknownDomains(ctx);
    const small = new InvocationBudget({ d1: 800, subrequests: 6, wallMs: 60_000 });
    await expect(applyBatch(env, db, msg, Date.now, "validate", small)).rejects.toBeInstanceOf(BudgetExhausted);
    expect((await getTask(ctx, taskId)).processed).toBe(1);
    expect(await db.select().from(importBatches).where(eq(importBatches.taskId, taskId)).all()).toHaveLength(1);
    const cached = await db.select().from(mxCache).where(inArray(mxCache.domain, domains)).all();
    expect(cached).toHaveLength(2);

    // The next copy starts from the cache and finishes: real answers, no dns_error.
    expect(await applyBatch(env, db, msg, Date.now, "validate", new InvocationBudget({ d1: 800, subrequests: 9, wallMs: 60_000 }))).toBe("applied");
    const task = await getTask(ctx, taskId);
    expect(task).toMatchObject({ status: "completed", processed: 6 });
    expect(task.counts).toMatchObject({ valid: 1, invalid: 5, error: 0 });
  });

  it("the consumer hands such a batch over to a fresh message instead of retrying it", async () => {
    const ctx = await setupImport();
    const { taskId, msg } = await taskWithUnknownDomains(ctx);
    const batch = createMessageBatch<unknown>("crm-edge-import", [{ id: "m1", timestamp: new Date(), attempts: 1, body: msg }]);
    const ctxExec = createExecutionContext();
    await consumeImportBatch({ ...env, IMPORT_SUBREQUEST_BUDGET: "6" } as Env, batch);
    const result = await getQueueResult(batch, ctxExec);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
    // The copy went through the real queue and the real consumer finished it.
    const done = await waitForTask(ctx, taskId);
    expect(done).toMatchObject({ processed: 6, counts: { valid: 1, invalid: 5, error: 0 } });
  });
});
