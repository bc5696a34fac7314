// The split in bounded memory: it dedupes through D1, checkpoints the byte offset of the next
// record, and a hand-over (its budget ran low) reads on from there with an R2 range read. The
// offset is exact in the original bytes for UTF-8, Windows-1251 and UTF-16 (quoted line breaks and
// Cyrillic included), and the counts equal an uninterrupted run's: duplicates across chunks and
// slices, and against the location's live contacts, are found.
import { env } from "cloudflare:workers";
import { parse } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importDedupeKeys, importTasks } from "../../shared/db/imports";
import { contacts } from "../../shared/db/schema";
import { getDb } from "../../worker/db/client";
import { InvocationBudget } from "../../worker/imports/budget";
import type { TextEncoding } from "../../worker/imports/decode";
import { CHUNK_BATCHES, runSplit } from "../../worker/imports/split";
import { checkSyntax } from "../../worker/validation/syntax";
import { fakeContact, seedContacts } from "./helpers";
import { encodeCp1251, encodeUtf16le } from "./fixtures/import-file";
import { type Ctx, setupImport, waitForTask } from "./fixtures/imports-api";

const db = getDb(env.DB);
const EXISTING = Array.from({ length: 50 }, (_, k) => `existing${k}@acme-mail.com`);

type Expected = { text: string; counts: { valid: number; invalid: number; duplicate: number }; total: number; blank: number };

/** n records (some blank) whose expected fast-mode buckets are computed as the rules say. */
function splitFile(n: number): Expected {
  const lines = ["Email;Имя;Фамилия"];
  const seen = new Set(EXISTING);
  const counts = { valid: 0, invalid: 0, duplicate: 0 };
  let blank = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (i % 13 === 0) {
      lines.push(i % 2 ? ";;" : "");
      blank++;
      continue;
    }
    let email = `user${i}@acme-mail.com`;
    if (i >= 6000 && i % 7 === 3) email = `USER${i - 6000}@Acme-Mail.com`; // an earlier row, chunks and slices back
    if (i > 100 && i % 23 === 7) email = `user${i - 50}@acme-mail.com`; // an earlier row of the same chunk
    if (i % 17 === 1) email = EXISTING[i % 50] ?? ""; // a live contact of the location
    if (i % 19 === 2) email = `not-an-email-${i}`;
    const first = i % 11 === 5 ? `"Анна\r\nвторая строка ${i}"` : `Ёлка${i}`;
    lines.push(`${email};${first};Щукина`);
    total++;
    const syntax = checkSyntax(email);
    if (!syntax.ok) counts.invalid++;
    else if (seen.has(syntax.key)) counts.duplicate++;
    else {
      seen.add(syntax.key);
      counts.valid++;
    }
  }
  return { text: `${lines.join("\r\n")}\r\n`, counts, total, blank };
}

const encoders: Record<TextEncoding, (text: string) => Uint8Array> = {
  "utf-8": (t) => new TextEncoder().encode(t),
  "windows-1251": encodeCp1251,
  "utf-16le": encodeUtf16le,
  "utf-16be": () => new Uint8Array(),
};

