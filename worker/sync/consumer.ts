// SYNC_QUEUE consumer. A `sync.run` message drives its run for one time slice and, if the run is
// not finished, hands over to a continuation message. The message id is the lease owner, so a
// redelivered message resumes its own run at once while a duplicate finds the lease held and
// stops. A `sync.related` message fetches tasks and notes for a few contacts.
//
// One invocation shares one budget (deps.budget) across the batch's concurrent runs: a run stops
// requesting pages once the next one might not fit, writes what it has, and hands over like a
// slice end. A parked location's messages wait for the park to end (quota) or fail (credentials).
import { syncMessageSchema, type SyncMessage, type SyncRunMessage } from "../../shared/schemas/messages";
import { UpstreamError } from "../providers/upstream";
import { driveRun } from "./drive";
import { type SyncDeps, enqueueRun } from "./driver";
import { MAX_QUEUE_DELAY_S, parkForQuota, parkOf, queueDelaySeconds } from "./park";
import { refreshContactRelated } from "./related";
import { failRun } from "./runs";

const MAX_ATTEMPTS = 5;

/** Exponential backoff with jitter, honouring an upstream Retry-After, within the queue's 12 h. */
export function retryDelaySeconds(attempts: number, retryAfterMs: number | null): number {
  const base = Math.min(60, 2 ** Math.max(0, attempts - 1));
  const jittered = base * (0.5 + Math.random() / 2);
  return Math.min(MAX_QUEUE_DELAY_S, Math.ceil(Math.max(jittered, (retryAfterMs ?? 0) / 1000)));
}

const backoffBaseMs = (deps: SyncDeps) => deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000;

async function driveMessage(deps: SyncDeps, msg: SyncRunMessage, messageId: string): Promise<void> {
  const parked = await parkOf(deps, msg.location_id);
  if (parked?.reason === "auth") {
    await failRun(deps.db, msg.run_id, "upstream_auth", parked.detail ?? "The upstream refused the credentials.", deps.now(), backoffBaseMs(deps));
    return;
  }
  if (parked?.until != null) {
    await enqueueRun(deps, { run_id: msg.run_id, location_id: msg.location_id, kind: msg.kind }, queueDelaySeconds(parked.until, deps.now()));
    return;
  }
  // Nothing left in this invocation's budget: hand over before starting.
  if (deps.budget?.spent()) {
    await enqueueRun(deps, msg);
    return;
  }
  const sliceEnd = Date.now() + deps.config.SYNC_SLICE_SECONDS * 1000;
  const outcome = await driveRun(deps, msg.run_id, `queue:${messageId}`, sliceEnd);
  if (outcome === "yielded") await enqueueRun(deps, msg);
}

async function handle(deps: SyncDeps, msg: SyncMessage, messageId: string): Promise<void> {
  if (msg.type === "sync.run") return driveMessage(deps, msg, messageId);
  const parked = await parkOf(deps, msg.location_id);
  if (parked?.reason === "auth") return; // nothing to fetch them with; the next change queues them again
  if (parked?.until != null) {
    await deps.env.SYNC_QUEUE.send(msg, { contentType: "json", delaySeconds: queueDelaySeconds(parked.until, deps.now()) });
    return;
  }
  try {
    await refreshContactRelated(deps, msg.location_id, msg.contact_ids);
  } catch (err) {
    if (!(err instanceof UpstreamError && err.kind === "quota")) throw err;
    const until = await parkForQuota(deps, msg.location_id, err, null);
    await deps.env.SYNC_QUEUE.send(msg, { contentType: "json", delaySeconds: queueDelaySeconds(until, deps.now()) });
  }
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
  const msg = parsed.data;
  try {
    await handle(deps, msg, message.id);
    message.ack();
  } catch (err) {
    const upstream = err instanceof UpstreamError ? err : null;
    if (upstream?.kind === "quota" && msg.type === "sync.run") {
      await parkForQuota(deps, msg.location_id, upstream, msg);
      message.ack();
      return;
    }
    if (upstream?.retryable !== false && message.attempts < MAX_ATTEMPTS) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, upstream?.retryAfterMs ?? null) });
      return;
    }
    if (msg.type === "sync.run") {
      const code = upstream ? `upstream_${upstream.kind}` : "internal_error";
      await failRun(deps.db, msg.run_id, code, err instanceof Error ? err.message : String(err), deps.now(), backoffBaseMs(deps));
    } else {
      console.error(JSON.stringify({ event: "sync.related_failed", id: message.id, error: String(err) }));
    }
    message.ack();
  }
}
