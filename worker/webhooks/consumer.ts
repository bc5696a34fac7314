// WEBHOOK_QUEUE consumer: one message is one location's hints from one delivery. Applying is
// idempotent (guarded upserts and tombstones), so a redelivery is harmless. Upstream faults while
// re-fetching retry with backoff; a refusal (credentials, quota) is dropped and logged: webhooks
// are hints, and the periodic sync and its reconcile remain the safety net.
import { webhookHintsMessageSchema } from "../../shared/schemas/webhooks";
import { UpstreamError } from "../providers/upstream";
import { retryDelaySeconds } from "../sync/consumer";
import type { SyncDeps } from "../sync/driver";
import { applyHints } from "./apply";

const MAX_ATTEMPTS = 5;

async function consumeOne(deps: SyncDeps, message: Message<unknown>): Promise<void> {
  const parsed = webhookHintsMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    console.error(JSON.stringify({ event: "webhook.bad_message", id: message.id, issues: parsed.error.issues.slice(0, 5) }));
    message.ack();
    return;
  }
  const msg = parsed.data;
  try {
    const result = await applyHints(deps, msg);
    console.log(JSON.stringify({ event: "webhook.applied", location_id: msg.location_id, provider: msg.provider, ...result }));
    message.ack();
  } catch (err) {
    const upstream = err instanceof UpstreamError ? err : null;
    if (upstream?.retryable !== false && upstream?.kind !== "quota" && message.attempts < MAX_ATTEMPTS) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, upstream?.retryAfterMs ?? null) });
      return;
    }
    console.error(JSON.stringify({ event: "webhook.dropped", location_id: msg.location_id, attempts: message.attempts, error: String(err), stack: (err as Error)?.stack?.split("\n").slice(0, 6).join(" | ") }));
    message.ack();
  }
}

export async function consumeWebhookBatch(deps: SyncDeps, batch: MessageBatch<unknown>): Promise<void> {
  await Promise.all(batch.messages.map((message) => consumeOne(deps, message)));
}
