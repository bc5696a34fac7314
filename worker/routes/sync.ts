// Sync API: start runs (joining running ones), watch progress, read history.
import { z } from "zod";
import { SYNC_KINDS } from "../../shared/db/schema";
import { syncRequestSchema } from "../../shared/schemas/sync";
import { resolveLocation } from "../auth/middleware";
import { getLocation } from "../db/location-queries";
import { latestRunOfKind, recentRuns } from "../db/sync-queries";
import { AppError } from "../http/errors";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { GHL_PAGE } from "../providers/ghl";
import { rateLimitConfigFrom } from "../ratelimit/client";
import { syncDeps } from "../sync/deps";
import { startSync } from "../sync/trigger";
import { toRunView } from "../sync/views";

const idParam = z.object({ id: z.string().min(1).max(128) });
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const syncRoutes = createRouter()
  .post("/locations/:id/sync", validate("param", idParam), validate("json", syncRequestSchema), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("param").id);
    const location = await getLocation(c.var.db, locationId);
    if (!location) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);
    const { kinds = SYNC_KINDS, mode } = c.req.valid("json");
    const deps = syncDeps(c);
    const runs = [];
    for (const kind of kinds) {
      const { run, created } = await startSync(deps, locationId, kind, "api", mode);
      runs.push({ kind, run_id: run.id, mode: run.mode, status: run.status, joined: !created });
    }
    return c.json({ success: true as const, location_id: locationId, runs }, 202);
  })
  .get("/locations/:id/sync-status", validate("param", idParam), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("param").id);
    const db = c.var.db;
    const location = await getLocation(db, locationId);
    if (!location) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);
    const [contacts, conversations, opportunities] = await db.batch([
      latestRunOfKind(db, locationId, "contacts"),
      latestRunOfKind(db, locationId, "conversations"),
      latestRunOfKind(db, locationId, "opportunities"),
    ]);
    const { rps } = rateLimitConfigFrom(c.env, {});
    const now = Date.now();
    const runs = [...contacts, ...conversations, ...opportunities].map((r) => toRunView(r, { now, pageSize: GHL_PAGE[r.kind], rps }));
    return c.json(
      {
        success: true as const,
        location_id: locationId,
        syncing: runs.some((r) => r.status === "queued" || r.status === "running"),
        last_synced_at: location.lastSyncedAt === null ? null : new Date(location.lastSyncedAt).toISOString(),
        runs,
      },
      200,
    );
  })
  .get("/locations/:id/sync-runs", validate("param", idParam), validate("query", historyQuery), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("param").id);
    const rows = await recentRuns(c.var.db, locationId, c.req.valid("query").limit);
    const { rps } = rateLimitConfigFrom(c.env, {});
    const now = Date.now();
    return c.json({ success: true as const, location_id: locationId, runs: rows.map((r) => toRunView(r, { now, pageSize: GHL_PAGE[r.kind], rps })) }, 200);
  });
