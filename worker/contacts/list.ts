// The three list endpoints share this: state of the location, its sync status, one page, an ETag.
// The body is assembled from each row's pre-serialised JSON: no per-row parse or stringify.
import type { ContactListQuery, SyncState } from "../../shared/schemas/contacts";
import {
  contactCountQuery,
  contactPageQuery,
  latestContactsRunQuery,
  locationStateQuery,
  type ListSpec,
} from "../db/contact-queries";
import type { Db } from "../env";
import { AppError } from "../http/errors";
import type { SyncDeps } from "../sync/driver";
import { startContactsSync } from "../sync/trigger";
import { decodeCursor, encodeCursor, type CursorKey } from "./cursor";

export type ListMode = "fast" | "cache" | { fresh: SyncState; message?: string };

export type ListResult = { status: 304; etag: string } | { status: 200; etag: string; body: string };

const MESSAGES: Record<SyncState, string> = {
  fresh: "Data returned from cache.",
  background: "Data returned from cache. Background sync in progress.",
  stale: "Data returned from cache. It is older than the sync interval and no sync is under way.",
  error: "Data returned from cache. The last sync failed",
};

/** FNV-1a: a short, stable tag of the query for the ETag (not a security boundary). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => t.trim() === etag || t.trim() === "*");
}

type LocationState = { lastSyncedAt: number | null; dataVersion: number; contactCount: number };
type LatestRun = { status: string; errorMessage: string | null; finishedAt: number | null } | undefined;

async function syncState(
  deps: SyncDeps,
  locationId: string,
  mode: ListMode,
  loc: LocationState,
  run: LatestRun,
): Promise<{ state: SyncState; detail?: string }> {
  if (typeof mode === "object") return { state: mode.fresh, detail: mode.message };
  if (run?.status === "queued" || run?.status === "running") return { state: "background" };
  const now = deps.now();
  const stale = loc.lastSyncedAt === null || now - loc.lastSyncedAt > deps.config.SYNC_TTL_SECONDS * 1000;
  if (!stale) return { state: "fresh" };
  const backoff = deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000;
  if (run?.status === "failed" && run.finishedAt !== null && now - run.finishedAt < backoff) {
    return { state: "error", detail: run.errorMessage ?? undefined };
  }
  if (mode === "cache") return { state: "stale" };
  await startContactsSync(deps, locationId, "fast");
  return { state: "background" };
}

async function readState(db: Db, spec: ListSpec, withPage: boolean) {
  const loc = locationStateQuery(db, spec.locationId);
  const run = latestContactsRunQuery(db, spec.locationId);
  if (!withPage) {
    const [locRows, runRows] = await db.batch([loc, run]);
    return { loc: locRows[0], run: runRows[0], page: null };
  }
  if (!spec.q) {
    const [locRows, runRows, rows] = await db.batch([loc, run, contactPageQuery(db, spec)]);
    // Unfiltered totals come from the count kept on the location at write time.
    return { loc: locRows[0], run: runRows[0], page: { rows, total: null } };
  }
  const [locRows, runRows, rows, counted] = await db.batch([loc, run, contactPageQuery(db, spec), contactCountQuery(db, spec)]);
  return { loc: locRows[0], run: runRows[0], page: { rows, total: counted[0]?.n ?? 0 } };
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
  const spec: ListSpec = {
    locationId,
    ...key,
    limit: query.limit,
    after: query.cursor ? decodeCursor(key, query.cursor) : null,
  };
  const { db } = deps;
  // One D1 round trip for the common case; a conditional request first reads only the state.
  const first = ifNoneMatch ? await readState(db, spec, false) : await readState(db, spec, true);
  const loc = first.loc;
  if (!loc) throw new AppError("location_not_found", `Location '${locationId}' is not registered.`);

  const { state, detail } = await syncState(deps, locationId, mode, loc, first.run);
  const tag = fnv1a(`${key.sort}|${key.order}|${key.q}|${spec.limit}|${query.cursor ?? ""}`);
  const etag = `W/"${loc.dataVersion}-${loc.lastSyncedAt ?? 0}-${state}-${tag}"`;
  if (etagMatches(ifNoneMatch, etag)) return { status: 304, etag };

  const { rows, total } = first.page ?? (await readState(db, spec, true)).page!;
  const more = rows.length > spec.limit;
  const page = more ? rows.slice(0, spec.limit) : rows;
  const last = page.at(-1);
  const nextCursor = more && last ? encodeCursor(key, { value: last.key, id: last.id }) : null;
  const message = state === "error" ? `${MESSAGES.error}: ${detail ?? "unknown error"}` : (detail ?? MESSAGES[state]);
  const totalCount = total ?? loc.contactCount;
  const body =
    `{"success":true,"location_id":${JSON.stringify(locationId)},"contacts":[${page.map((r) => r.payload).join(",")}],` +
    `"total":${totalCount},"next_cursor":${JSON.stringify(nextCursor)},"sync_status":"${state}",` +
    `"last_synced_at":${loc.lastSyncedAt === null ? "null" : `"${new Date(loc.lastSyncedAt).toISOString()}"`},` +
    `"message":${JSON.stringify(message)}}`;
  return { status: 200, etag, body };
}