/** A task as the upload leaves it, without its split message: the test drives the first slice. */
async function createTask(ctx: Ctx, bytes: Uint8Array, encoding: TextEncoding): Promise<string> {
  const id = `imp_${crypto.randomUUID()}`;
  const r2Key = `imports/${ctx.locationId}/${id}/original`;
  await env.UPLOADS.put(r2Key, bytes);
  const now = Date.now();
  await db.insert(importTasks).values({
    id,
    listId: ctx.listId,
    locationId: ctx.locationId,
    mode: "fast",
    r2Key,
    byteSize: bytes.length,
    encoding,
    delimiter: ";",
    hasHeader: true,
    columns: { email: 0, firstName: 1, lastName: 2 },
    totalEstimate: 0,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/** Room for exactly one chunk: the split must hand over after its first checkpoint. */
function oneChunkBudget(): InvocationBudget {
  return new InvocationBudget({ d1: 12, subrequests: 900, wallMs: 60_000 });
}

async function liveContacts(locationId: string): Promise<number> {
  const row = await db.select({ n: sql<number>`count(*)` }).from(contacts).where(eq(contacts.locationId, locationId)).get();
  return row?.n ?? 0;
}

describe.each(["utf-8", "windows-1251", "utf-16le"] as const)("a split handed over mid-file (%s)", (encoding) => {
  it("checkpoints the exact byte offset of a record boundary and ends with the uninterrupted counts", async () => {
    const ctx = await setupImport();
    await seedContacts(ctx.locationId, EXISTING.map((email, i) => fakeContact(700_000 + i, { email, externalId: `ghl-${i}` })));
    const file = splitFile(12_000);
    const bytes = encoders[encoding](file.text);
    const taskId = await createTask(ctx, bytes, encoding);

    const outcome = await runSplit(env, db, { type: "import.split", task_id: taskId, generation: 0 }, Date.now, { owner: "first-slice", budget: oneChunkBudget() });
    expect(outcome).toBe("handed_over");
    const task = await db.select().from(importTasks).where(eq(importTasks.id, taskId)).get();
    expect(task).toMatchObject({ batchesSent: CHUNK_BATCHES, splitLeaseOwner: null, splitRows: CHUNK_BATCHES * 500 });
    // The bytes before the checkpoint parse to exactly the records it says it has read.
    const offset = task?.splitOffset ?? 0;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(bytes.length);
    const before = new TextDecoder(encoding).decode(bytes.subarray(0, offset));
    const records = parse(before, { delimiter: ";", bom: true, relax_column_count: true }) as string[][];
    expect(before.endsWith("\n")).toBe(true);
    expect(records.length - 1).toBe(task?.splitRecord);

    // The continuation message (through the real queue) reads on from the offset.
    const done = await waitForTask(ctx, taskId);
    expect(done).toMatchObject({ total: file.total, processed: file.total, blank_rows: file.blank });
    expect(done.counts).toEqual({ ...file.counts, blacklist: 0, error: 0 });
    expect(await liveContacts(ctx.locationId)).toBe(EXISTING.length + file.counts.valid);
  }, 90_000);
});

describe("dedupe state left by an earlier attempt", () => {
  it("keys a crashed attempt wrote for rows after the checkpoint change no verdict", async () => {
    const ctx = await setupImport();
    await seedContacts(ctx.locationId, EXISTING.map((email, i) => fakeContact(700_000 + i, { email, externalId: `ghl-${i}` })));
    const file = splitFile(12_000);
    const taskId = await createTask(ctx, new TextEncoder().encode(file.text), "utf-8");
    // As if an earlier attempt had read the whole file, then died before its checkpoint: every
    // address's first row is already recorded, later rows' included.
    const rows = parse(file.text, { delimiter: ";", from_line: 2, relax_column_count: true, skip_empty_lines: false }) as string[][];
    const keys = new Map<string, number>();
    rows.forEach((r, i) => {
      const syntax = checkSyntax(r[0] ?? "");
      if (syntax.ok && !keys.has(syntax.key)) keys.set(syntax.key, i + 1);
    });
    const later = [...keys].reverse().map(([key, first]) => ({ taskId, key, firstRow: first + 100_000 }));
    for (let i = 0; i < later.length; i += 20) await db.insert(importDedupeKeys).values(later.slice(i, i + 20));
    await env.IMPORT_QUEUE.send({ type: "import.split", task_id: taskId, generation: 0 }, { contentType: "json" });
    const done = await waitForTask(ctx, taskId);
    // Keys with (wrongly) later first rows are corrected down by the upsert: no row is lost as a duplicate.
    expect(done.counts).toEqual({ ...file.counts, blacklist: 0, error: 0 });
  }, 60_000);
});
