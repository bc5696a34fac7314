// Worker entry: the API (fetch), the queue consumers, the cron refresh, and the Durable Objects.
import app from "./app";
import { readConfig } from "./config";
import { getDb } from "./db/client";
import { consumeImportBatch, consumeImportDeadLetters } from "./imports/consumer";
import type { InvocationBudget } from "./platform/budget";
import { runImportWatchdog } from "./imports/watchdog";
import { runRetention } from "./maintenance/retention";
import { consumeSyncBatch } from "./sync/consumer";
import { refreshStale } from "./sync/cron";
import { consumeDeadLetters } from "./sync/dead-letters";
import { type SyncDeps, withInvocationBudget } from "./sync/driver";
import { consumeWebhookBatch } from "./webhooks/consumer";

export { AbuseLimiter } from "./abuse/durable-object";
export { RateLimiter } from "./ratelimit/durable-object";
export { TokenBroker } from "./tokens/broker";

function deps(env: Env): SyncDeps {
  return { db: getDb(env.DB), env, config: readConfig(env), now: Date.now };
}

/** One budget per invocation; the env's bindings count into it (worker/platform/metered.ts). */
function budgeted(env: Env): SyncDeps & { budget: InvocationBudget } {
  return withInvocationBudget({ env, config: readConfig(env), now: Date.now });
}

/** One line per invocation: what it used against its budget (read by `npm run bench:limits`). */
function logBudget(event: string, d: { budget: InvocationBudget }, startedAt: number, extra: Record<string, unknown>): void {
  const limits = d.budget.limits;
  console.log(
    JSON.stringify({ event, ...extra, started_at: startedAt, ended_at: Date.now(), ...d.budget.usage(), limits, spent: d.budget.spent() }),
  );
}

export default {
  fetch: app.fetch,
  async scheduled(event, env, _ctx) {
    // The platform passes epoch ms; a test may hand a Date.
    const at = new Date(event.scheduledTime).getTime();
    const d = budgeted(env);
    const startedAt = Date.now();
    const result = await refreshStale(d);
    console.log(JSON.stringify({ event: "sync.cron", ...result }));
    logBudget("cron.invocation", d, startedAt, {});
    // Imports' watchdog and retention count their own D1 use (RETENTION_STATEMENTS, budgets of their own).
    await runImportWatchdog(env, at);
    await runRetention(env, at);
  },
  async queue(batch, env) {
    switch (batch.queue) {
      case "crm-edge-import":
        return consumeImportBatch(env, batch);
      case "crm-edge-import-dlq":
        return consumeImportDeadLetters(env, batch);
      case "crm-edge-sync-dlq":
        return consumeDeadLetters(deps(env), batch);
      case "crm-edge-webhooks":
        return consumeWebhookBatch(budgeted(env), batch);
      default: {
        const d = budgeted(env);
        const startedAt = Date.now();
        try {
          await consumeSyncBatch(d, batch);
        } finally {
          logBudget("sync.invocation", d, startedAt, { messages: batch.messages.length });
        }
      }
    }
  },
} satisfies ExportedHandler<Env>;
