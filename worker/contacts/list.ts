// The three list endpoints share this: state of the location, its sync status, one page, an ETag.
// The body is assembled from each row's pre-serialised JSON: no per-row parse or stringify.
// Hot reads skip D1: the location's state is remembered for LOCATION_STATE_CACHE_MS, and built
// page bodies are remembered under a key that includes the location's data version.
import type { ContactListQuery, SyncState } from "../../shared/schemas/contacts";
import {
  contactCountQuery,
  contactPageQuery,
  latestContactsRunQuery,
  locationStateQuery,
  SEARCH_COUNT_CAP,
  type ListSpec,
} from "../db/contact-queries";
import type { Db } from "../env";
import { AppError } from "../http/errors";
import type { SyncDeps } from "../sync/driver";
import { startContactsSync } from "../sync/trigger";
import { decodeCursor, encodeCursor, type CursorKey } from "./cursor";
import { BoundedCache } from "./hot-cache";
import { syncTtlMs } from "../sync/ttl";

export type ListMode = "fast" | "cache" | { fresh: SyncState; message?: string };

export type ListResult = { status: 304; etag: string } | { status: 200; etag: string; body: string };

type LocationState = {
  lastSyncedAt: number | null;
  webhooksAt: number | null;
  dataVersion: number;
  contactCount: number;
  run: { status: string; errorMessage: string | null; finishedAt: number | null; heartbeatAt: number | null } | undefined;
};
type PageRows = { rows: { id: number; key: string | number; payload: string }[]; total: number | null };

const MESSAGES: Record<SyncState, string> = {
  fresh: "Data returned from cache.",
  background: "Data returned from cache. Background sync in progress.",
  stale: "Data returned from cache. It is older than the sync interval and no sync is under way.",
  error: "Data returned from cache. The last sync failed",
};

const states = new BoundedCache<LocationState>({ maxEntries: 5_000, maxBytes: 5_000 });
const bodies = new BoundedCache<string>({ maxEntries: 256, maxBytes: 16 * 1024 * 1024 }, (b) => b.length * 2);

/**
 * The ETag's tag of the query: 128 bits of SHA-256. A short checksum here (it was a 32-bit FNV)
 * lets someone craft a query that collides with a teammate's, and the page memo below, keyed by
 * the ETag, would then answer one query with the other's page.
 */
async function queryTag(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let s = "";
  for (const b of digest.subarray(0, 16)) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => t.trim() === etag || t.trim() === "*");
}

async function syncState(
  deps: SyncDeps,
  locationId: string,
  mode: ListMode,
  loc: LocationState,
): Promise<{ state: SyncState; detail?: string }> {
  if (typeof mode === "object") return { state: mode.fresh, detail: mode.message };
  const run = loc.run;
  const now = deps.now();
  // A run whose driver died (its queue message lost, say) stops its heartbeat: it is not "under
  // way", and starting a sync below gives it up (claimRun) rather than waiting on it forever.
  const alive = run?.heartbeatAt == null || now - run.heartbeatAt < deps.config.SYNC_STALE_SECONDS * 1000;
  if ((run?.status === "queued" || run?.status === "running") && alive) return { state: "background" };
  const stale = loc.lastSyncedAt === null || now - loc.lastSyncedAt > syncTtlMs(deps.config, loc.webhooksAt, now);
  if (!stale) return { state: "fresh" };
  const backoff = deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000;
  if (run?.status === "failed" && run.finishedAt !== null && now - run.finishedAt < backoff) {
    return { state: "error", detail: run.errorMessage ?? undefined };
  }
  if (mode === "cache") return { state: "stale" };
  await startContactsSync(deps, locationId, "fast");
  // Remember the run we just joined or started, so the next requests do not try again.
  loc.run = { status: "queued", errorMessage: null, finishedAt: null, heartbeatAt: now };
  return { state: "background" };
}

