// The split: stream the original from R2 through the CSV parser, cut it into numbered batches
// and put the ones not yet applied on IMPORT_QUEUE. Deterministic: the same file always gives
// the same rows in the same batch numbers, so a resume (or a redelivered split) can skip exactly
// the batches the ledger holds. Duplicates are decided in file order: the first row with an
// address wins, and an address already on a live contact of the location is a duplicate.
//
// Memory is bounded whatever the file or location size: the isolate holds one chunk of batches
// (CHUNK_BATCHES × ≤ 96 KB of rows) and asks D1 which addresses it has seen (import-dedupe.ts).
// After each chunk it checkpoints the byte offset of the next record, so a retry, a hand-over or a
// resume of the same generation reads on from there with an R2 range read. One invocation reads at
// a time (a lease on the task row); it stops at a checkpoint before its budget runs out and hands
// over to a fresh message.
import type { ColumnMap, ImportTaskRow } from "../../shared/db/imports";
import type { ImportBatchMessage, ImportRow, ImportSplitMessage } from "../../shared/schemas/messages-imports";
import { dedupeKeys, type KeyedRow } from "../db/import-dedupe";
import { appliedBatches, claimSplit, finishSplit, releaseSplit, saveCheckpoint, type SplitProgress } from "../db/import-split";
import type { Db } from "../env";
import { checkSyntax } from "../validation/syntax";
import { InvocationBudget } from "./budget";
import { readRecords } from "./csv-reader";
import type { TextEncoding } from "./decode";
import { importLimits } from "./limits";
import { Sender } from "./split-sender";
import { failTask, loadTask } from "./tasks";

const FIELD_MAX = { email: 320, text: 200, phone: 64 };
/** Batches per chunk: one dedupe round trip and one checkpoint each. */
export const CHUNK_BATCHES = 10;
/** Most D1 statements one chunk costs (dedupe insert + lookup, checkpoint), with room to spare. */
const CHUNK_D1 = 6;
/** The lease outlives a slice by this much: a driver that died is replaced after it. */
const LEASE_MARGIN_MS = 60_000;

const encoder = new TextEncoder();

export type SplitOutcome = "finished" | "handed_over" | "stopped" | "skipped";

type Batch = { batchNo: number; rows: ImportRow[]; keys: (string | null)[]; bytes: number };

function cell(record: string[], index: number | undefined, max: number): string {
  return index === undefined ? "" : (record[index] ?? "").trim().slice(0, max);
}

/** A row as the batch consumer reads it (dup flag still 0) and its dedupe key, if well-formed. */
function toRow(rowNo: number, record: string[], map: ColumnMap): { row: ImportRow; key: string | null } {
  const email = cell(record, map.email, FIELD_MAX.email);
  const syntax = checkSyntax(email);
  const row: ImportRow = [
    rowNo,
    email,
    cell(record, map.firstName, FIELD_MAX.text),
    cell(record, map.lastName, FIELD_MAX.text),
    cell(record, map.name, FIELD_MAX.text),
    cell(record, map.phone, FIELD_MAX.phone),
    cell(record, map.company, FIELD_MAX.text),
    0,
  ];
  return { row, key: syntax.ok ? syntax.key : null };
}

export type SplitOptions = { owner?: string; budget?: InvocationBudget };

class Stopped extends Error {}

