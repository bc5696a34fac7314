// Retention, through the scheduled handler: each TTL removes what it should and nothing else, and
// deleting a contact list removes its memberships, its tasks' rows and their R2 originals.
import { env } from "cloudflare:workers";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contactListMembers, contactLists, importBatches, importDedupeKeys, importRejects, importTasks, mxCache } from "../../shared/db/imports";
import { contactCompanies, contacts, syncRuns } from "../../shared/db/schema";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { api, fakeContact, seedContacts } from "./helpers";
import { type Ctx, setupImport, startTask, storedUploads, waitForTask } from "./fixtures/imports-api";
import { runScheduled } from "./fixtures/scheduled";

const db = getDb(env.DB);
const DAY = 86_400_000;

async function rows(table: typeof importRejects | typeof importBatches | typeof importDedupeKeys, taskId: string): Promise<number> {
  const row = await db.select({ n: sql<number>`count(*)` }).from(table).where(eq(table.taskId, taskId)).get();
  return row?.n ?? 0;
}

/** A finished import with 2 rejects, 1 ledger row and dedupe keys, made `daysAgo` old. */
async function finishedTask(ctx: Ctx, daysAgo: number): Promise<{ id: string; r2Key: string }> {
  const id = await startTask(ctx, `email\nok${daysAgo}@acme-mail.com\nnot-an-email\nOK${daysAgo}@acme-mail.com\n`, { fast: true });
  await waitForTask(ctx, id);
  const at = Date.now() - daysAgo * DAY;
  const row = await db.update(importTasks).set({ finishedAt: at, dedupeKeysPending: true }).where(eq(importTasks.id, id)).returning().get();
  // Keys as a split leaves them (retention removes a finished split's keys on its own schedule).
  await db.insert(importDedupeKeys).values({ taskId: id, key: `ok${daysAgo}@acme-mail.com`, firstRow: 1 }).onConflictDoNothing();
  return { id, r2Key: row?.r2Key ?? "" };
}

async function r2Has(key: string): Promise<boolean> {
  return (await env.UPLOADS.head(key)) !== null;
}

function run(locationId: string, kind: "contacts" | "companies", status: "succeeded" | "failed" | "running", daysAgo: number, n: number) {
  return { id: `run-${locationId}-${kind}-${n}`, locationId, kind, mode: "full" as const, status, queuedAt: Date.now() - daysAgo * DAY, trigger: "test" };
}

