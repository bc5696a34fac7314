// Worker entry: the API (fetch), the queue consumers, the cron refresh, and the Durable Objects.
import app from "./app";
import { readConfig } from "./config";
import { getDb } from "./db/client";
import { consumeImportBatch, consumeImportDeadLetters } from "./imports/consumer";
import { runImportWatchdog } from "./imports/watchdog";
import { runRetention } from "./maintenance/retention";
import { consumeSyncBatch } from "./sync/consumer";
import { refreshStale } from "./sync/cron";
import { consumeDeadLetters } from "./sync/dead-letters";
import type { SyncDeps } from "./sync/driver";

export { RateLimiter } from "./ratelimit/durable-object";

function deps(env: Env): SyncDeps {
  return { db: getDb(env.DB), env, config: readConfig(env), now: Date.now };
}

export default {
  fetch: app.fetch,
  async scheduled(event, env, ctx) {
    ctx.waitUntil(
      refreshStale(deps(env)).then((r) => console.log(JSON.stringify({ event: "sync.cron", ...r }))),
    );
    ctx.waitUntil(runImportWatchdog(env, event.scheduledTime));
    ctx.waitUntil(runRetention(env, event.scheduledTime));
  },
  async queue(batch, env) {
    switch (batch.queue) {
      case "crm-edge-import":
        return consumeImportBatch(env, batch);
      case "crm-edge-import-dlq":
        return consumeImportDeadLetters(env, batch);
      case "crm-edge-sync-dlq":
        return consumeDeadLetters(deps(env), batch);
      default:
        return consumeSyncBatch(deps(env), batch);
    }
  },
} satisfies ExportedHandler<Env>;
