// Sync API: start runs (joining running ones), watch progress, read history.
import { z } from "zod";
import { hasScope } from "../../shared/schemas/scopes";
import { type SyncStatusResponse, syncRequestSchema, syncRunsSchema, syncStartedSchema, syncStatusSchema } from "../../shared/schemas/sync";
import { chargeUpstreamCall } from "../abuse/spend";
import { resolveLocation } from "../auth/locations";
import { getLocation } from "../db/location-queries";
import { latestRunOfKind, recentRuns } from "../db/sync-queries";
import { access } from "../http/access";
import { AppError } from "../http/errors";
import { docs } from "../http/openapi";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { PROVIDER_KINDS, pageSizeOf } from "../providers/sync-source";
import { rateLimitConfigFrom } from "../ratelimit/config";
import { syncDeps } from "../sync/deps";
import { parkedNow } from "../db/location-sync";
import { locationRps } from "../sync/driver";
import { scopeForSyncRequest, startRequestedSync, withLocationDefaults } from "../sync/request";
import { toParkedView, toRunView } from "../sync/views";

const idParam = z.object({ id: z.string().min(1).max(128) });
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const syncRoutes = createRouter()
  .post("/locations/:id/sync", access.token("sync"), docs({ summary: "Start syncs (or join the running ones)", tag: "Sync", ok: { 202: syncStartedSchema }, errors: ["location_not_found", "rate_limited", "unsupported_kind", "unsupported_mode", "filter_required"] }), validate("param", idParam), validate("json", syncRequestSchema), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("param").id);
    const location = await getLocation(c.var.db, locationId);
    if (!location) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);
    const request = withLocationDefaults(location, c.req.valid("json"));
    const needed = scopeForSyncRequest(location, request);
    if (!hasScope(c.var.auth.scope, needed)) {
      throw new AppError("insufficient_scope", `This request changes what the location caches (a filter of its own, or another mode): it needs the '${needed}' scope.`);
    }
    await chargeUpstreamCall(c.env, c.var.config, c.var.auth, locationId);
    const runs = await startRequestedSync(syncDeps(c), location, request);
    return c.json({ success: true as const, location_id: locationId, runs }, 202);
  })
  .get("/locations/:id/sync-status", access.token("read"), docs({ summary: "The latest run of each kind, the pace, and whether syncing is on hold", tag: "Sync", ok: { 200: syncStatusSchema }, errors: ["location_not_found"] }), validate("param", idParam), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("param").id);
    const db = c.var.db;
    const location = await getLocation(db, locationId);
    if (!location) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);
    const [first, ...rest] = PROVIDER_KINDS[location.provider].map((kind) => latestRunOfKind(db, locationId, kind));
    const latest = first ? await db.batch([first, ...rest]) : [];
    const rps = locationRps(c.env, location);
    const now = Date.now();
    // An invalid override fails the runs at once; their ETA (if any) uses the deployment's pace.
    const etaRps = rps ?? rateLimitConfigFrom(c.env).rps;
    const runs = latest.flat().map((r) => toRunView(r, { now, pageSize: pageSizeOf(location.provider, r.kind), rps: etaRps }));
    const body: SyncStatusResponse = {
      success: true,
      location_id: locationId,
      syncing: runs.some((r) => r.status === "queued" || r.status === "running"),
      last_synced_at: location.lastSyncedAt === null ? null : new Date(location.lastSyncedAt).toISOString(),
      rate_limit_rps: rps,
      parked: toParkedView(parkedNow(location, now)),
      runs,
    };
    return c.json(body, 200);
  })
  .get("/locations/:id/sync-runs", access.token("read"), docs({ summary: "Recent runs, newest first", tag: "Sync", ok: { 200: syncRunsSchema }, errors: ["location_not_found"] }), validate("param", idParam), validate("query", historyQuery), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("param").id);
    const location = await getLocation(c.var.db, locationId);
    if (!location) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);
    const rows = await recentRuns(c.var.db, locationId, c.req.valid("query").limit);
    const rps = locationRps(c.env, location) ?? rateLimitConfigFrom(c.env).rps;
    const now = Date.now();
    const runs = rows.map((r) => toRunView(r, { now, pageSize: pageSizeOf(location.provider, r.kind), rps }));
    return c.json({ success: true as const, location_id: locationId, runs }, 200);
  });