describe("TTL purges (scheduled handler)", () => {
  it("remove what is past its TTL and nothing else", async () => {
    const config = readConfig(env);
    const ctx = await setupImport();
    const old = await finishedTask(ctx, config.IMPORT_TASK_TTL_DAYS + 10);
    const mid = await finishedTask(ctx, config.IMPORT_REJECTS_TTL_DAYS + 10);
    const week = await finishedTask(ctx, config.IMPORT_ORIGINAL_TTL_DAYS + 3);
    const recent = await finishedTask(ctx, 1);
    // A task still splitting keeps its dedupe keys; one whose file is read loses them.
    const splitting = await finishedTask(ctx, 0);
    await db.update(importTasks).set({ status: "running", batchCount: null, finishedAt: null, updatedAt: Date.now() }).where(eq(importTasks.id, splitting.id));
    const splitDone = await finishedTask(ctx, 0);
    await db.update(importTasks).set({ status: "running", finishedAt: null, updatedAt: Date.now() }).where(eq(importTasks.id, splitDone.id));

    const now = Date.now();
    await db.insert(mxCache).values([
      { domain: `expired-${ctx.locationId}.test`, answer: "{}", expiresAt: now - 1000 },
      { domain: `fresh-${ctx.locationId}.test`, answer: "{}", expiresAt: now + DAY },
    ]);

    // 25 finished contacts runs past the TTL + 3 recent + an active one 100 days old; 5 old companies runs.
    const loc = ctx.locationId;
    const oldRuns = Array.from({ length: 25 }, (_, i) => run(loc, "contacts", i % 2 ? "failed" : "succeeded", config.SYNC_RUNS_TTL_DAYS + 10 + i, i));
    const recentRuns = [0, 1, 2].map((i) => run(loc, "contacts", "succeeded", i, 100 + i));
    // Queued 100 days ago but making progress now (the cron's watchdog leaves a run that progresses alone).
    const active = { ...run(loc, "contacts", "running", 100, 200), heartbeatAt: Date.now(), progressAt: Date.now(), leaseOwner: "test", leaseUntil: Date.now() + 600_000 };
    const companyRuns = Array.from({ length: 5 }, (_, i) => run(loc, "companies", "succeeded", config.SYNC_RUNS_TTL_DAYS + 50, 300 + i));
    for (const r of [...oldRuns, ...recentRuns, active, ...companyRuns]) await db.insert(syncRuns).values(r);

    // Contacts: soft-deleted long ago (with a company link), recently, and live.
    await seedContacts(loc, [fakeContact(1, { externalId: "gone-long" }), fakeContact(2, { externalId: "gone-recently" }), fakeContact(3, { externalId: "live" })]);
    await db.insert(contactCompanies).values({ locationId: loc, contactExternalId: "gone-long", companyExternalId: "co-1" });
    await db.update(contacts).set({ deleted: true }).where(and(eq(contacts.locationId, loc), inArray(contacts.externalId, ["gone-long", "gone-recently"])));
    const deletedRows = await db.select().from(contacts).where(and(eq(contacts.locationId, loc), eq(contacts.deleted, true))).all();
    expect(deletedRows.every((c) => c.deletedAt !== null)).toBe(true);
    await db.update(contacts).set({ deletedAt: now - (config.DELETED_CONTACTS_TTL_DAYS + 1) * DAY }).where(and(eq(contacts.locationId, loc), eq(contacts.externalId, "gone-long")));

    await runScheduled(now);

    // The old task is gone entirely, with its rows and its original.
    expect(await db.select().from(importTasks).where(eq(importTasks.id, old.id)).get()).toBeUndefined();
    expect([await rows(importRejects, old.id), await rows(importBatches, old.id), await rows(importDedupeKeys, old.id)]).toEqual([0, 0, 0]);
    expect(await r2Has(old.r2Key)).toBe(false);
    // Past the rejects TTL: rejects and original gone, the task and its ledger stay.
    const midRow = await db.select().from(importTasks).where(eq(importTasks.id, mid.id)).get();
    expect([midRow?.rejectsDeletedAt !== null, midRow?.originalDeletedAt !== null]).toEqual([true, true]);
    expect([await rows(importRejects, mid.id), await rows(importBatches, mid.id)]).toEqual([0, 1]);
    expect(await r2Has(mid.r2Key)).toBe(false);
    // Past the originals TTL only: the original goes, the rejects stay.
    expect([await rows(importRejects, week.id), await r2Has(week.r2Key)]).toEqual([2, false]);
    // Recent: everything stays but the keys of its finished split.
    expect([await rows(importRejects, recent.id), await rows(importBatches, recent.id), await r2Has(recent.r2Key), await rows(importDedupeKeys, recent.id)]).toEqual([2, 1, true, 0]);
    expect(await rows(importDedupeKeys, splitting.id)).toBeGreaterThan(0);
    expect(await rows(importDedupeKeys, splitDone.id)).toBe(0);

    const mx = await db.select({ domain: mxCache.domain }).from(mxCache).where(inArray(mxCache.domain, [`expired-${loc}.test`, `fresh-${loc}.test`])).all();
    expect(mx.map((m) => m.domain)).toEqual([`fresh-${loc}.test`]);

    const left = new Set((await db.select({ id: syncRuns.id }).from(syncRuns).where(eq(syncRuns.locationId, loc)).all()).map((r) => r.id));
    const keptContactsRuns = [...recentRuns, ...oldRuns.slice(0, config.SYNC_RUNS_KEEP - recentRuns.length)].map((r) => r.id);
    for (const id of [...keptContactsRuns, active.id, ...companyRuns.map((r) => r.id)]) expect(left.has(id), id).toBe(true);
    for (const r of oldRuns.slice(config.SYNC_RUNS_KEEP - recentRuns.length)) expect(left.has(r.id), r.id).toBe(false);

    const remaining = await db.select({ id: contacts.externalId }).from(contacts).where(eq(contacts.locationId, loc)).all();
    const synced = remaining.map((c) => c.id).filter((id) => !id.startsWith("import:"));
    expect(synced.sort()).toEqual(["gone-recently", "live"]);
    expect(remaining).toHaveLength(2 + 5); // and the imported contacts, all live
    expect(await db.select().from(contactCompanies).where(eq(contactCompanies.locationId, loc)).all()).toEqual([]);
  });
});

