// SYNC_QUEUE consumer. A `sync.run` message drives its run for one time slice and, if the run is
// not finished, hands over to a continuation message. The message id is the lease owner, so a
// redelivered message resumes its own run at once while a duplicate finds the lease held and
// stops. A `sync.related` message fetches tasks and notes for a few contacts.
import { syncMessageSchema, type SyncMessage } from "../../shared/schemas/messages";
import { UpstreamError } from "../providers/upstream";
import { driveRun } from "./drive";
import { type SyncDeps, enqueueRun } from "./driver";
import { refreshContactRelated } from "./related";
import { failRun } from "./runs";

const MAX_ATTEMPTS = 5;

/** Exponential backoff with jitter, honouring an upstream Retry-After. */
export function retryDelaySeconds(attempts: number, retryAfterMs: number | null): number {
  const base = Math.min(60, 2 ** Math.max(0, attempts - 1));
  const jittered = base * (0.5 + Math.random() / 2);
  return Math.ceil(Math.max(jittered, (retryAfterMs ?? 0) / 1000));
}

async function handle(deps: SyncDeps, msg: SyncMessage, messageId: string): Promise<void> {
  if (msg.type === "sync.related") {
    await refreshContactRelated(deps, msg.location_id, msg.contact_ids);
    return;
  }
  const sliceEnd = Date.now() + deps.config.SYNC_SLICE_SECONDS * 1000;
  const outcome = await driveRun(deps, msg.run_id, `queue:${messageId}`, sliceEnd);
  if (outcome === "yielded") await enqueueRun(deps, msg);
}

/**
 * Messages of one batch run concurrently: each drives a different run (kinds of a location side by
 * side, or other locations), and the shared bucket, not this loop, decides the pace.
 */
export async function consumeSyncBatch(deps: SyncDeps, batch: MessageBatch<unknown>): Promise<void> {
  await Promise.all(batch.messages.map((message) => consumeOne(deps, message)));
}

async function consumeOne(deps: SyncDeps, message: Message<unknown>): Promise<void> {
  const parsed = syncMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    // A body we cannot read will never become readable: park it on the dead-letter queue.
    console.error(JSON.stringify({ event: "sync.bad_message", id: message.id, issues: parsed.error.issues }));
    await deps.env.SYNC_DLQ.send(message.body, { contentType: "json" });
    message.ack();
    return;
  }
  try {
    await handle(deps, parsed.data, message.id);
    message.ack();
  } catch (err) {
    const upstream = err instanceof UpstreamError ? err : null;
    if (upstream?.retryable !== false && message.attempts < MAX_ATTEMPTS) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, upstream?.retryAfterMs ?? null) });
      return;
    }
    if (parsed.data.type === "sync.run") {
      const code = upstream ? `upstream_${upstream.kind}` : "internal_error";
      await failRun(deps.db, parsed.data.run_id, code, err instanceof Error ? err.message : String(err), deps.now());
    } else {
      console.error(JSON.stringify({ event: "sync.related_failed", id: message.id, error: String(err) }));
    }
    message.ack();
  }
}
