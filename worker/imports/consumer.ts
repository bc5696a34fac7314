// IMPORT_QUEUE and its dead-letter queue. Every handler is idempotent: a split skips what the
// ledger and its checkpoint hold, a batch counts once (see apply.ts), so redelivery is harmless.
// Each invocation has a budget (budget.ts): work that would pass it is handed over to a fresh
// copy of its message instead of dying on a platform limit or being misread as a DNS failure.
import { type ImportBatchMessage, type ImportSplitMessage, importMessageSchema } from "../../shared/schemas/messages-imports";
import { getDb } from "../db/client";
import type { Db } from "../env";
import { applyBatch } from "./apply";
import { BudgetExhausted, InvocationBudget } from "./budget";
import { importLimits } from "./limits";
import { runSplit } from "./split";
import { failTask, loadTask } from "./tasks";

const MAX_ATTEMPTS = 5;
/**
 * Deliveries of a dead letter before the consumer stops retrying it (the DLQ's own max_retries in
 * wrangler.toml is higher, so the queue never drops one we have not settled).
 */
export const DEAD_LETTER_ATTEMPTS = 4;

function retryDelaySeconds(base: number, attempts: number): number {
  return Math.min(60, base * 2 ** Math.max(0, attempts - 1));
}

export async function consumeImportBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const db = getDb(env.DB);
  const limits = importLimits(env);
  const budget = new InvocationBudget(limits.budget);
  for (const message of batch.messages) {
    const parsed = importMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // A body we cannot read never becomes readable: park it where it is logged.
      console.error(JSON.stringify({ event: "import.bad_message", id: message.id, issues: parsed.error.issues }));
      await env.IMPORT_DLQ.send(message.body, { contentType: "json" });
      message.ack();
      continue;
    }
    const body = parsed.data;
    try {
      // The split hands over by itself when its budget runs low (split.ts).
      if (body.type === "import.split") await runSplit(env, db, body, Date.now, { owner: message.id, budget });
      else await applyBatch(env, db, body, Date.now, "validate", budget);
      message.ack();
    } catch (err) {
      if (err instanceof BudgetExhausted) {
        // Not a failure: a fresh copy (attempts start again) goes on from what is cached.
        await handOver(env.IMPORT_QUEUE, body);
        console.log(JSON.stringify({ event: "import.handover", id: message.id, type: body.type, task: body.task_id, spent: budget.snapshot() }));
        message.ack();
        continue;
      }
      console.error(JSON.stringify({ event: "import.retry", id: message.id, type: body.type, task: body.task_id, attempts: message.attempts, error: String(err) }));
      // After the last retry the queue moves the message to the dead-letter queue (wrangler.toml).
      message.retry({ delaySeconds: message.attempts >= MAX_ATTEMPTS ? 0 : retryDelaySeconds(limits.retryBaseSeconds, message.attempts) });
    }
  }
}

async function handOver(queue: Queue, body: ImportBatchMessage | ImportSplitMessage): Promise<void> {
  await queue.send(body, { contentType: "json" });
}

/**
 * Messages that exhausted their retries. A batch is counted as errors (reason dead_lettered) so its
 * rows stay accounted for and the task can finish: first with its rows kept for rejects.csv, and
 * if that keeps failing, with row numbers only. A split marks its task failed (resume to retry).
 * Whatever still fails here is logged and left to the watchdog (watchdog.ts), never lost silently.
 */
export async function consumeImportDeadLetters(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const db = getDb(env.DB);
  const limits = importLimits(env);
  for (const message of batch.messages) {
    const parsed = importMessageSchema.safeParse(message.body);
    const body = parsed.success ? parsed.data : null;
    console.error(JSON.stringify({ event: "import.dead_letter", id: message.id, type: body?.type ?? null, task: body?.task_id ?? null, attempts: message.attempts }));
    if (!body) {
      message.ack();
      continue;
    }
    const last = message.attempts >= DEAD_LETTER_ATTEMPTS;
    try {
      if (body.type === "import.batch") await settleBatch(env, db, body, last);
      else await failSplit(db, body, message.id);
      message.ack();
    } catch (err) {
      if (!last) {
        console.error(JSON.stringify({ event: "import.dead_letter_retry", id: message.id, attempts: message.attempts, error: String(err) }));
        message.retry({ delaySeconds: retryDelaySeconds(limits.retryBaseSeconds, message.attempts) });
        continue;
      }
      console.error(JSON.stringify({ event: "import.dead_letter_unsettled", id: message.id, task: body.task_id, error: String(err) }));
      message.ack();
    }
  }
}

async function settleBatch(env: Env, db: Db, body: ImportBatchMessage, last: boolean): Promise<void> {
  try {
    await applyBatch(env, db, body, Date.now, "dead_letter");
  } catch (err) {
    if (!last) throw err;
    console.error(JSON.stringify({ event: "import.dead_letter_bare", task: body.task_id, batch: body.batch_no, error: String(err) }));
    await applyBatch(env, db, body, Date.now, "dead_letter_bare");
  }
}

/** A split that kept failing: its task fails, unless another message is driving the split now. */
async function failSplit(db: Db, body: ImportSplitMessage, messageId: string): Promise<void> {
  const task = await loadTask(db, body.task_id);
  if (!task || task.splitGeneration !== body.generation || task.batchCount !== null) return;
  const heldByOther = task.splitLeaseOwner !== null && task.splitLeaseOwner !== messageId && (task.splitLeaseUntil ?? 0) > Date.now();
  if (heldByOther) return;
  await failTask(db, task.id, body.generation, "dead_lettered", "Reading the file kept failing; resume to try again.", Date.now());
}