describe("deleting a contact list", () => {
  it("removes its memberships, its tasks' rows and R2 originals; contacts stay", async () => {
    const ctx = await setupImport();
    const taskId = await startTask(ctx, "email\na@acme-mail.com\nbad\n", { fast: true });
    await waitForTask(ctx, taskId);
    expect(await storedUploads(ctx.locationId)).toHaveLength(1);
    const res = await api(`/api/contactlists/${ctx.listId}`, { token: ctx.token, method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await db.select().from(contactLists).where(eq(contactLists.id, ctx.listId)).get()).toBeUndefined();
    expect(await db.select().from(contactListMembers).where(eq(contactListMembers.listId, ctx.listId)).all()).toEqual([]);
    expect(await db.select().from(importTasks).where(eq(importTasks.id, taskId)).get()).toBeUndefined();
    expect([await rows(importRejects, taskId), await rows(importBatches, taskId)]).toEqual([0, 0]);
    expect(await storedUploads(ctx.locationId)).toEqual([]);
    expect((await db.select().from(contacts).where(eq(contacts.locationId, ctx.locationId)).all()).map((c) => c.email)).toEqual(["a@acme-mail.com"]);
  });

  it("a list too large to remove at once disappears from the API now and from storage on the next scheduled runs", async () => {
    const ctx = await setupImport();
    const taskId = await startTask(ctx, "email\na@acme-mail.com\n", { fast: true });
    await waitForTask(ctx, taskId);
    const source = await db.select().from(importTasks).where(eq(importTasks.id, taskId)).get();
    if (!source) throw new Error("no task");
    // 15 more finished tasks on the list, each with its original: more than a DELETE may remove.
    for (let i = 0; i < 15; i++) {
      const id = `imp_${crypto.randomUUID()}`;
      const r2Key = `imports/${ctx.locationId}/${id}/original`;
      await env.UPLOADS.put(r2Key, "email\nx@acme-mail.com\n");
      await db.insert(importTasks).values({ ...source, id, r2Key });
    }
    const res = await api(`/api/contactlists/${ctx.listId}`, { token: ctx.token, method: "DELETE" });
    expect(res.status).toBe(200);
    expect((await api(`/api/contactlists/${ctx.listId}`, { token: ctx.token })).status).toBe(404);
    const lists = await api("/api/contactlists", { token: ctx.token });
    expect(((await lists.json()) as { lists: unknown[] }).lists).toEqual([]);
    const leftNow = (await db.select().from(importTasks).where(eq(importTasks.listId, ctx.listId)).all()).length;
    expect(leftNow).toBeGreaterThan(0);

    for (let i = 0; i < 3 && (await storedUploads(ctx.locationId)).length > 0; i++) await runScheduled();
    expect(await db.select().from(importTasks).where(eq(importTasks.listId, ctx.listId)).all()).toEqual([]);
    expect(await db.select().from(contactLists).where(eq(contactLists.id, ctx.listId)).get()).toBeUndefined();
    expect(await storedUploads(ctx.locationId)).toEqual([]);
  });
});
