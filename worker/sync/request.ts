// What `POST /api/locations/:id/sync` asks for, checked against the location's provider, turned
// into runs: one per kind, or one filtered import (AmoCRM, kind companies).
import type { LocationRow, SyncKind } from "../../shared/db/schema";
import { amocrmSettingsSchema } from "../../shared/schemas/amocrm";
import type { Scope } from "../../shared/schemas/scopes";
import type { StartedRun, SyncRequest } from "../../shared/schemas/sync";
import { lastFilteredImportAt } from "../db/sync-queries";
import { AppError } from "../http/errors";
import { PROVIDER_KINDS } from "../providers/sync-source";
import type { SyncDeps } from "./driver";
import { INCREMENTAL_OVERLAP_MS } from "./runs";
import { startSync } from "./trigger";

async function startFiltered(deps: SyncDeps, location: LocationRow, request: SyncRequest, trigger: string): Promise<StartedRun> {
  if (location.provider !== "amocrm") {
    throw new AppError("unsupported_mode", `Mode 'filtered' is an AmoCRM import; location '${location.id}' is ${location.provider}.`);
  }
  const settings = amocrmSettingsSchema.safeParse(location.settings);
  const filter = request.filter ?? (settings.success ? settings.data.company_filter : undefined);
  if (!filter) {
    throw new AppError("filter_required", "A filtered import needs a company filter: pass `filter` or set the location's settings.company_filter.");
  }
  const last = request.incremental ? await lastFilteredImportAt(deps.db, location.id) : null;
  const since = last === null ? null : last - INCREMENTAL_OVERLAP_MS;
  const options = { filter, dry_run: request.dry_run ?? false, incremental: since !== null };
  const { run, created } = await startSync(deps, location.id, "companies", trigger, "filtered", { options, since });
  return { kind: "companies", run_id: run.id, mode: run.mode, status: run.status, joined: !created };
}

/** The company filter an AmoCRM location is configured with: it then caches that slice only. */
function configuredFilter(location: LocationRow) {
  if (location.provider !== "amocrm") return undefined;
  const settings = amocrmSettingsSchema.safeParse(location.settings);
  return settings.success ? settings.data.company_filter : undefined;
}

/**
 * An empty request means "as the location is configured": a filtered location's incremental
 * filtered import (what the cron runs), every kind otherwise.
 */
export function withLocationDefaults(location: LocationRow, request: SyncRequest): SyncRequest {
  const isEmpty = request.mode === undefined && request.kinds === undefined;
  return isEmpty && configuredFilter(location) ? { mode: "filtered", incremental: true } : request;
}

/**
 * The scope a request needs: `sync` to run what the location is configured for; `admin` to change
 * what the cache holds (a filter of one's own, or another mode than the location's).
 */
export function scopeForSyncRequest(location: LocationRow, request: SyncRequest): Scope {
  if (request.filter !== undefined) return "admin";
  const filtered = configuredFilter(location) !== undefined;
  if (filtered !== (request.mode === "filtered")) return "admin";
  return "sync";
}

export async function startRequestedSync(deps: SyncDeps, location: LocationRow, request: SyncRequest, trigger = "api"): Promise<StartedRun[]> {
  if (request.mode === "filtered") return [await startFiltered(deps, location, request, trigger)];
  const supported: readonly SyncKind[] = PROVIDER_KINDS[location.provider];
  const kinds = request.kinds ?? supported;
  const unsupported = kinds.filter((k) => !supported.includes(k));
  if (unsupported.length) {
    throw new AppError("unsupported_kind", `${location.provider} locations sync ${supported.join(", ")}; not ${unsupported.join(", ")}.`);
  }
  const runs: StartedRun[] = [];
  for (const kind of kinds) {
    const { run, created } = await startSync(deps, location.id, kind, trigger, request.mode);
    runs.push({ kind, run_id: run.id, mode: run.mode, status: run.status, joined: !created });
  }
  return runs;
}