/** The location's state and newest run: two small indexed reads in one D1 round trip. */
async function readState(db: Db, locationId: string): Promise<LocationState | undefined> {
  const [locRows, runRows] = await db.batch([locationStateQuery(db, locationId), latestContactsRunQuery(db, locationId)]);
  const row = locRows[0];
  return row && { lastSyncedAt: row.lastSyncedAt, webhooksAt: row.webhooksAt, dataVersion: row.dataVersion, contactCount: row.contactCount, run: runRows[0] };
}

/**
 * A search counts first (capped, cheap), then reads the page the way its count says is cheaper:
 * driven by the matches when they are few, walking a sort index when they are many.
 */
async function readPage(db: Db, spec: ListSpec): Promise<PageRows> {
  if (!spec.q) return { rows: await contactPageQuery(db, spec), total: null };
  const counted = await contactCountQuery(db, spec);
  const total = counted[0]?.n ?? 0;
  return { rows: await contactPageQuery(db, spec, total <= SEARCH_COUNT_CAP), total };
}

function buildBody(
  spec: ListSpec,
  key: CursorKey,
  loc: LocationState,
  { rows, total }: PageRows,
  state: SyncState,
  message: string,
): string {
  const more = rows.length > spec.limit;
  // A search's count stops past the cap; the location's own count is kept exact by increments.
  const atLeast = total !== null && total > SEARCH_COUNT_CAP;
  const page = more ? rows.slice(0, spec.limit) : rows;
  const last = page.at(-1);
  const nextCursor = more && last ? encodeCursor(key, { value: last.key, id: last.id }) : null;
  return (
    `{"success":true,"location_id":${JSON.stringify(spec.locationId)},"contacts":[${page.map((r) => r.payload).join(",")}],` +
    `"total":${atLeast ? SEARCH_COUNT_CAP : (total ?? loc.contactCount)},"total_kind":"${atLeast ? "at_least" : "exact"}","next_cursor":${JSON.stringify(nextCursor)},"sync_status":"${state}",` +
    `"last_synced_at":${loc.lastSyncedAt === null ? "null" : `"${new Date(loc.lastSyncedAt).toISOString()}"`},` +
    `"message":${JSON.stringify(message)}}`
  );
}

export async function listContacts(
  deps: SyncDeps,
  locationId: string,
  query: ContactListQuery,
  mode: ListMode,
  ifNoneMatch: string | undefined,
): Promise<ListResult> {
  const key: CursorKey = {
    sort: query.sort,
    order: query.order ?? (query.sort === "name" ? "asc" : "desc"),
    q: query.q ?? "",
  };
  const spec: ListSpec = { locationId, ...key, limit: query.limit, after: query.cursor ? decodeCursor(key, query.cursor) : null };
  const { db } = deps;
  const now = deps.now();
  const maxAge = typeof mode === "object" ? 0 : deps.config.LOCATION_STATE_CACHE_MS;

  // State first (small and cheap): it decides 304s and names the body to reuse. Page rows are the
  // costly read, so they are read only when no body built from the same data version is at hand.
  let loc = maxAge > 0 ? states.get(locationId, now, maxAge) : undefined;
  if (!loc) {
    loc = await readState(db, locationId);
    if (!loc) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);
    states.set(locationId, loc, now);
  }

  const { state, detail } = await syncState(deps, locationId, mode, loc);
  const queryKey = JSON.stringify([key.sort, key.order, key.q, spec.limit, query.cursor ?? ""]);
  const etag = `W/"${loc.dataVersion}-${loc.lastSyncedAt ?? 0}-${state}-${await queryTag(queryKey)}"`;
  if (etagMatches(ifNoneMatch, etag)) return { status: 304, etag };

  const message = state === "error" ? `${MESSAGES.error}: ${detail ?? "unknown error"}` : (detail ?? MESSAGES[state]);
  // The memo is keyed by the full query and message, not a hash of them: no two ever share a key.
  const bodyKey = JSON.stringify([locationId, loc.dataVersion, loc.lastSyncedAt, state, queryKey, message]);
  let body = bodies.get(bodyKey, now);
  if (body === undefined) {
    body = buildBody(spec, key, loc, await readPage(db, spec), state, message);
    bodies.set(bodyKey, body, now);
  }
  return { status: 200, etag, body };
}
