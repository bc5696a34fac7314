// The split: stream the original from R2 through the CSV parser, cut it into numbered batches
// and put the ones not yet applied on IMPORT_QUEUE. Deterministic: the same file always gives
// the same rows in the same batch numbers, so a resume (or a redelivered split) can skip exactly
// the batches the ledger holds. Duplicates are decided here, in file order: the first row with
// an address wins, and an address already on a live contact of the location is a duplicate.
import { and, eq, inArray, sql } from "drizzle-orm";
import { parse } from "csv-parse/stream";
import { type ColumnMap, type ImportTaskRow, importBatches, importTasks } from "../../shared/db/imports";
import { contacts } from "../../shared/db/schema";
import type { ImportBatchMessage, ImportRow, ImportSplitMessage } from "../../shared/schemas/messages-imports";
import type { Db } from "../env";
import { checkSyntax } from "../validation/syntax";
import { importLimits } from "./limits";
import { failTask, loadTask } from "./tasks";

const FIELD_MAX = { email: 320, text: 200, phone: 64 };
/** Queue sendBatch limits: 100 messages and 256 KB per call (kept under with a margin). */
const SEND_MAX_MESSAGES = 100;
const SEND_MAX_BYTES = 200_000;

const encoder = new TextEncoder();

class Superseded extends Error {}

/** Normalised addresses of the location's live contacts: the "already exists" side of dedupe. */
async function existingKeys(db: Db, locationId: string): Promise<Set<string>> {
  const rows = await db
    .select({ email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.locationId, locationId), eq(contacts.deleted, false), sql`${contacts.email} is not null`))
    .all();
  const keys = new Set<string>();
  for (const { email } of rows) {
    const syntax = email ? checkSyntax(email) : null;
    if (syntax?.ok) keys.add(syntax.key);
  }
  return keys;
}

function cell(record: string[], index: number | undefined, max: number): string {
  return index === undefined ? "" : (record[index] ?? "").trim().slice(0, max);
}

function toRow(rowNo: number, record: string[], map: ColumnMap, seen: Set<string>): ImportRow {
  const email = cell(record, map.email, FIELD_MAX.email);
  const syntax = checkSyntax(email);
  let dup: 0 | 1 = 0;
  if (syntax.ok) {
    if (seen.has(syntax.key)) dup = 1;
    else seen.add(syntax.key);
  }
  return [
    rowNo,
    email,
    cell(record, map.firstName, FIELD_MAX.text),
    cell(record, map.lastName, FIELD_MAX.text),
    cell(record, map.name, FIELD_MAX.text),
    cell(record, map.phone, FIELD_MAX.phone),
    cell(record, map.company, FIELD_MAX.text),
    dup,
  ];
}

/** Groups batch messages into sendBatch calls within the queue's per-call limits. */
class Sender {
  private pending: { body: ImportBatchMessage; size: number }[] = [];
  private bytes = 0;
  constructor(private readonly queue: Queue) {}

  add(body: ImportBatchMessage, size: number): void {
    this.pending.push({ body, size });
    this.bytes += size;
  }

  get full(): boolean {
    return this.pending.length >= SEND_MAX_MESSAGES || this.bytes >= SEND_MAX_BYTES;
  }

  async flush(): Promise<void> {
    let group: MessageSendRequest[] = [];
    let groupBytes = 0;
    for (const { body, size } of this.pending) {
      if (group.length && (group.length >= SEND_MAX_MESSAGES || groupBytes + size > SEND_MAX_BYTES)) {
        await this.queue.sendBatch(group);
        group = [];
        groupBytes = 0;
      }
      group.push({ body, contentType: "json" });
      groupBytes += size;
    }
    if (group.length) await this.queue.sendBatch(group);
    this.pending = [];
    this.bytes = 0;
  }
}

/** Records that batches [0, batchesPassed) are sent or applied; false once cancelled or superseded. */
async function checkpoint(db: Db, task: ImportTaskRow, generation: number, batchesPassed: number, now: number): Promise<void> {
  const row = await db
    .update(importTasks)
    .set({ batchesSent: batchesPassed, updatedAt: now })
    .where(and(eq(importTasks.id, task.id), eq(importTasks.splitGeneration, generation), eq(importTasks.status, "running")))
    .returning({ id: importTasks.id })
    .get();
  if (!row) throw new Superseded();
}