export async function runSplit(env: Env, db: Db, msg: ImportSplitMessage, now: () => number, opts: SplitOptions = {}): Promise<SplitOutcome> {
  const limits = importLimits(env);
  const budget = opts.budget ?? new InvocationBudget(limits.budget, now);
  const owner = opts.owner ?? `split-${crypto.randomUUID()}`;
  const leaseMs = limits.budget.wallMs + LEASE_MARGIN_MS;

  const current = await loadTask(db, msg.task_id);
  budget.spend("d1");
  // Another generation, a finished task, or a split that already read the whole file.
  if (!current || current.splitGeneration !== msg.generation || current.batchCount !== null) return "skipped";
  if (current.status !== "queued" && current.status !== "running") return "skipped";
  const task = await claimSplit(db, current.id, msg.generation, owner, now(), leaseMs);
  budget.spend("d1");
  // Someone else drives this split; it hands over when done (or, if it died, its lease expires).
  if (!task) return "skipped";

  const progress: SplitProgress = {
    batchNo: task.batchesSent,
    offset: task.splitOffset,
    recordNo: task.splitRecord,
    rows: task.splitRows,
    blank: task.splitBlank,
  };
  let body: ReadableStream<Uint8Array> | null = null;
  if (progress.offset < task.byteSize) {
    budget.spend("subrequests");
    const object = await env.UPLOADS.get(task.r2Key, progress.offset > 0 ? { range: { offset: progress.offset } } : undefined);
    if (!object) {
      await failTask(db, task.id, msg.generation, "original_missing", "The uploaded file is no longer in storage.", now());
      return "finished";
    }
    body = object.body;
  }
  const applied = await appliedBatches(db, task.id, progress.batchNo);
  budget.spend("d1");
  const sender = new Sender(env.IMPORT_QUEUE, budget);

  let batch: Batch = { batchNo: progress.batchNo, rows: [], keys: [], bytes: 0 };
  let chunk: Batch[] = [];
  // Where the records read so far end: becomes the checkpoint when their chunk is flushed.
  const reading = { ...progress };

  const flushChunk = async () => {
    const keyed: KeyedRow[] = [];
    for (const b of chunk) b.keys.forEach((key, i) => key !== null && keyed.push([key, b.rows[i]?.[0] ?? 0]));
    const { verdicts, statements } = await dedupeKeys(db, task.id, task.locationId, keyed);
    budget.spend("d1", statements);
    for (const b of chunk) {
      b.keys.forEach((key, i) => {
        const row = b.rows[i];
        const verdict = key === null ? undefined : verdicts.get(key);
        if (row && verdict && (verdict.firstRow < row[0] || verdict.live)) row[7] = 1;
      });
      if (applied.has(b.batchNo)) continue;
      const message: ImportBatchMessage = { type: "import.batch", task_id: task.id, batch_no: b.batchNo, rows: b.rows };
      sender.add(message, b.bytes + 100);
    }
    await sender.flush();
    chunk = [];
    Object.assign(progress, reading);
    budget.spend("d1");
    if (!(await saveCheckpoint(db, task, owner, progress, now(), leaseMs))) throw new Stopped();
  };

  const cut = () => {
    chunk.push(batch);
    reading.batchNo = batch.batchNo + 1;
    batch = { batchNo: batch.batchNo + 1, rows: [], keys: [], bytes: 0 };
  };

  let handingOver = false;
  try {
    if (body) {
      let header = task.hasHeader && progress.offset === 0;
      const records = readRecords(body, { encoding: task.encoding as TextEncoding, delimiter: task.delimiter, start: progress.offset });
      for await (const { fields, end } of records) {
        reading.offset = end;
        if (header) {
          header = false;
          continue;
        }
        reading.recordNo++;
        if (fields.every((f) => f.trim() === "")) {
          reading.blank++;
          continue;
        }
        const { row, key } = toRow(reading.recordNo, fields, task.columns);
        batch.rows.push(row);
        batch.keys.push(key);
        // Bytes, not characters: the queue's 128 KB message limit counts UTF-8.
        batch.bytes += encoder.encode(JSON.stringify(row)).length + 1;
        reading.rows++;
        if (batch.rows.length < limits.batchRows && batch.bytes < limits.batchBytes) continue;
        cut();
        if (chunk.length < CHUNK_BATCHES) continue;
        await flushChunk();
        // Stop at this checkpoint while the next chunk still fits the budget.
        if (budget.timeUp() || !budget.allows("d1", CHUNK_D1 + 1) || !budget.allows("subrequests", CHUNK_BATCHES + 2)) {
          handingOver = true;
          break; // closes the R2 body
        }
      }
    }
    if (!handingOver) {
      if (batch.rows.length) cut();
      if (chunk.length) await flushChunk();
    }
  } catch (err) {
    if (err instanceof Stopped) return "stopped";
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("CSV_")) {
      const message = `The CSV could not be read after row ${reading.recordNo}: ${(err as Error).message}`;
      await failTask(db, task.id, msg.generation, "malformed_csv", message, now());
      return "finished";
    }
    throw err;
  }
  if (handingOver) return handOver(env, db, task, owner, msg, now, budget);
  await finishSplit(db, task, owner, { ...reading, batchNo: batch.batchNo }, now());
  return "finished";
}

/** Releases the lease and queues the next slice. If the send fails, this message's retry goes on. */
async function handOver(env: Env, db: Db, task: ImportTaskRow, owner: string, msg: ImportSplitMessage, now: () => number, budget: InvocationBudget): Promise<SplitOutcome> {
  budget.spend("d1");
  if (!(await releaseSplit(db, task, owner, now()))) return "stopped";
  budget.spend("subrequests");
  await env.IMPORT_QUEUE.send({ type: "import.split", task_id: task.id, generation: msg.generation } satisfies ImportSplitMessage, { contentType: "json" });
  console.log(JSON.stringify({ event: "import.split.handover", task: task.id, spent: budget.snapshot() }));
  return "handed_over";
}
