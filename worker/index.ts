// Worker entry: the API (fetch) and the queue consumers.
import app from "./app";
import { readConfig } from "./config";
import { getDb } from "./db/client";
import { consumeSyncBatch } from "./sync/consumer";
import { consumeDeadLetters } from "./sync/dead-letters";
import type { SyncDeps } from "./sync/driver";

function deps(env: Env): SyncDeps {
  return { db: getDb(env.DB), env, config: readConfig(env), now: Date.now };
}

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(deps(env), batch);
    return consumeSyncBatch(deps(env), batch);
  },
} satisfies ExportedHandler<Env>;
