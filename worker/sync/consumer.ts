// SYNC_QUEUE consumer: one message, one page. Idempotent: a redelivered page changes nothing, and
// a continuation lost between checkpoint and send is sent again on redelivery.
import { syncPageMessageSchema, type SyncPageMessage } from "../../shared/schemas/messages";
import { UpstreamError } from "../providers/upstream";
import { type SyncDeps, enqueuePage, runPage } from "./driver";
import { failRun, getRun } from "./runs";

const MAX_ATTEMPTS = 5;

/** Exponential backoff with jitter, honouring an upstream Retry-After. */
export function retryDelaySeconds(attempts: number, retryAfterMs: number | null): number {
  const base = Math.min(60, 2 ** Math.max(0, attempts - 1));
  const jittered = base * (0.5 + Math.random() / 2);
  return Math.ceil(Math.max(jittered, (retryAfterMs ?? 0) / 1000));
}

async function handle(deps: SyncDeps, msg: SyncPageMessage): Promise<void> {
  const outcome = await runPage(deps, msg.run_id, msg.page);
  if (outcome.applied) {
    if (!outcome.done) await enqueuePage(deps, { ...msg, page: msg.page + 1 });
    return;
  }
  if (outcome.reason === "already_applied") {
    const run = await getRun(deps.db, msg.run_id);
    const lostContinuation =
      run && run.status === "running" && run.pagesDone === msg.page + 1 && !run.continuationSent;
    if (lostContinuation) await enqueuePage(deps, { ...msg, page: run.pagesDone });
  }
}

export async function consumeSyncBatch(deps: SyncDeps, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    const parsed = syncPageMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // A body we cannot read will never become readable: park it on the dead-letter queue.
      console.error(JSON.stringify({ event: "sync.bad_message", id: message.id, issues: parsed.error.issues }));
      await deps.env.SYNC_DLQ.send(message.body, { contentType: "json" });
      message.ack();
      continue;
    }
    try {
      await handle(deps, parsed.data);
      message.ack();
    } catch (err) {
      const upstream = err instanceof UpstreamError ? err : null;
      const finalAttempt = message.attempts >= MAX_ATTEMPTS;
      if (upstream?.retryable !== false && !finalAttempt) {
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, upstream?.retryAfterMs ?? null) });
        continue;
      }
      const code = upstream ? `upstream_${upstream.kind}` : "internal_error";
      await failRun(deps.db, parsed.data.run_id, code, err instanceof Error ? err.message : String(err), deps.now());
      message.ack();
    }
  }
}
