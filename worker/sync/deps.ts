import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { SyncDeps } from "./driver";

export function syncDeps(c: Context<AppEnv>): SyncDeps {
  return { db: c.var.db, env: c.env, config: c.var.config, now: Date.now };
}
