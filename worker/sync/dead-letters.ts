// Messages that exhausted their retries land here: the run they belong to is marked failed with
// the reason, so nothing disappears without a trace and single-flight is released.
import { z } from "zod";
import type { SyncDeps } from "./driver";
import { failRun } from "./runs";

const anyRun = z.looseObject({ run_id: z.string() });

export async function consumeDeadLetters(deps: SyncDeps, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    console.error(JSON.stringify({ event: "sync.dead_letter", id: message.id, body: message.body }));
    const parsed = anyRun.safeParse(message.body);
    if (parsed.success) {
      const reason = "A page kept failing and was moved to the dead-letter queue.";
      await failRun(deps.db, parsed.data.run_id, "dead_lettered", reason, deps.now(), deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000);
    }
    message.ack();
  }
}
