// IMPORT_QUEUE and its dead-letter queue. Every handler is idempotent: a split skips what the
// ledger and its checkpoint hold, a batch counts once (see apply.ts), so redelivery is harmless.
import { importMessageSchema } from "../../shared/schemas/messages-imports";
import { getDb } from "../db/client";
import { applyBatch } from "./apply";
import { runSplit } from "./split";
import { failTask, loadTask } from "./tasks";

const MAX_ATTEMPTS = 5;

function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1));
}

export async function consumeImportBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const db = getDb(env.DB);
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
      if (body.type === "import.split") await runSplit(env, db, body, Date.now);
      else await applyBatch(env, db, body, Date.now);
      message.ack();
    } catch (err) {
      console.error(JSON.stringify({ event: "import.retry", id: message.id, type: body.type, task: body.task_id, attempts: message.attempts, error: String(err) }));
      // After the last retry the queue moves the message to the dead-letter queue (wrangler.toml).
      message.retry({ delaySeconds: message.attempts >= MAX_ATTEMPTS ? 0 : retryDelaySeconds(message.attempts) });
    }
  }
}

/**
 * Messages that exhausted their retries. A batch is counted as errors (reason dead_lettered), so
 * its rows are still accounted for and the task can finish; a split marks its task failed.
 */
export async function consumeImportDeadLetters(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const db = getDb(env.DB);
  for (const message of batch.messages) {
    console.error(JSON.stringify({ event: "import.dead_letter", id: message.id }));
    const parsed = importMessageSchema.safeParse(message.body);
    try {
      const body = parsed.success ? parsed.data : null;
      if (body?.type === "import.batch") {
        await applyBatch(env, db, body, Date.now, true);
      } else if (body?.type === "import.split") {
        const split = body;
        const task = await loadTask(db, split.task_id);
        if (task) await failTask(db, task.id, split.generation, "dead_lettered", "Reading the file kept failing; resume to try again.", Date.now());
      }
    } catch (err) {
      console.error(JSON.stringify({ event: "import.dead_letter_failed", id: message.id, error: String(err) }));
    }
    message.ack();
  }
}
