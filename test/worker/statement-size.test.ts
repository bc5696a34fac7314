// Bulk writes are cut by bytes as well as rows: no bound JSON value passes D1's 2 MB limit, so a
// page of contacts with large custom fields (or an import batch of long cells) writes instead of
// failing on the same page for ever.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importTasks } from "../../shared/db/imports";
import { contacts } from "../../shared/db/schema";
import type { ImportRow } from "../../shared/schemas/messages-imports";
import { getDb } from "../../worker/db/client";
import { JSON_BYTES_PER_VALUE, chunkByJsonSize, utf8Length } from "../../worker/db/json-chunks";
import { applyBatch } from "../../worker/imports/apply";
import { writeContacts } from "../../worker/sync/writers";
import { createLocation, fakeContact, uid } from "./helpers";
import { setupImport, startTask, waitForTask } from "./fixtures/imports-api";

const db = getDb(env.DB);

/** The largest string bound to a statement, in UTF-8 bytes. */
function largestValue(statement: { toSQL(): { params: unknown[] } }): number {
  return Math.max(0, ...statement.toSQL().params.map((p) => (typeof p === "string" ? utf8Length(p) : 0)));
}

describe("chunkByJsonSize", () => {
  it("cuts by row count and by bytes; an oversized item travels alone", () => {
    const small = Array.from({ length: 10 }, (_, i) => ({ i }));
    expect(chunkByJsonSize(small, 4).map((c) => c.length)).toEqual([4, 4, 2]);
    const big = Array.from({ length: 6 }, () => "é".repeat(300)); // 600 bytes of UTF-8 each
    const chunks = chunkByJsonSize(big, 100, 1300);
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 2]);
    for (const c of chunks) expect(utf8Length(JSON.stringify(c))).toBeLessThanOrEqual(1300);
    expect(chunkByJsonSize(["x".repeat(5000), "y"], 100, 1000).map((c) => c.length)).toEqual([1, 1]);
  });
});

describe("sync writers", () => {
  it("250 contacts with 20 KB of custom fields each write in statements under 1.5 MB per value", async () => {
    const locationId = uid("big");
    await createLocation(locationId);
    const records = Array.from({ length: 250 }, (_, i) =>
      fakeContact(i, { customFields: [{ id: "notes", value: `${i}:${"Ж".repeat(10_000)}` }] }),
    );
    const written = writeContacts(db, locationId, records, Date.now());
    const queries = written.statements as unknown as { toSQL(): { sql: string; params: unknown[] } }[];
    const upserts = queries.filter((s) => /insert into "contacts"/.test(s.toSQL().sql));
    expect(upserts.length).toBeGreaterThan(3);
    for (const s of upserts) expect(largestValue(s)).toBeLessThanOrEqual(JSON_BYTES_PER_VALUE);
    const [first, ...rest] = written.statements;
    if (!first) throw new Error("no statements");
    await db.batch([first, ...rest]);
    const stored = await db.select({ n: sql<number>`count(*)`, bytes: sql<number>`sum(length(payload))` }).from(contacts).where(eq(contacts.locationId, locationId)).get();
    expect(stored?.n).toBe(250);
    expect(stored?.bytes).toBeGreaterThan(250 * 10_000);
  });
});

describe("import batches", () => {
  it("a batch of 500 rows with every cell at its longest applies (about 2 MB of contact rows)", async () => {
    const ctx = await setupImport();
    const taskId = await startTask(ctx, "email\nseed@acme-mail.com\n", { fast: true });
    await waitForTask(ctx, taskId);
    // Reopen the task for 500 more rows, as the split would send them.
    await db.update(importTasks).set({ status: "running", total: 501 }).where(eq(importTasks.id, taskId));
    const long = (c: string, n: number) => c.repeat(n);
    const rows: ImportRow[] = Array.from({ length: 500 }, (_, i) => [
      i + 2,
      `${"u".repeat(50)}${i}@acme-mail.com`,
      long("Ф", 200),
      long("Щ", 200),
      long("Я", 200),
      long("7", 64),
      long("К", 200),
      0,
    ]);
    expect(await applyBatch(env, db, { type: "import.batch", task_id: taskId, batch_no: 1, rows }, Date.now)).toBe("applied");
    const task = await db.select().from(importTasks).where(eq(importTasks.id, taskId)).get();
    expect(task).toMatchObject({ status: "completed", processed: 501, valid: 501 });
  });
});