async function* records(body: ReadableStream<Uint8Array>, task: ImportTaskRow): AsyncGenerator<string[]> {
  // csv-parse reads UTF-8 bytes: other encodings are decoded and re-encoded on the way.
  // (Typed as a plain transform: the widget's DOM typings, which also check this file through
  // AppType, declare TextDecoderStream's input as BufferSource where Workers' say Uint8Array.)
  const decoder = new TextDecoderStream(task.encoding) as unknown as TransformStream<Uint8Array, string>;
  const utf8 = task.encoding === "utf-8" ? body : body.pipeThrough(decoder).pipeThrough(new TextEncoderStream());
  const parser = parse({
    delimiter: task.delimiter,
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: 64 * 1024,
  });
  const reader = (utf8.pipeThrough(parser) as ReadableStream<string[]>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

export async function runSplit(env: Env, db: Db, msg: ImportSplitMessage, now: () => number): Promise<void> {
  const task = await loadTask(db, msg.task_id);
  if (!task || task.splitGeneration !== msg.generation || (task.status !== "queued" && task.status !== "running")) return;
  const started = await db
    .update(importTasks)
    .set({ status: "running", startedAt: sql`coalesce(${importTasks.startedAt}, ${now()})`, updatedAt: now() })
    .where(and(eq(importTasks.id, task.id), eq(importTasks.splitGeneration, msg.generation), inArray(importTasks.status, ["queued", "running"])))
    .returning({ id: importTasks.id })
    .get();
  if (!started) return;

  const object = await env.UPLOADS.get(task.r2Key);
  if (!object) {
    await failTask(db, task.id, msg.generation, "original_missing", "The uploaded file is no longer in storage.", now());
    return;
  }
  const limits = importLimits(env);
  const appliedRows = await db.select({ batchNo: importBatches.batchNo }).from(importBatches).where(eq(importBatches.taskId, task.id)).all();
  const applied = new Set(appliedRows.map((r) => r.batchNo));
  const seen = await existingKeys(db, task.locationId);
  const sender = new Sender(env.IMPORT_QUEUE);

  let recordNo = 0;
  let total = 0;
  let blank = 0;
  let batchNo = 0;
  let rows: ImportRow[] = [];
  let rowsBytes = 0;

  const cut = async () => {
    const no = batchNo++;
    // Batches below the checkpoint went out in this generation already; applied ones are done.
    if (!applied.has(no) && no >= task.batchesSent) {
      const body: ImportBatchMessage = { type: "import.batch", task_id: task.id, batch_no: no, rows };
      sender.add(body, rowsBytes + 100);
    }
    rows = [];
    rowsBytes = 0;
    if (sender.full) {
      await sender.flush();
      await checkpoint(db, task, msg.generation, batchNo, now());
    }
  };

  try {
    let header = task.hasHeader;
    for await (const record of records(object.body, task)) {
      if (header) {
        header = false;
        continue;
      }
      recordNo++;
      if (record.every((f) => f.trim() === "")) {
        blank++;
        continue;
      }
      const row = toRow(recordNo, record, task.columns, seen);
      rows.push(row);
      // Bytes, not characters: the queue's 128 KB message limit counts UTF-8.
      rowsBytes += encoder.encode(JSON.stringify(row)).length + 1;
      total++;
      if (rows.length >= limits.batchRows || rowsBytes >= limits.batchBytes) await cut();
    }
    if (rows.length) await cut();
    await sender.flush();
    await checkpoint(db, task, msg.generation, batchNo, now());
  } catch (err) {
    if (err instanceof Superseded) return;
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("CSV_")) {
      const message = `The CSV could not be read after row ${recordNo}: ${(err as Error).message}`;
      await failTask(db, task.id, msg.generation, "malformed_csv", message, now());
      return;
    }
    throw err;
  }

  // The total is known now. Batches may all be applied already: then this completes the task.
  const at = now();
  const allDone = sql`${importTasks.processed} >= ${total}`;
  await db
    .update(importTasks)
    .set({
      total,
      blankRows: blank,
      batchCount: batchNo,
      status: sql`case when ${allDone} then 'completed' else ${importTasks.status} end`,
      finishedAt: sql`case when ${allDone} then ${at} else ${importTasks.finishedAt} end`,
      updatedAt: at,
    })
    .where(and(eq(importTasks.id, task.id), eq(importTasks.splitGeneration, msg.generation), eq(importTasks.status, "running")));
}
