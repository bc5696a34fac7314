// End to end through the queue: a generated 10,000-row file of known ground truth lands with
// exact counts, the right contacts, and a rejects.csv that lists every other row with its reason.
import { env } from "cloudflare:workers";
import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contactLists, importBatches } from "../../shared/db/imports";
import { contacts, locations } from "../../shared/db/schema";
import { getDb } from "../../worker/db/client";
import { fakeContact, seedContacts } from "./helpers";
import { encodeCp1251, encodeUtf16le, makeImportFile, utf8WithBom } from "./fixtures/import-file";
import { rejectsCsv, setupImport, startTask, waitForTask } from "./fixtures/imports-api";

const db = getDb(env.DB);

async function seedExisting(locationId: string, emails: string[]) {
  await seedContacts(locationId, emails.map((email, i) => fakeContact(900_000 + i, { email, externalId: `ghl-${i}` })));
}

describe("a 10,000-row import (UTF-8 with BOM, semicolons, Cyrillic, quoted newlines, blank rows)", () => {
  it("ends with exact counts, the expected contacts and every reject explained", async () => {
    const ctx = await setupImport();
    const file = makeImportFile(10_000);
    await seedExisting(ctx.locationId, file.existing);
    const before = await db.select().from(locations).where(eq(locations.id, ctx.locationId)).get();

    const started = Date.now();
    const taskId = await startTask(ctx, utf8WithBom(file.text), { multipart: true, fileName: "list.csv" });
    expect(Date.now() - started).toBeLessThan(5000);
    const task = await waitForTask(ctx, taskId);

    expect(file.counts).toEqual({ valid: 6000, invalid: 1500, blacklist: 500, duplicate: 1500, error: 500 });
    expect(task).toMatchObject({ status: "completed", total: 10_000, total_exact: true, processed: 10_000, progress_percentage: 100 });
    expect(task.counts).toEqual(file.counts);
    expect(task.blank_rows).toBe(file.blank);
    expect(task.delimiter).toBe(";");
    expect(task.file_name).toBe("list.csv");

    // Contacts: the 50 that existed plus one per valid row, nothing else.
    const stored = await db.select().from(contacts).where(eq(contacts.locationId, ctx.locationId)).all();
    expect(stored).toHaveLength(6050);
    const byEmail = new Map(stored.map((c) => [c.email, c]));
    for (const row of file.rows.filter((r) => r.bucket === "valid")) {
      const c = byEmail.get(row.stored ?? "");
      expect(c, row.email).toBeDefined();
      expect(c?.firstName).toBe(row.first);
      expect(c?.lastName).toBe(row.last);
    }
    expect(byEmail.get("user18@acme-mail.com")?.firstName).toBe("Анна\nвторая строка");
    expect(byEmail.get("user9@пример.рф")?.externalId).toBe("import:user9@xn--e1afmkfd.xn--p1ai");
    expect(byEmail.get("user0@acme-mail.com")?.phone).toBe("+7 900 0000000");
    expect(byEmail.get("user0@acme-mail.com")?.companyName).toBe("Acme; Inc");

    const after = await db.select().from(locations).where(eq(locations.id, ctx.locationId)).get();
    expect(after?.contactCount).toBe(6050);
    expect(after?.dataVersion).toBeGreaterThan(before?.dataVersion ?? 0);
    const list = await db.select().from(contactLists).where(eq(contactLists.id, ctx.listId)).get();
    expect(list?.contactCount).toBe(6000);

    // rejects.csv: exactly the non-valid rows, each with its bucket and reason; formulas defused.
    const res = await rejectsCsv(ctx, taskId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const expected = file.rows.filter((r) => r.bucket !== "valid");
    expect(records).toHaveLength(expected.length);
    const byRow = new Map(records.map((r) => [Number(r.row), r]));
    for (const row of expected) {
      const got = byRow.get(row.rowNo);
      expect(got, `row ${row.rowNo} ${row.email}`).toBeDefined();
      expect([got?.status, got?.reason]).toEqual([row.bucket, row.reason]);
      if (row.hint) expect(got?.hint).toBe(row.hint);
    }
    const cells = records.flatMap((r) => [r.first_name ?? "", r.phone ?? "", r.email ?? ""]);
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    expect(cells).toContain(`'=HYPERLINK("http://evil.example","x")`);
    expect(cells).toContain("'@cmd");
  }, 120_000);
});

describe("other encodings and shapes", () => {
  it("reads Windows-1251 with a Russian header, and UTF-16 LE with a BOM", async () => {
    const header = ["Почта", "Имя", "Фамилия", "Телефон", "Компания"];
    const file = makeImportFile(400, { header });
    const ctx = await setupImport();
    await seedExisting(ctx.locationId, file.existing);
    const cp = await waitForTask(ctx, await startTask(ctx, encodeCp1251(file.text), { contentType: "text/csv" }));
    expect(cp.encoding).toBe("windows-1251");
    expect(cp.counts).toEqual(file.counts);
    const ivan = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.locationId, ctx.locationId), eq(contacts.email, "user19@acme-mail.com")))
      .get();
    expect([ivan?.firstName, ivan?.lastName]).toEqual(["Ёлка", "Щукина"]);

    const ctx2 = await setupImport();
    await seedExisting(ctx2.locationId, file.existing);
    const u16 = await waitForTask(ctx2, await startTask(ctx2, encodeUtf16le(file.text.replaceAll(";", "\t"))));
    expect([u16.encoding, u16.delimiter]).toEqual(["utf-16le", "\t"]);
    expect(u16.counts).toEqual(file.counts);
  }, 60_000);

  it("fast import checks syntax and duplicates only; a headerless file of addresses works", async () => {
    const ctx = await setupImport();
    const csv = "a@mailinator.com\nb@servfail-mail.com\nnot-an-email\nA@mailinator.com\nc@example.com\n";
    const task = await waitForTask(ctx, await startTask(ctx, csv, { fast: true }));
    expect(task.mode).toBe("fast");
    expect(task.counts).toEqual({ valid: 3, invalid: 1, blacklist: 0, duplicate: 1, error: 0 });
  });

  it("a header-only file completes at once with zero rows", async () => {
    const ctx = await setupImport();
    const task = await waitForTask(ctx, await startTask(ctx, "email,name\n"));
    expect(task).toMatchObject({ total: 0, processed: 0, progress_percentage: 100 });
    const batches = await db.select({ n: sql<number>`count(*)` }).from(importBatches).where(eq(importBatches.taskId, task.task_id)).get();
    expect(batches?.n).toBe(0);
  });
});
